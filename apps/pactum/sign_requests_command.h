#pragma once

#include <CLI/CLI.hpp>

#include "pactum/domain/signed_requests.h"

namespace pactum::cli {

// SignRequestsOptions is what `pactum bench sign-requests` reads from the command line.
struct SignRequestsOptions {
  domain::SignedRequestBatch batch;
  std::string out;
};

// add_sign_requests_command declares `pactum bench sign-requests` under bench and returns it.
CLI::App* add_sign_requests_command(CLI::App& bench, SignRequestsOptions& options);

// run_sign_requests writes the file and prints how many requests it holds; exit status 0, or 1
// with one line on stderr.
int run_sign_requests(SignRequestsOptions& options);

}  // namespace pactum::cli
