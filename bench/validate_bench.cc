// Validation of a 10-signature, ~1 MB document beside its floor, measured in one run:
// - BM_Validate10: validate_pdf on the whole file (revisions, byte ranges, digests, CMS, chains,
//   changes after each signature), trust anchor given; documents per second;
// - BM_ValidateFloor: what no validator can skip: the 10 public-key verifications (5 RSA-2048,
//   5 ECDSA P-256, on a 32-byte message as `openssl speed` measures them) plus SHA-256 of each signed
//   revision once.
// The ratio BM_Validate10 / BM_ValidateFloor is the validator's overhead.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/digest.h"
#include "pactum/pdf/pades_signer.h"
#include "pactum/pdf/revisions.h"
#include "pactum/pdf/validator.h"
#include "pdf_fixtures.h"

namespace {

using pactum::Bytes;
namespace crypto = pactum::crypto;
namespace pdf = pactum::pdf;

constexpr int kSignatures = 10;
constexpr std::size_t kFiller = 1000 * 1024;

struct Signer {
  crypto::PrivateKey key;
  crypto::Certificate certificate;
};

// Fixture is the signed document, the root, and one signature value per signer for the floor.
struct Fixture {
  Bytes pdf;
  crypto::Certificate root;
  std::vector<Signer> signers;  // RSA, EC
  std::vector<std::uint64_t> revision_ends;
};

const Fixture& fixture() {
  static const Fixture made = [] {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("pactum-validate-bench-" + std::to_string(::getpid()));
    if (!crypto::write_dev_ca(dir.string())) {
      std::abort();
    }
    auto load = [&](const std::string& name) {
      auto key = crypto::PrivateKey::from_pem(
          *pactum::read_file((dir / (name + ".key.pem")).string()));
      auto cert = crypto::Certificate::from_pem(
          *pactum::read_file((dir / (name + ".cert.pem")).string()));
      if (!key || !cert) {
        std::abort();
      }
      return Signer{*key, *cert};
    };
    std::vector<Signer> signers{load("rsa"), load("ec")};
    auto root = crypto::Certificate::from_pem(*pactum::read_file((dir / "root.pem").string()));
    std::filesystem::remove_all(dir);
    if (!root) {
      std::abort();
    }
    Bytes pdf = pactum::fixtures::classic_pdf(3, true, kFiller);
    for (int i = 0; i < kSignatures; ++i) {
      const Signer& s = signers[static_cast<std::size_t>(i % 2)];
      pdf::SignatureRequest request;
      request.key = &s.key;
      request.certificate = &s.certificate;
      request.reason = "benchmark";
      request.signing_time =
          std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      auto signed_pdf = pdf::sign_pdf(pactum::view_source(pdf), request);
      if (!signed_pdf) {
        std::abort();
      }
      pdf.insert(pdf.end(), signed_pdf->update.bytes.begin(), signed_pdf->update.bytes.end());
    }
    auto chain = pdf::find_revision_chain(*pactum::view_source(pdf));
    if (!chain) {
      std::abort();
    }
    std::vector<std::uint64_t> ends;
    for (std::size_t i = 1; i < chain->revisions.size(); ++i) {  // each signed revision
      ends.push_back(chain->revisions[i].end);
    }
    return Fixture{std::move(pdf), *root, std::move(signers), std::move(ends)};
  }();
  return made;
}

void BM_Validate10(benchmark::State& state) {
  const Fixture& f = fixture();
  pdf::ValidationOptions options;
  options.trust_anchors = {f.root};
  options.now = std::chrono::system_clock::now();
  for (auto _ : state) {
    auto report = pdf::validate_pdf(*pactum::view_source(f.pdf), options);
    if (!report || report->verdict != pdf::Verdict::kValid ||
        report->signatures.size() != kSignatures) {
      state.SkipWithError("the benchmark document does not validate");
      break;
    }
    benchmark::DoNotOptimize(report->signatures.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(f.pdf.size()) + " bytes, 10 signatures");
}

void BM_ValidateFloor(benchmark::State& state) {
  const Fixture& f = fixture();
  const Bytes digest(32, 0x5A);
  struct Verifier {
    EVP_PKEY* key;
    Bytes signature;
  };
  std::vector<Verifier> verifiers;
  for (const Signer& s : f.signers) {
    verifiers.push_back({X509_get0_pubkey(s.certificate.native()),
                         *s.key.sign(crypto::DigestAlgorithm::kSha256, digest)});
  }
  for (auto _ : state) {
    for (int i = 0; i < kSignatures; ++i) {
      const Verifier& v = verifiers[static_cast<std::size_t>(i % 2)];
      // The message is a 32-byte digest, so hashing it again costs nothing measurable.
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      if (ctx == nullptr || EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, v.key) != 1 ||
          EVP_DigestVerify(ctx, v.signature.data(), v.signature.size(), digest.data(),
                           digest.size()) != 1) {
        state.SkipWithError("verification failed");
      }
      EVP_MD_CTX_free(ctx);
    }
    for (const std::uint64_t end : f.revision_ends) {
      auto hash = crypto::digest_of(crypto::DigestAlgorithm::kSha256,
                                    pactum::ByteView(f.pdf).subspan(0, end));
      benchmark::DoNotOptimize(hash.data());
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Validate10)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ValidateFloor)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
