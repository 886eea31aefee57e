#include "pactum/crypto/cms_verifier.h"

#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <utility>

#include <fmt/format.h>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {

struct ContentHasher::State {
  UniquePtr<EVP_MD_CTX> ctx;
};

ContentHasher::ContentHasher(std::unique_ptr<State> state) : state_(std::move(state)) {}
ContentHasher::ContentHasher(ContentHasher&&) noexcept = default;
ContentHasher& ContentHasher::operator=(ContentHasher&&) noexcept = default;
ContentHasher::~ContentHasher() = default;

Result<ContentHasher> ContentHasher::for_native(const EVP_MD* md) {
  auto state = std::make_unique<State>();
  state->ctx.reset(EVP_MD_CTX_new());
  if (!state->ctx || EVP_DigestInit_ex(state->ctx.get(), md, nullptr) != 1) {
    return openssl_fail("starting a content digest");
  }
  return ContentHasher(std::move(state));
}

bool ContentHasher::update(ByteView bytes) {
  return EVP_DigestUpdate(state_->ctx.get(), bytes.data(), bytes.size()) == 1;
}

Result<Bytes> ContentHasher::finish() {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->ctx.get(), out.data(), &length) != 1) {
    return openssl_fail("finishing a content digest");
  }
  out.resize(length);
  return out;
}

struct CmsSignature::State {
  UniquePtr<CMS_ContentInfo> cms;
  CMS_SignerInfo* signer = nullptr;  // owned by cms
};

CmsSignature::CmsSignature(std::unique_ptr<State> state) : state_(std::move(state)) {}
CmsSignature::CmsSignature(CmsSignature&&) noexcept = default;
CmsSignature& CmsSignature::operator=(CmsSignature&&) noexcept = default;
CmsSignature::~CmsSignature() = default;

Result<CmsSignature> CmsSignature::parse(ByteView der) {
  if (!std::in_range<long>(der.size())) {
    return fail(ErrorCode::kMalformed, "the CMS signature is too large");
  }
  const unsigned char* cursor = der.data();
  UniquePtr<CMS_ContentInfo> cms(
      d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(der.size())));
  if (!cms) {
    clear_openssl_errors();
    return fail(ErrorCode::kMalformed, "the signature is not a DER CMS ContentInfo");
  }
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    return fail(ErrorCode::kMalformed, "the CMS ContentInfo is not SignedData");
  }
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  if (signers == nullptr || sk_CMS_SignerInfo_num(signers) < 1) {
    return fail(ErrorCode::kMalformed, "the CMS SignedData has no SignerInfo");
  }
  auto state = std::make_unique<State>();
  state->signer = sk_CMS_SignerInfo_value(signers, 0);
  state->cms = std::move(cms);
  const auto consumed = static_cast<std::size_t>(cursor - der.data());
  const ByteView rest = der.subspan(consumed);
  CmsSignature out(std::move(state));
  out.trailing_garbage_ = std::any_of(rest.begin(), rest.end(), [](auto b) { return b != 0; });
  return out;
}

int CmsSignature::signer_count() const {
  return sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(state_->cms.get()));
}

bool CmsSignature::detached() const { return CMS_is_detached(state_->cms.get()) == 1; }

bool CmsSignature::content_type_is_data() const {
  return OBJ_obj2nid(CMS_get0_eContentType(state_->cms.get())) == NID_pkcs7_data;
}

std::string CmsSignature::digest_name() const {
  X509_ALGOR* algorithm = nullptr;
  CMS_SignerInfo_get0_algs(state_->signer, nullptr, nullptr, &algorithm, nullptr);
  if (algorithm == nullptr) {
    return "unknown";
  }
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
  const int nid = OBJ_obj2nid(oid);
  return nid == NID_undef ? "unknown" : OBJ_nid2sn(nid);
}

bool CmsSignature::has_signed_attributes() const {
  return CMS_signed_get_attr_count(state_->signer) > 0;
}

std::optional<Bytes> CmsSignature::message_digest() const {
  // lastpos -3: the attribute must occur once, with exactly one value.
  const auto* value = static_cast<const ASN1_OCTET_STRING*>(CMS_signed_get0_data_by_OBJ(
      state_->signer, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
  if (value == nullptr) {
    clear_openssl_errors();
    return std::nullopt;
  }
  const unsigned char* data = ASN1_STRING_get0_data(value);
  return Bytes(data, data + ASN1_STRING_length(value));
}

std::vector<Certificate> CmsSignature::certificates() const {
  std::vector<Certificate> out;
  const UniquePtr<STACK_OF(X509)> certs(CMS_get1_certs(state_->cms.get()));
  if (!certs) {
    return out;
  }
  for (int i = 0; i < sk_X509_num(certs.get()); ++i) {
    if (auto shared = Certificate::share(sk_X509_value(certs.get(), i))) {
      out.push_back(std::move(*shared));
    }
  }
  clear_openssl_errors();
  return out;
}

std::optional<Certificate> CmsSignature::signer_certificate(
    std::span<const Certificate> extra) const {
  for (Certificate& cert : certificates()) {
    if (CMS_SignerInfo_cert_cmp(state_->signer, cert.native()) == 0) {
      return cert;
    }
  }
  for (const Certificate& cert : extra) {
    if (CMS_SignerInfo_cert_cmp(state_->signer, cert.native()) == 0) {
      return cert;
    }
  }
  return std::nullopt;
}

Bytes CmsSignature::signature_value() const {
  const ASN1_OCTET_STRING* value = CMS_SignerInfo_get0_signature(state_->signer);
  if (value == nullptr) {
    return {};
  }
  const unsigned char* data = ASN1_STRING_get0_data(value);
  return Bytes(data, data + ASN1_STRING_length(value));
}

namespace {

// constructed_der returns the full DER of an attribute value that is a SEQUENCE or SET.
std::optional<Bytes> constructed_der(const ASN1_TYPE* value) {
  if (value == nullptr || (value->type != V_ASN1_SEQUENCE && value->type != V_ASN1_SET)) {
    return std::nullopt;
  }
  const ASN1_STRING* text = value->value.sequence;
  const unsigned char* data = ASN1_STRING_get0_data(text);
  return Bytes(data, data + ASN1_STRING_length(text));
}

}  // namespace

std::vector<Bytes> CmsSignature::signature_timestamp_tokens() const {
  std::vector<Bytes> out;
  int position = -1;
  while ((position = CMS_unsigned_get_attr_by_NID(state_->signer, NID_id_smime_aa_timeStampToken,
                                                  position)) >= 0) {
    X509_ATTRIBUTE* attribute = CMS_unsigned_get_attr(state_->signer, position);
    for (int i = 0; i < X509_ATTRIBUTE_count(attribute); ++i) {
      if (auto der = constructed_der(X509_ATTRIBUTE_get0_type(attribute, i))) {
        out.push_back(std::move(*der));
      }
    }
  }
  clear_openssl_errors();
  return out;
}

std::optional<Bytes> CmsSignature::signed_attribute_der(const char* oid) const {
  const UniquePtr<ASN1_OBJECT> object(OBJ_txt2obj(oid, 1));
  if (!object) {
    clear_openssl_errors();
    return std::nullopt;
  }
  const int position = CMS_signed_get_attr_by_OBJ(state_->signer, object.get(), -1);
  if (position < 0 || CMS_signed_get_attr_by_OBJ(state_->signer, object.get(), position) >= 0) {
    clear_openssl_errors();
    return std::nullopt;
  }
  X509_ATTRIBUTE* attribute = CMS_signed_get_attr(state_->signer, position);
  if (X509_ATTRIBUTE_count(attribute) != 1) {
    return std::nullopt;
  }
  return constructed_der(X509_ATTRIBUTE_get0_type(attribute, 0));
}

std::optional<Bytes> CmsSignature::encapsulated_content() const {
  ASN1_OCTET_STRING** content = CMS_get0_content(state_->cms.get());
  if (content == nullptr || *content == nullptr) {
    return std::nullopt;
  }
  const unsigned char* data = ASN1_STRING_get0_data(*content);
  return Bytes(data, data + ASN1_STRING_length(*content));
}

std::string CmsSignature::content_type_oid() const {
  std::array<char, 128> text{};
  const int length = OBJ_obj2txt(text.data(), static_cast<int>(text.size()),
                                 CMS_get0_eContentType(state_->cms.get()), 1);
  return length > 0 ? std::string(text.data()) : std::string();
}

CmsSignature::EssBinding CmsSignature::signing_certificate_binding(
    const Certificate& signer) const {
  auto attribute = [&](int nid) -> const ASN1_STRING* {
    const auto* value = static_cast<const ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(
        state_->signer, OBJ_nid2obj(nid), -3, V_ASN1_SEQUENCE));
    clear_openssl_errors();
    return value;
  };
  const ASN1_STRING* v2 = attribute(NID_id_smime_aa_signingCertificateV2);
  const ASN1_STRING* v1 = attribute(NID_id_smime_aa_signingCertificate);
  if (v2 == nullptr && v1 == nullptr) {
    return EssBinding::kAbsent;
  }
  UniquePtr<ESS_SIGNING_CERT_V2> parsed_v2;
  UniquePtr<ESS_SIGNING_CERT> parsed_v1;
  if (v2 != nullptr) {
    const unsigned char* cursor = ASN1_STRING_get0_data(v2);
    parsed_v2.reset(d2i_ESS_SIGNING_CERT_V2(nullptr, &cursor, ASN1_STRING_length(v2)));
  }
  if (v1 != nullptr) {
    const unsigned char* cursor = ASN1_STRING_get0_data(v1);
    parsed_v1.reset(d2i_ESS_SIGNING_CERT(nullptr, &cursor, ASN1_STRING_length(v1)));
  }
  const UniquePtr<STACK_OF(X509)> chain(sk_X509_new_null());
  if ((v2 != nullptr && !parsed_v2) || (v1 != nullptr && !parsed_v1) || !chain ||
      X509_add_cert(chain.get(), signer.native(), X509_ADD_FLAG_UP_REF) != 1) {
    clear_openssl_errors();
    return EssBinding::kMismatch;
  }
  const int checked =
      OSSL_ESS_check_signing_certs(parsed_v1.get(), parsed_v2.get(), chain.get(), 1);
  clear_openssl_errors();
  return checked == 1 ? EssBinding::kMatches : EssBinding::kMismatch;
}

Result<ContentHasher> CmsSignature::content_hasher() const {
  X509_ALGOR* algorithm = nullptr;
  CMS_SignerInfo_get0_algs(state_->signer, nullptr, nullptr, &algorithm, nullptr);
  const ASN1_OBJECT* oid = nullptr;
  if (algorithm != nullptr) {
    X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
  }
  const EVP_MD* md = oid == nullptr ? nullptr : EVP_get_digestbyobj(oid);
  if (md == nullptr) {
    clear_openssl_errors();
    return fail(ErrorCode::kUnsupported,
                fmt::format("unsupported digest algorithm {}", digest_name()));
  }
  return ContentHasher::for_native(md);
}

bool CmsSignature::verify_signed_attributes(const Certificate& signer, std::string& detail) {
  if (!has_signed_attributes()) {
    detail = "the SignerInfo has no signed attributes";
    return false;
  }
  CMS_SignerInfo_set1_signer_cert(state_->signer, signer.native());
  const int verified = CMS_SignerInfo_verify(state_->signer);
  CMS_SignerInfo_set1_signer_cert(state_->signer, nullptr);
  if (verified == 1) {
    detail.clear();
    return true;
  }
  detail = openssl_error("verifying the signature over the signed attributes").message;
  return false;
}

Status check_signing_key_usage(const Certificate& cert) {
  X509* native = cert.native();
  const std::uint32_t flags = X509_get_extension_flags(native);
  if ((flags & EXFLAG_KUSAGE) != 0U &&
      (X509_get_key_usage(native) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0U) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the keyUsage of {} allows neither digitalSignature nor "
                            "nonRepudiation",
                            cert.subject()));
  }
  if ((flags & EXFLAG_XKUSAGE) == 0U) {
    return {};
  }
  static constexpr std::array kDocumentSigning{
      "2.5.29.37.0",             // anyExtendedKeyUsage
      "1.3.6.1.5.5.7.3.4",       // emailProtection
      "1.3.6.1.5.5.7.3.36",      // documentSigning (RFC 9336)
      "1.2.840.113583.1.1.5",    // Adobe authenticDocumentsTrust
      "1.3.6.1.4.1.311.10.3.12"  // Microsoft document signing
  };
  const UniquePtr<EXTENDED_KEY_USAGE> usage(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(native, NID_ext_key_usage, nullptr, nullptr)));
  clear_openssl_errors();
  for (int i = 0; usage && i < sk_ASN1_OBJECT_num(usage.get()); ++i) {
    std::array<char, 128> text{};
    OBJ_obj2txt(text.data(), static_cast<int>(text.size()), sk_ASN1_OBJECT_value(usage.get(), i),
                1);
    for (const char* allowed : kDocumentSigning) {
      if (std::string_view(text.data()) == allowed) {
        return {};
      }
    }
  }
  return fail(ErrorCode::kCrypto,
              fmt::format("the extendedKeyUsage of {} does not allow signing documents",
                          cert.subject()));
}

const char* chain_status_name(ChainStatus status) {
  switch (status) {
    case ChainStatus::kTrusted:
      return "trusted";
    case ChainStatus::kNoAnchors:
      return "no_anchors";
    case ChainStatus::kNotTrusted:
      return "not_trusted";
    case ChainStatus::kOutOfPeriod:
      return "out_of_period";
    case ChainStatus::kInvalid:
      return "invalid";
  }
  return "invalid";
}

namespace {

ChainStatus classify(int error) {
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
      return ChainStatus::kNotTrusted;
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return ChainStatus::kOutOfPeriod;
    default:
      return ChainStatus::kInvalid;
  }
}

}  // namespace

Result<ChainResult> verify_chain(const Certificate& leaf,
                                 std::span<const Certificate> intermediates,
                                 std::span<const Certificate> anchors,
                                 std::chrono::system_clock::time_point at) {
  ChainResult result;
  if (anchors.empty()) {
    result.status = ChainStatus::kNoAnchors;
    result.detail = "no trust anchor was given";
    result.subjects.push_back(leaf.subject());
    result.certificates.push_back(leaf);
    return result;
  }
  const UniquePtr<X509_STORE> store(X509_STORE_new());
  const UniquePtr<STACK_OF(X509)> untrusted(sk_X509_new_null());
  const UniquePtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) {
    return openssl_fail("setting up a chain check");
  }
  for (const Certificate& anchor : anchors) {
    if (X509_STORE_add_cert(store.get(), anchor.native()) != 1) {
      clear_openssl_errors();  // the same anchor given twice
    }
  }
  for (const Certificate& cert : intermediates) {
    if (X509_up_ref(cert.native()) != 1 || sk_X509_push(untrusted.get(), cert.native()) <= 0) {
      return openssl_fail("collecting the embedded certificates");
    }
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.native(), untrusted.get()) != 1) {
    return openssl_fail("starting a chain check");
  }
  const auto seconds = std::chrono::system_clock::to_time_t(at);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), seconds);
  const int ok = X509_verify_cert(ctx.get());
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    if (auto cert = Certificate::share(sk_X509_value(chain, i))) {
      result.subjects.push_back(cert->subject());
      result.certificates.push_back(std::move(*cert));
    }
  }
  if (ok == 1) {
    result.status = ChainStatus::kTrusted;
  } else {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    result.status = classify(error);
    result.detail = fmt::format("{} (depth {})", X509_verify_cert_error_string(error),
                                X509_STORE_CTX_get_error_depth(ctx.get()));
  }
  clear_openssl_errors();
  return result;
}

}  // namespace pactum::crypto
