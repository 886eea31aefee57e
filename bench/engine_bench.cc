// Benchmarks of the signing engine beside its physical floor, measured in one run:
// - BM_SignPdf: a whole PAdES B-B signature (parse, update, hash, CMS, patch) on a PDF in memory;
// - BM_SignPdfBT: the same at B-T, the signature time-stamp from the dev TSA in process (ECDSA
//   P-256 token, random serials: no disk);
// - BM_SignPdfLT / BM_SignPdfLTA: B-T, then the DSS (the signer's and TSA's chains, an OCSP
//   response for each from a platform CA in process) and, for B-LTA, a document time-stamp: what
//   `pactum sign --level B-LT|B-LTA --ca-dir` does, ECDSA P-256 signer, CA and TSA;
// - BM_FloorKeyOp: the private-key operation alone on a digest, as `openssl speed` measures it;
// - BM_FloorSha256: SHA-256 over the file's bytes.
// The floor of one signature is FloorKeyOp + FloorSha256 of the same size.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/pdf/long_term_validation.h"
#include "pactum/pdf/pades_signer.h"
#include "pactum/pki/ca_revocation_source.h"
#include "pactum/pki/dev_tsa.h"
#include "pactum/pki/in_process_timestamper.h"
#include "pactum/pki/tsa_files.h"
#include "pdf_fixtures.h"
#include "test_pki.h"

namespace {

using pactum::Bytes;
namespace crypto = pactum::crypto;
namespace pdf = pactum::pdf;

struct Identity {
  crypto::PrivateKey key;
  crypto::Certificate certificate;
};

// Material is the dev CA's signers and an in-process TSA under the same root.
struct Material {
  std::map<int, Identity> identities;
  std::unique_ptr<pactum::pki::InProcessTimestamper> timestamper;
};

// material writes a dev CA and TSA once and loads its RSA (0) and EC (1) signers and the TSA.
const Material& material() {
  static const Material loaded = [] {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("pactum-bench-" + std::to_string(::getpid()));
    if (!crypto::write_dev_ca(dir.string()) ||
        !pactum::pki::write_dev_tsa(dir.string(), std::chrono::system_clock::now())) {
      std::abort();
    }
    auto tsa = pactum::pki::open_tsa_from_files(
        {.key_path = (dir / "tsa.key.pem").string(),
         .certificate_path = (dir / "tsa.cert.pem").string(),
         .chain_paths = {},
         .serial_dir = std::nullopt,
         .policy_oid = std::string(pactum::pki::kPactumTestTsaPolicy)},
        [] { return std::chrono::system_clock::now(); });
    if (!tsa) {
      std::abort();
    }
    std::map<int, Identity> out;
    const char* names[2] = {"rsa", "ec"};
    for (int i = 0; i < 2; ++i) {
      auto key = crypto::PrivateKey::from_pem(
          *pactum::read_file((dir / (std::string(names[i]) + ".key.pem")).string()));
      auto cert = crypto::Certificate::from_pem(
          *pactum::read_file((dir / (std::string(names[i]) + ".cert.pem")).string()));
      if (!key || !cert) {
        std::abort();
      }
      out.emplace(i, Identity{*key, *cert});
    }
    std::filesystem::remove_all(dir);
    return Material{std::move(out),
                    std::make_unique<pactum::pki::InProcessTimestamper>(std::move(*tsa))};
  }();
  return loaded;
}

const Identity& identity(int which) { return material().identities.at(which); }

// kRealContract is the corpus's contract printed by Chromium (5 pages, Chinese fonts): a real
// producer's object graph, where costs that scale with the number of objects show.
constexpr std::int64_t kRealContract = -1;

const Bytes& document(std::int64_t size) {
  static std::map<std::int64_t, Bytes> documents;
  auto it = documents.find(size);
  if (it == documents.end()) {
    Bytes bytes;
    if (size == kRealContract) {
      auto read =
          pactum::read_file(std::string(PACTUM_CORPUS_DIR) + "/producer-chromium-supplier-zh.pdf");
      if (!read) {
        std::abort();
      }
      bytes = std::move(*read);
    } else {
      bytes = pactum::fixtures::classic_pdf(3, true, static_cast<std::size_t>(size));
    }
    it = documents.emplace(size, std::move(bytes)).first;
  }
  return it->second;
}

// sign_repeatedly signs document(range 0) with identity(range 1) at B-B, or at B-T with
// timestamper, for as long as the benchmark runs.
void sign_repeatedly(benchmark::State& state, const crypto::SignatureTimestamper* timestamper) {
  const Bytes& bytes = document(state.range(0));
  const Identity& id = identity(static_cast<int>(state.range(1)));
  pdf::SignatureRequest request;
  request.key = &id.key;
  request.certificate = &id.certificate;
  request.timestamper = timestamper;
  request.reason = "benchmark";
  request.signing_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  for (auto _ : state) {
    auto signed_pdf = pdf::sign_pdf(pactum::view_source(bytes), request);
    if (!signed_pdf) {
      state.SkipWithError(signed_pdf.error().describe().c_str());
      break;
    }
    benchmark::DoNotOptimize(signed_pdf->update.bytes.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  state.SetLabel(state.range(1) == 0 ? "RSA-2048" : "ECDSA P-256");
}

void BM_SignPdf(benchmark::State& state) { sign_repeatedly(state, nullptr); }

void BM_SignPdfBT(benchmark::State& state) { sign_repeatedly(state, material().timestamper.get()); }

// LtvMaterial is a platform CA (in a temporary directory, removed at exit: the root's CRL, made
// once for the issuing CA's revocation data, takes a CRL number on disk) with its signer and TSA,
// and the in-process revocation source.
struct LtvMaterial {
  std::unique_ptr<pactum::testing::TestPki> pki;  // not moved: the source refers to its CA
  std::unique_ptr<pactum::pki::InProcessTimestamper> timestamper;
  std::unique_ptr<pactum::pki::CaRevocationSource> revocation;
};

const LtvMaterial& ltv_material() {
  static const LtvMaterial loaded = [] {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("pactum-bench-ltv-" + std::to_string(::getpid()));
    const auto clock = [] { return std::chrono::system_clock::now(); };
    LtvMaterial m;
    m.pki = std::make_unique<pactum::testing::TestPki>(pactum::testing::make_test_pki(
        dir.string(), std::chrono::floor<std::chrono::seconds>(clock()), clock,
        "http://pki.pactum.test"));
    m.timestamper = std::make_unique<pactum::pki::InProcessTimestamper>(m.pki->tsa);
    m.revocation = std::make_unique<pactum::pki::CaRevocationSource>(m.pki->ca, clock);
    static const std::string removed_at_exit = dir.string();
    std::atexit([] { std::filesystem::remove_all(removed_at_exit); });
    return m;
  }();
  return loaded;
}

// sign_ltv_repeatedly signs document(range 0) at B-T and adds the validation data (and, with lta,
// a document time-stamp), as one signing operation.
void sign_ltv_repeatedly(benchmark::State& state, bool lta) {
  const Bytes& bytes = document(state.range(0));
  const LtvMaterial& m = ltv_material();
  pdf::SignatureRequest request;
  request.key = &m.pki->signer_key;
  request.certificate = &m.pki->signer;
  request.chain = {m.pki->ca.issuing_certificate()};
  request.timestamper = m.timestamper.get();
  request.reason = "benchmark";
  request.signing_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const pdf::LtvRequest ltv{.revocation = m.revocation.get(),
                            .extra_certificates = {m.pki->ca.root_certificate()},
                            .now = request.signing_time,
                            .document_timestamper = lta ? m.timestamper.get() : nullptr};
  Bytes whole;
  for (auto _ : state) {
    auto signed_pdf = pdf::sign_pdf(pactum::view_source(bytes), request);
    if (!signed_pdf) {
      state.SkipWithError(signed_pdf.error().describe().c_str());
      break;
    }
    whole.assign(bytes.begin(), bytes.end());
    whole.insert(whole.end(), signed_pdf->update.bytes.begin(), signed_pdf->update.bytes.end());
    auto added = pdf::add_long_term_validation(whole, ltv);
    if (!added) {
      state.SkipWithError(added.error().describe().c_str());
      break;
    }
    benchmark::DoNotOptimize(added->appended.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  state.SetLabel("ECDSA P-256");
}

void BM_SignPdfLT(benchmark::State& state) { sign_ltv_repeatedly(state, false); }

void BM_SignPdfLTA(benchmark::State& state) { sign_ltv_repeatedly(state, true); }

void BM_FloorKeyOp(benchmark::State& state) {
  const Identity& id = identity(static_cast<int>(state.range(0)));
  const Bytes digest(32, 0x5A);
  for (auto _ : state) {
    auto signature = id.key.sign(crypto::DigestAlgorithm::kSha256, digest);
    benchmark::DoNotOptimize(signature->data());
  }
  state.SetLabel(state.range(0) == 0 ? "RSA-2048" : "ECDSA P-256");
}

void BM_FloorSha256(benchmark::State& state) {
  const Bytes& bytes = document(state.range(0));
  for (auto _ : state) {
    auto digest = crypto::digest_of(crypto::DigestAlgorithm::kSha256, bytes);
    benchmark::DoNotOptimize(digest.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

constexpr std::int64_t k100K = 100 * 1024;
constexpr std::int64_t k10M = 10 * 1024 * 1024;

BENCHMARK(BM_SignPdf)
    ->ArgsProduct({{k100K, k10M, kRealContract}, {0, 1}})
    ->ArgNames({"bytes", "key"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SignPdfBT)
    ->ArgsProduct({{k100K, k10M, kRealContract}, {0, 1}})
    ->ArgNames({"bytes", "key"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SignPdfLT)
    ->Arg(k100K)
    ->Arg(k10M)
    ->Arg(kRealContract)
    ->ArgNames({"bytes"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SignPdfLTA)
    ->Arg(k100K)
    ->Arg(k10M)
    ->Arg(kRealContract)
    ->ArgNames({"bytes"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FloorKeyOp)->Arg(0)->Arg(1)->ArgNames({"key"})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FloorSha256)
    ->Arg(k100K)
    ->Arg(k10M)
    ->Arg(kRealContract)
    ->ArgNames({"bytes"})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
