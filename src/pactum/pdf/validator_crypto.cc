// Integrity and cryptographic validity of one signature's CMS, of its signature time-stamp, and
// of document time-stamps. Trust (chains, times, revocation) is validator_trust.cc's.

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>

#include "pactum/crypto/cms_verifier.h"
#include "pactum/crypto/revocation_check.h"
#include "pactum/crypto/timestamp_token.h"
#include "pactum/pdf/validator_internal.h"

namespace pactum::pdf::validation {
namespace {

bool supported_sub_filter(const std::string& sub_filter) {
  return sub_filter == "/ETSI.CAdES.detached" || sub_filter == "/adbe.pkcs7.detached";
}

constexpr const char* kRevocationInfoArchival = "1.2.840.113583.1.1.8";

// check_signer adds the checks of the signer's certificate that need no trust decision: it may
// sign documents, and the ESS signingCertificateV2 names it (CAdES requires the attribute).
void check_signer(const crypto::CmsSignature& cms, const crypto::Certificate& signer,
                  const SignatureDict& sig, SignatureReport& report) {
  if (auto usage = crypto::check_signing_key_usage(signer); !usage) {
    add(report.findings, Severity::kError, "certificate.key_usage", usage.error().message);
  }
  switch (cms.signing_certificate_binding(signer)) {
    case crypto::CmsSignature::EssBinding::kMatches:
      add(report.findings, Severity::kInfo, "cms.signing_certificate",
          "the signed signingCertificateV2 attribute names the signer's certificate");
      break;
    case crypto::CmsSignature::EssBinding::kMismatch:
      add(report.findings, Severity::kError, "cms.signing_certificate_mismatch",
          "the signed signingCertificate attribute does not name the certificate that signed "
          "(a substituted certificate)");
      break;
    case crypto::CmsSignature::EssBinding::kAbsent:
      if (sig.sub_filter == "/ETSI.CAdES.detached") {
        add(report.findings, Severity::kError, "cms.no_signing_certificate",
            "a CAdES signature must carry the signingCertificateV2 signed attribute");
      }
      break;
  }
}

// check_signature_timestamp verifies the signature time-stamp (B-T), if any: its imprint is the
// hash of the SignerInfo's signature value.
void check_signature_timestamp(const crypto::CmsSignature& cms, SignatureReport& report,
                               Evidence& evidence) {
  const std::vector<Bytes> tokens = cms.signature_timestamp_tokens();
  if (tokens.empty()) {
    return;
  }
  const Bytes value = cms.signature_value();
  const std::array<ByteView, 1> parts{ByteView(value)};
  evidence.timestamp = check_timestamp_token(tokens.front(), parts, "timestamp", report.findings);
  if (evidence.timestamp) {
    report.timestamp_time = iso_time(evidence.timestamp->gen_time);
    report.timestamp_authority = evidence.timestamp->tsa.subject();
  }
  if (tokens.size() > 1) {
    add(report.findings, Severity::kWarning, "timestamp.several",
        fmt::format("the signature carries {} signature time-stamps; the first is used",
                    tokens.size()));
  }
}

// read_archival takes the CRLs and OCSP responses out of an adbe-revocationInfoArchival
// attribute: SEQUENCE { [0] EXPLICIT SEQUENCE OF CRL, [1] EXPLICIT SEQUENCE OF OCSPResponse,
// ... }.
void read_archival(const crypto::CmsSignature& cms, SignatureReport& report, Evidence& evidence) {
  const std::optional<Bytes> archival = cms.signed_attribute_der(kRevocationInfoArchival);
  if (!archival) {
    return;
  }
  auto parsed = crypto::split_revocation_archival(*archival);
  if (!parsed) {
    add(report.findings, Severity::kWarning, "revocation.archival_unreadable",
        fmt::format("the adbe-revocationInfoArchival attribute cannot be read: {}",
                    parsed.error().message));
    return;
  }
  evidence.crls = std::move(parsed->crls);
  evidence.ocsps = std::move(parsed->ocsps);
}

}  // namespace

std::string iso_time(std::chrono::system_clock::time_point time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(time));
}

std::optional<VerifiedTimestamp> check_timestamp_token(ByteView token,
                                                       std::span<const ByteView> parts,
                                                       const std::string& prefix,
                                                       std::vector<Finding>& out) {
  auto parsed = crypto::TimestampToken::parse(token);
  if (!parsed) {
    add(out, Severity::kError, prefix + ".malformed", parsed.error().message);
    return std::nullopt;
  }
  if (!parsed->imprint_matches(parts)) {
    add(out, Severity::kError, prefix + ".imprint_mismatch",
        prefix == "timestamp"
            ? std::string("the signature time-stamp's message imprint is not the hash of this "
                          "signature's value (a time-stamp of something else)")
            : std::string("the document time-stamp's message imprint is not the hash of its "
                          "byte range: the document has been altered"));
    return std::nullopt;
  }
  const std::vector<crypto::Certificate> carried = parsed->certificates();
  auto tsa = parsed->verify(carried);
  if (!tsa) {
    add(out, Severity::kError, prefix + ".signature_invalid", tsa.error().message);
    return std::nullopt;
  }
  if (auto purpose = crypto::check_tsa_certificate(*tsa); !purpose) {
    add(out, Severity::kError, prefix + ".not_tsa", purpose.error().message);
    return std::nullopt;
  }
  add(out, Severity::kInfo, prefix + ".intact",
      fmt::format("the {} verifies: {} imprint matches, signed by {} at {}",
                  prefix == "timestamp" ? "signature time-stamp" : "document time-stamp",
                  parsed->imprint_algorithm(), tsa->subject(), iso_time(parsed->gen_time())));
  return VerifiedTimestamp{parsed->gen_time(), *tsa, carried};
}

Status check_document_timestamp(ByteView file, const SignedRanges& ranges,
                                const SignatureDict& sig, SignatureReport& report,
                                Evidence& evidence) {
  evidence.is_document_timestamp = true;
  const std::array<ByteView, 2> parts{
      file.subspan(0, ranges.first_length),
      file.subspan(ranges.second_offset, ranges.second_length)};
  evidence.timestamp = check_timestamp_token(as_bytes(sig.contents), parts, "doc_timestamp",
                                             report.findings);
  if (!evidence.timestamp) {
    return {};
  }
  evidence.intact = true;
  evidence.signer = evidence.timestamp->tsa;
  evidence.certificates = evidence.timestamp->certificates;
  report.timestamp_time = iso_time(evidence.timestamp->gen_time);
  report.timestamp_authority = evidence.timestamp->tsa.subject();
  report.signer_subject = evidence.timestamp->tsa.subject();
  report.signer_issuer = evidence.timestamp->tsa.issuer();
  report.digest_algorithm = "";
  return {};
}

Status check_cms(ByteView file, const SignedRanges& ranges, const SignatureDict& sig,
                 SignatureReport& report, Evidence& evidence) {
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
  bool digest_matched = false;
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
    digest_matched = *digest == *message_digest;
    if (digest_matched) {
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
  evidence.signer = *signer;
  evidence.certificates = cms.certificates();
  std::string detail;
  if (cms.verify_signed_attributes(*signer, detail)) {
    add(report.findings, Severity::kInfo, "cms.signature_valid",
        "the signature over the signed attributes verifies with the signer's certificate");
    evidence.intact = usable && digest_matched;
  } else {
    add(report.findings, Severity::kError, "cms.signature_invalid",
        fmt::format("the signature does not verify: {}", detail));
  }
  check_signer(cms, *signer, sig, report);
  check_signature_timestamp(cms, report, evidence);
  read_archival(cms, report, evidence);
  return {};
}

}  // namespace pactum::pdf::validation
