#pragma once

// Verification side of CMS SignedData for detached signatures (PAdES): parse, look at the one
// SignerInfo, hash content with its digest algorithm, check the signature over the signed
// attributes, and build the signer's chain to given trust anchors. Outcomes that describe the
// signature (a bad signature, an untrusted chain) are values, not errors; errors are reserved
// for input that is not CMS at all and for OpenSSL failing.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/digest.h"

namespace pactum::crypto {

// ContentHasher hashes content incrementally with the digest algorithm a SignerInfo names.
// update any number of times, then finish once.
class ContentHasher {
 public:
  ContentHasher(ContentHasher&&) noexcept;
  ContentHasher& operator=(ContentHasher&&) noexcept;
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;

  // for_native starts a hasher with an OpenSSL digest (not null); kCrypto if OpenSSL fails.
  static Result<ContentHasher> for_native(const EVP_MD* md);

  // update feeds bytes; returns false if OpenSSL fails (the digest is then unusable).
  bool update(ByteView bytes);
  // finish returns the digest; kCrypto if OpenSSL fails.
  Result<Bytes> finish();

 private:
  struct State;
  explicit ContentHasher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// CmsSignature is a parsed CMS ContentInfo holding SignedData, with its first SignerInfo.
class CmsSignature {
 public:
  // parse reads one DER ContentInfo from the start of der. Bytes after it are allowed only when
  // they are all zero (the padding of a PDF /Contents placeholder); trailing_garbage() reports
  // otherwise rather than failing. Fails with kMalformed when der is not a CMS ContentInfo of
  // type SignedData with at least one SignerInfo.
  static Result<CmsSignature> parse(ByteView der);

  CmsSignature(CmsSignature&&) noexcept;
  CmsSignature& operator=(CmsSignature&&) noexcept;
  ~CmsSignature();
  CmsSignature(const CmsSignature&) = delete;
  CmsSignature& operator=(const CmsSignature&) = delete;

  // trailing_garbage reports non-zero bytes after the DER encoding.
  [[nodiscard]] bool trailing_garbage() const { return trailing_garbage_; }
  // signer_count returns the number of SignerInfos (PAdES requires exactly one).
  [[nodiscard]] int signer_count() const;
  // detached reports whether the SignedData carries no encapsulated content.
  [[nodiscard]] bool detached() const;
  // content_type_is_data reports whether eContentType is id-data.
  [[nodiscard]] bool content_type_is_data() const;
  // digest_name returns the SignerInfo's digest algorithm as OpenSSL names it ("SHA256").
  [[nodiscard]] std::string digest_name() const;
  // has_signed_attributes reports whether the SignerInfo has signed attributes at all.
  [[nodiscard]] bool has_signed_attributes() const;
  // message_digest returns the messageDigest signed attribute, or nullopt when it is absent,
  // repeated or not a single OCTET STRING.
  [[nodiscard]] std::optional<Bytes> message_digest() const;
  // certificates returns every certificate the SignedData embeds.
  [[nodiscard]] std::vector<Certificate> certificates() const;
  // signer_certificate returns the embedded certificate (or one of extra) that the SignerInfo
  // identifies, or nullopt when none matches.
  [[nodiscard]] std::optional<Certificate> signer_certificate(
      std::span<const Certificate> extra = {}) const;
  // signature_value returns the SignerInfo's signature value (what a signature time-stamp
  // covers).
  [[nodiscard]] Bytes signature_value() const;
  // signature_timestamp_tokens returns the DER of every id-aa-signatureTimeStampToken value
  // among the unsigned attributes (PAdES B-T), in order.
  [[nodiscard]] std::vector<Bytes> signature_timestamp_tokens() const;
  // signed_attribute_der returns the DER of the single value of the signed attribute with the
  // dotted oid, or nullopt when it is absent, repeated or not a constructed value.
  [[nodiscard]] std::optional<Bytes> signed_attribute_der(const char* oid) const;
  // encapsulated_content returns the eContent when the SignedData carries one.
  [[nodiscard]] std::optional<Bytes> encapsulated_content() const;
  // content_type_oid returns the eContentType as a dotted OID.
  [[nodiscard]] std::string content_type_oid() const;

  // EssBinding is whether the ESS signingCertificate(V2) signed attribute names a certificate.
  enum class EssBinding : std::uint8_t { kMatches, kMismatch, kAbsent };
  // signing_certificate_binding checks the ESS signingCertificateV2 (or v1) attribute against
  // signer: kAbsent when neither is present, kMismatch when its first certificate hash (and
  // issuerSerial, when given) does not name signer or the attribute does not parse.
  [[nodiscard]] EssBinding signing_certificate_binding(const Certificate& signer) const;

  // content_hasher returns a hasher for the SignerInfo's digest algorithm; kUnsupported when
  // OpenSSL does not know it, kCrypto when it fails.
  [[nodiscard]] Result<ContentHasher> content_hasher() const;

  // verify_signed_attributes checks the SignerInfo's signature over its signed attributes with
  // signer's public key. Returns true when it holds, false when it does not (the reason in
  // `detail`); never fails.
  bool verify_signed_attributes(const Certificate& signer, std::string& detail);

 private:
  struct State;
  explicit CmsSignature(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
  bool trailing_garbage_ = false;
};

// ChainStatus is the outcome of building a signer's chain.
enum class ChainStatus : std::uint8_t {
  kTrusted,      // a chain to one of the anchors, every certificate valid at the time
  kNoAnchors,    // no trust anchor was given: nothing to decide with
  kNotTrusted,   // no chain to any anchor could be built (unknown issuer, untrusted root)
  kOutOfPeriod,  // a chain exists but a certificate is expired or not yet valid at the time
  kInvalid,      // a chain exists but is broken (bad certificate signature, bad extensions)
};

// ChainResult is what verify_chain found: its status, OpenSSL's reason, and the chain's
// subjects from the signer up.
struct ChainResult {
  ChainStatus status = ChainStatus::kNotTrusted;
  std::string detail;
  std::vector<std::string> subjects;
  std::vector<Certificate> certificates;  // the chain from the signer up, as far as it was built
};

// verify_chain builds a chain from leaf through intermediates to one of anchors, checking every
// certificate at time `at` (no revocation checks). Returns kNoAnchors when anchors is empty.
// Fails with kCrypto only when OpenSSL itself fails to set up the check.
Result<ChainResult> verify_chain(const Certificate& leaf,
                                 std::span<const Certificate> intermediates,
                                 std::span<const Certificate> anchors,
                                 std::chrono::system_clock::time_point at);

// check_signing_key_usage checks that cert may sign documents: keyUsage, when present, has
// digitalSignature or nonRepudiation; extendedKeyUsage, when present, allows document signing
// (anyExtendedKeyUsage, emailProtection, documentSigning, Adobe authenticDocuments or Microsoft
// document signing). Fails with kCrypto naming the problem.
Status check_signing_key_usage(const Certificate& cert);

// chain_status_name returns a stable identifier ("trusted", "no_anchors", ...).
const char* chain_status_name(ChainStatus status);

}  // namespace pactum::crypto
