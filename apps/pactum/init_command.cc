#include "init_command.h"

#include <fmt/format.h>

namespace pactum::cli {

CLI::App* add_init_command(CLI::App& app, node::InitOptions& options) {
  auto* command = app.add_subcommand(
      "init", "create a data directory: database, master key, platform CA and TSA");
  command->add_option("DATA_DIR", options.dir, "directory to create")->required();
  command->add_flag("--demo", options.demo,
                    "also create a demo enterprise, subsidiary, members and API app");
  command->add_option("--base-url", options.base_url, "URL pactumd will be reached at")
      ->capture_default_str();
  command->add_option("--database", options.database_url,
                      fmt::format("database URL (default {} inside DATA_DIR; or postgresql://...)",
                                  node::kDefaultDatabaseUrl));
  return command;
}

int run_init(const node::InitOptions& options) {
  auto made = node::init_data_dir(options);
  if (!made) {
    fmt::print(stderr, "pactum: error: {}\n", made.error().describe());
    return 1;
  }
  fmt::print("created {} (database {}, master key, platform CA and TSA)\n", options.dir,
             made->database_url);
  if (made->demo) {
    const node::DemoData& demo = *made->demo;
    fmt::print("demo enterprise {} with subsidiary {}; demo logins (also in {}):\n", demo.group_id,
               demo.subsidiary_id, node::DataDirLayout(options.dir).demo_file().string());
    for (const node::DemoLogin& login : demo.logins) {
      fmt::print("  {:<28} {:<20} {}\n", login.login, login.password, login.role);
    }
    fmt::print("demo API app: id {} secret {}\n", demo.app_id, demo.app_secret);
  }
  return 0;
}

}  // namespace pactum::cli
