#include "fuzz_targets.h"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <vector>

#include "pactum/crypto/certificate.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/pdf/inspect.h"
#include "pactum/pdf/object_text.h"
#include "pactum/pdf/pades_signer.h"

namespace pactum::fuzz {
namespace {

// check aborts with a message when an invariant does not hold: a finding, not an input error.
void check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

struct Signer {
  crypto::PrivateKey key;
  crypto::Certificate certificate;
};

const Signer& signer() {
  static const Signer instance = [] {
    const auto now = std::chrono::system_clock::now();
    auto root = crypto::make_dev_root(now);
    check(root.has_value(), "dev root");
    auto key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256);
    check(key.has_value(), "key");
    auto cert = crypto::issue_dev_signer(*root, *key, "Fuzz Signer", now);
    check(cert.has_value(), "certificate");
    return Signer{*key, *cert};
  }();
  return instance;
}

}  // namespace

int pdf_sign(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  pdf::SignatureRequest request;
  request.key = &signer().key;
  request.certificate = &signer().certificate;
  request.signing_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto signed_pdf = pdf::sign_pdf(view_source(input), request);
  if (!signed_pdf) {
    return 0;
  }
  Bytes out(static_cast<std::size_t>(signed_pdf->document->source().size()));
  check(signed_pdf->document->source().read(0, out).has_value(), "read back the source");
  if (!signed_pdf->document->normalised()) {
    check(std::equal(input.begin(), input.end(), out.begin()), "input is a prefix of the output");
  }
  out.insert(out.end(), signed_pdf->update.bytes.begin(), signed_pdf->update.bytes.end());
  auto reopened =
      pdf::PdfDocument::open(view_source(out), pdf::OpenOptions{.allow_normalise = false});
  check(reopened.has_value(), "the signed output reopens without repair");
  auto report = pdf::inspect_pdf(*view_source(out));
  if (!report) {
    std::fprintf(stderr, "%s\n", report.error().describe().c_str());
  }
  check(report.has_value(), "the signed output can be inspected");
  check(!report->signatures.empty() && report->signatures.back().covers_whole_file,
        "the new signature covers the whole file");
  return 0;
}

int pdf_inspect(const std::uint8_t* data, std::size_t size) {
  auto report = pdf::inspect_pdf(*view_source(ByteView(data, size)));
  (void)report;
  return 0;
}

int dict_edit(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);  // NOLINT
  const std::vector<pdf::DictEdit> edits{
      {pdf::DictEdit::Kind::kInsertKey, "/PactumFuzz", "[1 0 R]"},
      {pdf::DictEdit::Kind::kAppendToArray, "/Annots", "2 0 R"}};
  auto out = pdf::apply_dict_edits(text, edits);
  if (out) {
    check(out->size() == text.size() + std::string_view(" /PactumFuzz [1 0 R]").size() +
                             std::string_view(" 2 0 R").size(),
          "an edit inserts exactly what was asked");
  }
  return 0;
}

int der_certificate(const std::uint8_t* data, std::size_t size) {
  auto cert = crypto::Certificate::from_der(ByteView(data, size));
  if (cert) {
    const Bytes der = cert->der();
    check(der.size() == size && std::equal(der.begin(), der.end(), data),
          "a parsed certificate re-encodes to the same bytes");
  }
  return 0;
}

Target find_target(std::string_view name) {
  if (name == "pdf_sign") {
    return &pdf_sign;
  }
  if (name == "pdf_inspect") {
    return &pdf_inspect;
  }
  if (name == "dict_edit") {
    return &dict_edit;
  }
  if (name == "der_certificate") {
    return &der_certificate;
  }
  return nullptr;
}

}  // namespace pactum::fuzz
