// pactum_fuzz_replay TARGET [--mutations N] [--seed S] PATH...
// Runs a fuzz target over every file in the given files and directories (the seed corpora),
// then over N deterministic mutations of each (bit flips, truncations, splices), so the targets
// run as ordinary tests with any compiler; a coverage-guided fuzzer can drive the same targets.
// `--generated` adds seeds made in memory from the test fixtures, so the suite stands alone.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "fuzz_targets.h"
#include "pactum/base/atomic_file.h"
#include "pdf_fixtures.h"

namespace {

using pactum::Bytes;

Bytes mutate(const Bytes& seed, std::mt19937_64& rng) {
  Bytes out = seed;
  if (out.empty()) {
    out.push_back(static_cast<std::uint8_t>(rng()));
    return out;
  }
  std::uniform_int_distribution<std::size_t> position(0, out.size() - 1);
  switch (rng() % 5) {
    case 0:  // flip a few bits
      for (int i = 0; i < 4; ++i) {
        out[position(rng)] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
      }
      break;
    case 1:  // truncate
      out.resize(position(rng));
      break;
    case 2: {  // overwrite a run with a digit, which hits offsets and lengths
      const std::size_t at = position(rng);
      for (std::size_t i = at; i < std::min(out.size(), at + 8); ++i) {
        out[i] = static_cast<std::uint8_t>('0' + rng() % 10);
      }
      break;
    }
    case 3: {  // duplicate a chunk elsewhere
      const std::size_t from = position(rng);
      const std::size_t length = std::min<std::size_t>(out.size() - from, 1 + rng() % 64);
      const Bytes chunk(out.begin() + static_cast<std::ptrdiff_t>(from),
                        out.begin() + static_cast<std::ptrdiff_t>(from + length));
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(position(rng)), chunk.begin(),
                 chunk.end());
      break;
    }
    default:  // zero a run
      for (std::size_t i = position(rng), n = 0; i < out.size() && n < 16; ++i, ++n) {
        out[i] = 0;
      }
      break;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(
        stderr,
        "usage: pactum_fuzz_replay TARGET [--mutations N] [--seed S] [--generated] PATH...\n");
    return 2;
  }
  const auto target = pactum::fuzz::find_target(argv[1]);  // NOLINT
  if (target == nullptr) {
    std::fprintf(stderr, "unknown target %s\n", argv[1]);  // NOLINT
    return 2;
  }
  int mutations = 0;
  std::uint64_t seed = 1;
  std::vector<Bytes> seeds;
  const std::vector<std::string> args(argv + 2, argv + argc);  // NOLINT
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--mutations" && i + 1 < args.size()) {
      mutations = std::atoi(args[++i].c_str());
    } else if (args[i] == "--seed" && i + 1 < args.size()) {
      seed = std::strtoull(args[++i].c_str(), nullptr, 10);
    } else if (args[i] == "--generated") {
      namespace fx = pactum::fixtures;
      seeds.push_back(fx::classic_pdf(2));
      seeds.push_back(fx::classic_pdf(1, false));
      seeds.push_back(fx::rewrite(fx::classic_pdf(3), true, false));
      seeds.push_back(fx::rewrite(fx::classic_pdf(3), false, true));
      seeds.push_back(fx::with_empty_signature_field(fx::classic_pdf(1), "F", 10, 10, 50, 20));
      const std::string dict = "<< /Type /Page /Annots [1 0 R] /S (a ] >> string) >>";
      seeds.emplace_back(dict.begin(), dict.end());
    } else {
      const std::filesystem::path path(args[i]);
      std::vector<std::filesystem::path> files;
      if (std::filesystem::is_directory(path)) {
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
          if (entry.is_regular_file() && entry.file_size() < (4U << 20U)) {
            files.push_back(entry.path());
          }
        }
        std::sort(files.begin(), files.end());
      } else if (std::filesystem::exists(path)) {
        files.push_back(path);
      }
      for (const auto& file : files) {
        if (auto bytes = pactum::read_file(file.string())) {
          seeds.push_back(std::move(*bytes));
        }
      }
    }
  }
  std::mt19937_64 rng(seed);
  std::size_t runs = 0;
  for (const Bytes& s : seeds) {
    target(s.data(), s.size());
    ++runs;
    for (int m = 0; m < mutations; ++m) {
      const Bytes mutated = mutate(s, rng);
      target(mutated.data(), mutated.size());
      ++runs;
    }
  }
  std::printf("%s: %zu inputs from %zu seeds, no finding\n", argv[1], runs,
              seeds.size());  // NOLINT
  return seeds.empty() ? 1 : 0;
}
