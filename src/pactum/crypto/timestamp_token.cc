#include "pactum/crypto/timestamp_token.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <array>
#include <utility>

#include <fmt/format.h>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {

struct TimestampToken::State {
  UniquePtr<TS_TST_INFO> info;
};

TimestampToken::TimestampToken(CmsSignature cms, std::unique_ptr<State> state)
    : cms_(std::move(cms)), state_(std::move(state)) {}
TimestampToken::TimestampToken(TimestampToken&&) noexcept = default;
TimestampToken& TimestampToken::operator=(TimestampToken&&) noexcept = default;
TimestampToken::~TimestampToken() = default;

namespace {

std::string as_string(const ASN1_STRING* text) {
  if (text == nullptr) {
    return {};
  }
  return std::string(as_chars(ByteView(ASN1_STRING_get0_data(text),
                                       static_cast<std::size_t>(ASN1_STRING_length(text)))));
}

const EVP_MD* imprint_md(TS_TST_INFO* info) {
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(info)));
  const EVP_MD* md = oid == nullptr ? nullptr : EVP_get_digestbyobj(oid);
  clear_openssl_errors();
  return md;
}

}  // namespace

Result<TimestampToken> TimestampToken::parse(ByteView der) {
  auto cms = CmsSignature::parse(der);
  if (!cms) {
    return fail(ErrorCode::kMalformed,
                fmt::format("not a time-stamp token: {}", cms.error().message));
  }
  if (OBJ_txt2nid(cms->content_type_oid().c_str()) != NID_id_smime_ct_TSTInfo) {
    clear_openssl_errors();
    return fail(ErrorCode::kMalformed, "the token's content is not a TSTInfo");
  }
  const std::optional<Bytes> content = cms->encapsulated_content();
  if (!content || !std::in_range<long>(content->size())) {
    return fail(ErrorCode::kMalformed, "the time-stamp token carries no TSTInfo");
  }
  const unsigned char* cursor = content->data();
  auto state = std::make_unique<State>();
  state->info.reset(d2i_TS_TST_INFO(nullptr, &cursor, static_cast<long>(content->size())));
  if (!state->info) {
    return openssl_fail("reading the TSTInfo of a time-stamp token", ErrorCode::kMalformed);
  }
  TS_TST_INFO* info = state->info.get();
  TimestampToken token(std::move(*cms), std::move(state));
  const ASN1_GENERALIZEDTIME* time = TS_TST_INFO_get_time(info);
  token.gen_time_ = time_point_of(time);
  token.gen_time_text_ = as_string(time);
  const ASN1_INTEGER* serial = TS_TST_INFO_get_serial(info);
  token.serial_hex_ = serial == nullptr ? std::string()
                                        : to_hex(ByteView(ASN1_STRING_get0_data(serial),
                                                          static_cast<std::size_t>(
                                                              ASN1_STRING_length(serial))));
  std::array<char, 128> oid{};
  if (OBJ_obj2txt(oid.data(), static_cast<int>(oid.size()), TS_TST_INFO_get_policy_id(info), 1) >
      0) {
    token.policy_oid_ = oid.data();
  }
  const EVP_MD* md = imprint_md(info);
  token.imprint_algorithm_ = md == nullptr ? "unknown" : EVP_MD_get0_name(md);
  const ASN1_OCTET_STRING* imprint = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(info));
  const unsigned char* data = ASN1_STRING_get0_data(imprint);
  token.imprint_ = Bytes(data, data + ASN1_STRING_length(imprint));
  clear_openssl_errors();
  return token;
}

Result<ContentHasher> TimestampToken::imprint_hasher() const {
  const EVP_MD* md = imprint_md(state_->info.get());
  if (md == nullptr) {
    return fail(ErrorCode::kUnsupported,
                fmt::format("unsupported message imprint algorithm {}", imprint_algorithm_));
  }
  return ContentHasher::for_native(md);
}

bool TimestampToken::imprint_matches(std::span<const ByteView> parts) const {
  auto hasher = imprint_hasher();
  if (!hasher) {
    return false;
  }
  for (const ByteView part : parts) {
    if (!hasher->update(part)) {
      return false;
    }
  }
  auto digest = hasher->finish();
  return digest && *digest == imprint_;
}

Result<Certificate> TimestampToken::verify(std::span<const Certificate> extra) {
  if (cms_.signer_count() != 1) {
    return fail(ErrorCode::kCrypto,
                fmt::format("a time-stamp token has exactly one signer, not {}",
                            cms_.signer_count()));
  }
  std::optional<Certificate> signer = cms_.signer_certificate(extra);
  if (!signer) {
    return fail(ErrorCode::kCrypto,
                "the TSA certificate is neither in the token nor among the known certificates");
  }
  const std::optional<Bytes> message_digest = cms_.message_digest();
  const std::optional<Bytes> content = cms_.encapsulated_content();
  auto hasher = cms_.content_hasher();
  if (!message_digest || !content || !hasher) {
    return fail(ErrorCode::kCrypto,
                "the time-stamp token lacks a usable messageDigest or digest algorithm");
  }
  if (!hasher->update(*content)) {
    return openssl_fail("hashing a TSTInfo");
  }
  auto digest = hasher->finish();
  if (!digest) {
    return std::unexpected(digest.error());
  }
  if (*digest != *message_digest) {
    return fail(ErrorCode::kCrypto,
                "the time-stamp token's messageDigest does not match its TSTInfo");
  }
  std::string detail;
  if (!cms_.verify_signed_attributes(*signer, detail)) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the time-stamp token's signature does not verify: {}", detail));
  }
  switch (cms_.signing_certificate_binding(*signer)) {
    case CmsSignature::EssBinding::kMatches:
      break;
    case CmsSignature::EssBinding::kAbsent:
      return fail(ErrorCode::kCrypto,
                  "the time-stamp token has no ESS signingCertificate(V2) attribute");
    case CmsSignature::EssBinding::kMismatch:
      return fail(ErrorCode::kCrypto,
                  "the time-stamp token's ESS signingCertificate does not name its signer");
  }
  return *signer;
}

Status check_tsa_certificate(const Certificate& tsa) {
  X509* cert = tsa.native();
  const int index = X509_get_ext_by_NID(cert, NID_ext_key_usage, -1);
  if (index < 0) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the TSA certificate {} has no extendedKeyUsage", tsa.subject()));
  }
  if (X509_EXTENSION_get_critical(X509_get_ext(cert, index)) != 1) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the extendedKeyUsage of the TSA certificate {} is not critical, as "
                            "RFC 3161 requires",
                            tsa.subject()));
  }
  const bool fit = X509_check_purpose(cert, X509_PURPOSE_TIMESTAMP_SIGN, 0) == 1;
  clear_openssl_errors();
  if (!fit) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the TSA certificate {} is not for time-stamping only "
                            "(extendedKeyUsage must be timeStamping alone, keyUsage only "
                            "digitalSignature and/or nonRepudiation)",
                            tsa.subject()));
  }
  return {};
}

}  // namespace pactum::crypto
