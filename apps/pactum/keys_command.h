#pragma once

#include <cstddef>
#include <string>

#include <CLI/CLI.hpp>

namespace pactum::cli {

// KeysCommands declares `pactum keys status|rotate|reseal|retire DATA_DIR` (master-key rotation
// of a data directory, node/key_rotation.h) on app.
class KeysCommands {
 public:
  explicit KeysCommands(CLI::App& app);

  // parsed says whether one of the keys subcommands was given.
  [[nodiscard]] bool parsed() const;

  // run runs it: exit status 0, or 1 with one line on stderr.
  [[nodiscard]] int run() const;

 private:
  std::string dir_;
  std::size_t batch_ = 500;
  bool retire_after_ = false;
  CLI::App* keys_ = nullptr;
  CLI::App* status_ = nullptr;
  CLI::App* rotate_ = nullptr;
  CLI::App* reseal_ = nullptr;
  CLI::App* retire_ = nullptr;
};

}  // namespace pactum::cli
