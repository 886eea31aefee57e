// Measures the encrypted blob store on one large document: put (read file, encrypt in chunks,
// write atomically) and read (decrypt to a file), on SQLite with files or with database chunks,
// and the process's peak resident memory, which shows that a document is never held whole.
//   pactum_blob_store_bench DIR SIZE_MB [files|database]
// Prints MB/s for put and read and the maximum resident set; DIR must be empty or absent.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "pactum/base/byte_source.h"
#include "pactum/crypto/keyring.h"
#include "pactum/store/blob_store.h"
#include "pactum/store/database.h"

namespace {

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int die(const std::string& what) {
  std::fprintf(stderr, "blob_store_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    return die("usage: pactum_blob_store_bench DIR SIZE_MB [files|database]");
  }
  const std::string dir = argv[1];
  const auto size = static_cast<std::uint64_t>(std::stoull(argv[2])) << 20U;
  const bool in_database = argc > 3 && std::string(argv[3]) == "database";
  std::filesystem::create_directories(dir);

  // The input file is written in 1 MiB pieces so the generator does not inflate the peak.
  const std::string input = dir + "/input.bin";
  {
    std::ofstream out(input, std::ios::binary);
    std::string block(1U << 20U, '\0');
    for (std::size_t i = 0; i < block.size(); ++i) {
      block[i] = static_cast<char>((i * 131U) & 0xffU);
    }
    for (std::uint64_t written = 0; written < size; written += block.size()) {
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
  }
  const long rss_before = max_rss_kib();

  auto database = pactum::store::open_database({.url = "sqlite:" + dir + "/pactum.db"});
  if (!database) {
    return die(database.error().message);
  }
  if (auto migrated = pactum::store::apply_store_migrations(**database); !migrated) {
    return die(migrated.error().message);
  }
  auto ring = pactum::crypto::Keyring::load_or_create(dir + "/master.key");
  if (!ring) {
    return die(ring.error().message);
  }
  pactum::store::BlobStore blobs(**database, *ring,
                                 in_database ? pactum::store::database_ciphertexts(**database)
                                             : pactum::store::filesystem_ciphertexts(dir + "/blobs"));
  auto source = pactum::open_file_source(input);
  if (!source) {
    return die(source.error().message);
  }
  const auto start = std::chrono::steady_clock::now();
  auto id = blobs.put(**source);
  if (!id) {
    return die(id.error().message);
  }
  const auto put_done = std::chrono::steady_clock::now();
  if (auto read = blobs.read_to_file(*id, dir + "/output.bin"); !read) {
    return die(read.error().message);
  }
  const auto read_done = std::chrono::steady_clock::now();
  if (std::filesystem::file_size(dir + "/output.bin") != size) {
    return die("output size differs");
  }
  const double mb = static_cast<double>(size) / (1U << 20U);
  const double put_s = std::chrono::duration<double>(put_done - start).count();
  const double read_s = std::chrono::duration<double>(read_done - put_done).count();
  std::printf("blob store (%s), %.0f MiB: put %.2f s (%.0f MiB/s), read %.2f s (%.0f MiB/s)\n",
              in_database ? "SQLite chunks" : "files", mb, put_s, mb / put_s, read_s,
              mb / read_s);
  std::printf("max resident: %ld KiB (before the store: %ld KiB)\n", max_rss_kib(), rss_before);
  return 0;
}
