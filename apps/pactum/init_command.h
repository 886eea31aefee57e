#pragma once

#include <CLI/CLI.hpp>

#include "pactum/node/data_dir.h"

namespace pactum::cli {

// add_init_command declares `pactum init DATA_DIR [--demo] [--base-url URL] [--database URL]`.
CLI::App* add_init_command(CLI::App& app, node::InitOptions& options);

// run_init creates the data directory and prints what it made (with --demo, the demo logins and
// passwords and the demo API app's credentials). Exit status 0, or 1 with one line on stderr.
int run_init(const node::InitOptions& options);

}  // namespace pactum::cli
