#include "keys_command.h"

#include <fmt/format.h>

#include "pactum/node/key_rotation.h"

namespace pactum::cli {
namespace {

int report(const Error& error) {
  fmt::print(stderr, "pactum: error: {}\n", error.describe());
  return 1;
}

int run_status(const std::string& dir) {
  auto usage = node::master_key_usage(dir);
  if (!usage) {
    return report(usage.error());
  }
  for (const node::KeyUsage& key : *usage) {
    fmt::print("{} {:<8} personal-data rows {}, document keys {}, CA/TSA keys {}\n", key.key_id,
               key.current ? "current" : "old", key.personal_rows, key.blob_keys, key.pki_keys);
  }
  return 0;
}

int run_reseal(const std::string& dir, std::size_t batch) {
  auto resealed = node::reseal_data_dir(dir, batch);
  if (!resealed) {
    return report(resealed.error());
  }
  fmt::print("resealed {} users, {} API apps ({} batches), {} document keys, {} CA/TSA keys\n",
             resealed->personal.users, resealed->personal.apps, resealed->personal.batches,
             resealed->blob_keys, resealed->pki_keys);
  return 0;
}

int run_retire(const std::string& dir) {
  auto retired = node::retire_master_keys(dir);
  if (!retired) {
    return report(retired.error());
  }
  fmt::print("retired {} old master key(s){}{}\n", retired->size(), retired->empty() ? "" : ": ",
             fmt::join(*retired, ", "));
  return 0;
}

}  // namespace

KeysCommands::KeysCommands(CLI::App& app) {
  keys_ = app.add_subcommand("keys", "rotate the master key of a data directory");
  keys_->require_subcommand(1);
  status_ = keys_->add_subcommand("status", "list master keys and what is sealed under each");
  rotate_ = keys_->add_subcommand(
      "rotate", "add a fresh current master key, then reseal everything under it");
  reseal_ =
      keys_->add_subcommand("reseal", "move everything onto the current master key (resumable)");
  retire_ =
      keys_->add_subcommand("retire", "remove older master keys once nothing is sealed under them");
  for (CLI::App* command : {status_, rotate_, reseal_, retire_}) {
    command->add_option("DATA_DIR", dir_, "data directory made by pactum init")->required();
  }
  for (CLI::App* command : {rotate_, reseal_}) {
    command->add_option("--batch", batch_, "personal-data rows per transaction")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
  }
  rotate_->add_flag("--retire", retire_after_, "retire the old key(s) after the reseal");
}

bool KeysCommands::parsed() const { return keys_->parsed(); }

int KeysCommands::run() const {
  if (status_->parsed()) {
    return run_status(dir_);
  }
  if (retire_->parsed()) {
    return run_retire(dir_);
  }
  if (rotate_->parsed()) {
    auto rotated = node::rotate_master_key(dir_);
    if (!rotated) {
      return report(rotated.error());
    }
    fmt::print("new current master key {}\n", *rotated);
  }
  if (int status = run_reseal(dir_, batch_); status != 0) {
    return status;
  }
  return rotate_->parsed() && retire_after_ ? run_retire(dir_) : 0;
}

}  // namespace pactum::cli
