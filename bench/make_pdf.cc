// pactum_make_pdf OUT BYTES [PAGES]: writes a valid PDF of about BYTES bytes (incompressible
// filler on page 1) for benchmarks and the large-file memory check.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pactum/base/atomic_file.h"
#include "pdf_fixtures.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: pactum_make_pdf OUT BYTES [PAGES]\n");
    return 2;
  }
  const std::string out = argv[1];                         // NOLINT
  const auto bytes = std::strtoull(argv[2], nullptr, 10);  // NOLINT
  const int pages = argc > 3 ? std::atoi(argv[3]) : 3;     // NOLINT
  const pactum::Bytes pdf = pactum::fixtures::classic_pdf(pages, true, bytes);
  if (auto st = pactum::write_file_atomically(out, pdf); !st) {
    std::fprintf(stderr, "pactum_make_pdf: %s\n", st.error().describe().c_str());
    return 1;
  }
  return 0;
}
