#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// Fuzz targets: each takes arbitrary bytes, must never crash, hang or leak, and checks the
// invariants it can (a violated invariant aborts, which a fuzzer reports as a finding). They are
// plain functions so that a libFuzzer/AFL++ harness and the deterministic replay driver in
// replay_main.cc share them.
namespace pactum::fuzz {

// pdf_sign: open the bytes as a PDF; when that works, sign them invisibly; when that works, the
// output must reopen without repair, keep the input as its prefix, and carry a signature whose
// byte range covers the whole file.
int pdf_sign(const std::uint8_t* data, std::size_t size);

// pdf_inspect: inspecting any bytes returns a report or an error, nothing else.
int pdf_inspect(const std::uint8_t* data, std::size_t size);

// dict_edit: editing any text as a dictionary either fails or inserts exactly what was asked.
int dict_edit(const std::uint8_t* data, std::size_t size);

// der_certificate: parsing any bytes as a DER certificate fails or round-trips.
int der_certificate(const std::uint8_t* data, std::size_t size);

using Target = int (*)(const std::uint8_t*, std::size_t);

// find_target returns the target named name, or nullptr.
Target find_target(std::string_view name);

}  // namespace pactum::fuzz
