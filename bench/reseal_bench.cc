// Measures re-sealing personal data after a master-key rotation (domain::reseal_personal_data):
// N users are signed up (cheap Argon2: the password hash is not what is measured), the master key
// is rotated, and every user's login, name and ID number are re-encrypted and re-indexed in
// batches of one transaction each.
//   pactum_reseal_bench DIR N BATCH [DATABASE_URL]
// DATABASE_URL defaults to sqlite:DIR/bench.db; DIR must be empty or absent (it holds the
// keyring). Prints users/s for the re-seal.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "pactum/crypto/keyring.h"
#include "pactum/crypto/pii_cipher.h"
#include "pactum/domain/accounts.h"
#include "pactum/domain/crypto_pii_cipher.h"
#include "pactum/domain/key_rotation.h"
#include "pactum/domain/schema.h"
#include "pactum/domain/services.h"
#include "pactum/domain/transaction.h"
#include "pactum/node/composition.h"
#include "pactum/node/data_dir_layout.h"
#include "pactum/store/database.h"

namespace {

int die(const std::string& what) {
  std::fprintf(stderr, "reseal_bench: %s\n", what.c_str());
  return 1;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pactum;
  if (argc < 4) {
    return die("usage: pactum_reseal_bench DIR N BATCH [DATABASE_URL]");
  }
  const std::string dir = argv[1];
  const auto users = std::strtoul(argv[2], nullptr, 10);
  const auto batch = std::strtoul(argv[3], nullptr, 10);
  const std::string url = argc > 4 ? argv[4] : "sqlite:" + dir + "/bench.db";
  std::filesystem::create_directories(dir);
  auto database = store::open_database({.url = url});
  if (!database) {
    return die(database.error().describe());
  }
  if (auto migrated = domain::migrate_domain(**database); !migrated) {
    return die(migrated.error().describe());
  }
  auto keyring = crypto::Keyring::create(node::DataDirLayout(dir).master_key().string());
  if (!keyring) {
    return die(keyring.error().describe());
  }
  auto cipher = crypto::PiiCipher::create(*keyring);
  if (!cipher) {
    return die(cipher.error().describe());
  }
  const domain::CryptoPiiCipher pii(*cipher);
  // The sign-ups only fill the table: Argon2 as cheap as it goes.
  auto composition =
      node::Composition::build({.database = **database,
                                .pii = pii,
                                .argon2 = {.memory_kib = 8, .iterations = 1, .parallelism = 1}});
  if (!composition) {
    return die(composition.error().describe());
  }
  const domain::Services& services = (*composition)->services();
  const auto filled = std::chrono::steady_clock::now();
  for (unsigned long first = 0; first < users; first += 500) {
    auto made = domain::run_in_transaction(
        **database, [&](store::Transaction& tx) -> domain::DomainResult<int> {
          for (unsigned long i = first; i < std::min(users, first + 500); ++i) {
            auto user = domain::create_user(
                services, tx,
                {fmt::format("bench{}@example.com", i), fmt::format("Bench User {}", i),
                 "bench-password", fmt::format("11010519900101{:04}", i % 10000)});
            if (!user) {
              return std::unexpected(user.error());
            }
          }
          return 0;
        });
    if (!made) {
      return die(made.error().message);
    }
  }
  std::printf("signed up %lu users in %.2f s\n", users, seconds_since(filled));

  if (auto rotated = keyring->rotate(); !rotated) {
    return die(rotated.error().describe());
  }
  auto both = crypto::PiiCipher::create(*keyring);
  if (!both) {
    return die(both.error().describe());
  }
  const auto start = std::chrono::steady_clock::now();
  auto resealed = domain::reseal_personal_data(**database, *both, batch);
  if (!resealed) {
    return die(resealed.error().describe());
  }
  const double elapsed = seconds_since(start);
  std::printf("resealed %zu users in %zu batches of %lu: %.2f s, %.0f users/s\n", resealed->users,
              resealed->batches, batch, elapsed, static_cast<double>(resealed->users) / elapsed);
  return 0;
}
