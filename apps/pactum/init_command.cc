#include "init_command.h"

#include <fmt/format.h>

namespace pactum::cli {

CLI::App* add_init_command(CLI::App& app, api::InitOptions& options) {
  auto* command = app.add_subcommand(
      "init", "create a data directory: database, master key, platform CA and TSA");
  command->add_option("DATA_DIR", options.dir, "directory to create")->required();
  command->add_flag("--demo", options.demo,
                    "also create a demo enterprise, subsidiary, members and API app");
  command->add_option("--base-url", options.base_url, "URL pactumd will be reached at")
      ->capture_default_str();
  command->add_option("--database", options.database_url,
                      "database URL (default sqlite:pactum.db inside DATA_DIR; or postgresql://...)");
  return command;
}

int run_init(const api::InitOptions& options) {
  auto made = api::init_data_dir(options);
  if (!made) {
    fmt::print(stderr, "pactum: error: {}\n", made.error().describe());
    return 1;
  }
  fmt::print("created {} (database {}, master key, platform CA and TSA)\n", options.dir,
             made->database_url);
  if (made->demo) {
    const api::DemoData& demo = *made->demo;
    fmt::print("demo enterprise {} with subsidiary {}; demo logins (also in {}/demo.json):\n",
               demo.group_id, demo.subsidiary_id, options.dir);
    for (const api::DemoLogin& login : demo.logins) {
      fmt::print("  {:<28} {:<20} {}\n", login.login, login.password, login.role);
    }
    fmt::print("demo API app: id {} secret {}\n", demo.app_id, demo.app_secret);
  }
  return 0;
}

}  // namespace pactum::cli
