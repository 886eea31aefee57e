#include "sign_requests_command.h"

#include <chrono>

#include <fmt/format.h>

namespace pactum::cli {

CLI::App* add_sign_requests_command(CLI::App& bench, SignRequestsOptions& options) {
  auto* command = bench.add_subcommand(
      "sign-requests",
      "write N pre-signed API-app requests (unique nonces) for a load test; valid 5 minutes");
  auto& batch = options.batch;
  command->add_option("--app-id", batch.app_id, "the API app's id")->required();
  command->add_option("--secret", batch.secret, "the API app's secret")->required();
  command->add_option("--method", batch.method, "HTTP method")->capture_default_str();
  command->add_option("--path", batch.path, "request target, e.g. /api/v1/enterprises/ENT")
      ->required();
  command->add_option("--body", batch.body_template, "JSON body; {n} becomes the request number");
  command->add_option("-n", batch.count, "number of requests")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();
  command->add_option("--out", options.out, "file to write")->required();
  return command;
}

int run_sign_requests(SignRequestsOptions& options) {
  options.batch.now = std::chrono::system_clock::now();
  if (auto written = domain::write_signed_requests(options.batch, options.out); !written) {
    fmt::print(stderr, "pactum: error: {}\n", written.error().describe());
    return 1;
  }
  fmt::print("wrote {} signed {} {} requests to {} (valid for 5 minutes)\n", options.batch.count,
             options.batch.method, options.batch.path, options.out);
  return 0;
}

}  // namespace pactum::cli
