// Integrity, cryptographic validity and trust of one signature's CMS.

#include <fmt/format.h>

#include "pactum/crypto/cms_verifier.h"
#include "pactum/pdf/validator_internal.h"

namespace pactum::pdf::validation {
namespace {

bool supported_sub_filter(const std::string& sub_filter) {
  return sub_filter == "/ETSI.CAdES.detached" || sub_filter == "/adbe.pkcs7.detached";
}

// check_trust builds the signer's chain at the validation time and records the outcome.
Status check_trust(const crypto::CmsSignature& cms, const crypto::Certificate& signer,
                   const SignatureDict& sig, const ValidationOptions& options,
                   SignatureReport& report) {
  std::chrono::system_clock::time_point at = options.now;
  std::string when = "now (no signing time claimed)";
  if (options.at) {
    at = *options.at;
    when = "the time given with --at";
  } else if (auto claimed = parse_pdf_date(sig.claimed_time)) {
    at = *claimed;
    when = "the claimed signing time (/M)";
  } else if (!sig.claimed_time.empty()) {
    add(report.findings, Severity::kWarning, "time.unreadable",
        fmt::format("the claimed signing time \"{}\" is not a PDF date; certificates are checked "
                    "now",
                    sig.claimed_time));
  }
  const std::vector<crypto::Certificate> embedded = cms.certificates();
  auto chain = crypto::verify_chain(signer, embedded, options.trust_anchors, at);
  if (!chain) {
    return std::unexpected(chain.error());
  }
  report.chain = chain->subjects;
  switch (chain->status) {
    case crypto::ChainStatus::kTrusted:
      add(report.findings, Severity::kInfo, "chain.trusted",
          fmt::format("the signer's certificate chains to a trust anchor, valid at {}", when));
      break;
    case crypto::ChainStatus::kNoAnchors:
      add(report.findings, Severity::kIndeterminate, "chain.no_anchors",
          "no trust anchor was given (--trust), so the signer's identity is unknown");
      break;
    case crypto::ChainStatus::kNotTrusted:
      add(report.findings, Severity::kError, "chain.not_trusted",
          fmt::format("the signer's certificate does not chain to any given trust anchor: {}",
                      chain->detail));
      break;
    case crypto::ChainStatus::kOutOfPeriod:
      add(report.findings, Severity::kIndeterminate, "chain.out_of_period",
          fmt::format("a certificate of the chain is not valid at {}: {}", when, chain->detail));
      break;
    case crypto::ChainStatus::kInvalid:
      add(report.findings, Severity::kError, "chain.invalid",
          fmt::format("the signer's certificate chain is broken: {}", chain->detail));
      break;
  }
  return {};
}

}  // namespace

Status check_cms(ByteView file, const SignedRanges& ranges, const SignatureDict& sig,
                 const ValidationOptions& options, SignatureReport& report) {
  if (!supported_sub_filter(sig.sub_filter)) {
    add(report.findings, Severity::kError, "sub_filter.unsupported",
        fmt::format("/SubFilter {} is not ETSI.CAdES.detached or adbe.pkcs7.detached",
                    sig.sub_filter.empty() ? "(none)" : sig.sub_filter));
    return {};
  }
  auto parsed = crypto::CmsSignature::parse(as_bytes(sig.contents));
  if (!parsed) {
    add(report.findings, Severity::kError, "cms.malformed", parsed.error().message);
    return {};
  }
  crypto::CmsSignature& cms = *parsed;
  report.digest_algorithm = cms.digest_name();
  bool usable = true;
  if (cms.trailing_garbage()) {
    add(report.findings, Severity::kWarning, "cms.trailing_data",
        "/Contents holds non-zero bytes after the CMS structure");
  }
  if (cms.signer_count() != 1) {
    add(report.findings, Severity::kError, "cms.signer_count",
        fmt::format("the CMS has {} signers; a PDF signature has exactly one", cms.signer_count()));
    usable = false;
  }
  if (!cms.detached()) {
    add(report.findings, Severity::kError, "cms.not_detached",
        "the CMS encapsulates content; a detached signature over the byte range is required");
    usable = false;
  }
  if (!cms.content_type_is_data()) {
    add(report.findings, Severity::kError, "cms.content_type",
        "the CMS eContentType is not id-data");
    usable = false;
  }
  const std::optional<Bytes> message_digest = cms.message_digest();
  if (!message_digest) {
    add(report.findings, Severity::kError, "cms.no_message_digest",
        "the CMS has no (single) messageDigest signed attribute");
    usable = false;
  }
  auto hasher = cms.content_hasher();
  if (!hasher) {
    if (hasher.error().code != ErrorCode::kUnsupported) {
      return std::unexpected(hasher.error());
    }
    add(report.findings, Severity::kError, "cms.digest_algorithm", hasher.error().message);
    usable = false;
  }
  if (usable) {
    bool fed = hasher->update(file.subspan(0, ranges.first_length)) &&
               hasher->update(file.subspan(ranges.second_offset, ranges.second_length));
    auto digest = hasher->finish();
    if (!fed || !digest) {
      return fail(ErrorCode::kCrypto, "hashing the byte range failed");
    }
    if (*digest == *message_digest) {
      add(report.findings, Severity::kInfo, "digest.match",
          fmt::format("the {} digest of the byte range matches the signed messageDigest",
                      report.digest_algorithm));
    } else {
      add(report.findings, Severity::kError, "digest.mismatch",
          "the document has been altered: the digest of the byte range does not match the "
          "signed messageDigest");
    }
  }
  const std::optional<crypto::Certificate> signer = cms.signer_certificate();
  if (!signer) {
    add(report.findings, Severity::kError, "cms.no_signer_certificate",
        "the CMS does not carry the signer's certificate");
    return {};
  }
  report.signer_subject = signer->subject();
  report.signer_issuer = signer->issuer();
  std::string detail;
  if (cms.verify_signed_attributes(*signer, detail)) {
    add(report.findings, Severity::kInfo, "cms.signature_valid",
        "the signature over the signed attributes verifies with the signer's certificate");
  } else {
    add(report.findings, Severity::kError, "cms.signature_invalid",
        fmt::format("the signature does not verify: {}", detail));
  }
  return check_trust(cms, *signer, sig, options, report);
}

}  // namespace pactum::pdf::validation
