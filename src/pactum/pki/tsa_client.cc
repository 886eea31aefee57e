#include "pactum/pki/tsa_client.h"

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <array>
#include <ctime>
#include <utility>

#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/random.h"
#include "pactum/crypto/timestamp_token.h"
#include "pactum/pki/native_ptr.h"

namespace pactum::pki {
namespace {

using crypto::openssl_fail;
using crypto::UniquePtr;
using Asn1Object = OwnedBy<ASN1_OBJECT, ASN1_OBJECT_free>;
using TsReq = OwnedBy<TS_REQ, TS_REQ_free>;
using TsResp = OwnedBy<TS_RESP, TS_RESP_free>;
using TsTstInfo = OwnedBy<TS_TST_INFO, TS_TST_INFO_free>;
using TsMsgImprint = OwnedBy<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>;
using TsVerifyCtx = OwnedBy<TS_VERIFY_CTX, TS_VERIFY_CTX_free>;
using X509Algor = OwnedBy<X509_ALGOR, X509_ALGOR_free>;
using Pkcs7 = OwnedBy<PKCS7, PKCS7_free>;

// free_stack_only releases a STACK_OF(X509) whose certificates it does not own.
void free_stack_only(STACK_OF(X509) * stack) { sk_X509_free(stack); }
using BorrowedCerts = OwnedBy<STACK_OF(X509), free_stack_only>;

constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kMaxNonceBytes = 32;

// parse_der decodes exactly one DER object of type T from der; kMalformed with the offset of any
// trailing bytes.
template <typename T, auto Free, auto Decode>
Result<OwnedBy<T, Free>> parse_der(ByteView der, std::string_view what) {
  if (der.empty() || !std::in_range<long>(der.size())) {
    return fail(ErrorCode::kMalformed, fmt::format("{}: empty or too large", what));
  }
  const unsigned char* cursor = der.data();
  OwnedBy<T, Free> object(Decode(nullptr, &cursor, static_cast<long>(der.size())));
  if (!object) {
    return openssl_fail(fmt::format("parsing {}", what), ErrorCode::kMalformed);
  }
  const auto consumed = static_cast<std::size_t>(cursor - der.data());
  if (consumed != der.size()) {
    return fail(ErrorCode::kMalformed, fmt::format("trailing bytes after {}", what), consumed);
  }
  return object;
}

Result<UniquePtr<ASN1_INTEGER>> to_asn1_integer(ByteView big_endian) {
  const UniquePtr<BIGNUM> number(
      BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), nullptr));
  UniquePtr<ASN1_INTEGER> integer(number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr);
  if (!integer) {
    return openssl_fail("encoding an integer");
  }
  return integer;
}

// magnitude returns the big-endian bytes of a non-negative INTEGER ({0} for zero).
Bytes magnitude(const ASN1_INTEGER* integer) {
  const auto length = static_cast<std::size_t>(ASN1_STRING_length(integer));
  if (length == 0) {
    return Bytes{0};
  }
  const ByteView bytes(ASN1_STRING_get0_data(integer), length);
  return {bytes.begin(), bytes.end()};
}

std::string oid_text(const ASN1_OBJECT* object) {
  std::array<char, 128> text{};
  const int length = OBJ_obj2txt(text.data(), static_cast<int>(text.size()), object, 1);
  return length > 0 ? std::string(text.data()) : std::string("?");
}

std::string algorithm_name(const X509_ALGOR* algorithm) {
  const ASN1_OBJECT* object = nullptr;
  X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
  const int nid = OBJ_obj2nid(object);
  return nid != NID_undef ? std::string(OBJ_nid2ln(nid)) : oid_text(object);
}

std::string general_name_text(const GENERAL_NAME* name) {
  auto bio = crypto::new_memory_bio();
  if (!bio) {
    return {};
  }
  constexpr unsigned long kFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  int type = 0;
  const void* value = GENERAL_NAME_get0_value(name, &type);
  const bool printed =
      type == GEN_DIRNAME
          ? X509_NAME_print_ex(bio->get(), static_cast<const X509_NAME*>(value), 0, kFlags) >= 0
          : GENERAL_NAME_print(bio->get(), const_cast<GENERAL_NAME*>(name)) == 1;  // NOLINT
  crypto::clear_openssl_errors();
  return printed ? crypto::bio_contents(bio->get()).value_or(std::string()) : std::string();
}

std::chrono::system_clock::time_point to_time_point(const ASN1_GENERALIZEDTIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    crypto::clear_openssl_errors();
    return {};
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

const char* status_name(long status) {
  static constexpr std::array<const char*, 6> kNames{"granted",           "grantedWithMods",
                                                     "rejection",         "waiting",
                                                     "revocationWarning", "revocationNotification"};
  return status >= 0 && std::cmp_less(status, kNames.size())
             ? kNames.at(static_cast<std::size_t>(status))
             : "unknown status";
}

TimeStampStatus status_of(TS_STATUS_INFO* info) {
  TimeStampStatus out;
  out.status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(info));
  if (const auto* texts = TS_STATUS_INFO_get0_text(info); texts != nullptr) {
    for (int i = 0; i < sk_ASN1_UTF8STRING_num(texts); ++i) {
      const ASN1_UTF8STRING* text = sk_ASN1_UTF8STRING_value(texts, i);
      if (!out.text.empty()) {
        out.text += "; ";
      }
      out.text += as_chars(ByteView(ASN1_STRING_get0_data(text),
                                    static_cast<std::size_t>(ASN1_STRING_length(text))));
    }
  }
  struct Bit {
    int number;
    const char* name;
  };
  static constexpr std::array kFailures{
      Bit{TS_INFO_BAD_ALG, "badAlg"},
      Bit{TS_INFO_BAD_REQUEST, "badRequest"},
      Bit{TS_INFO_BAD_DATA_FORMAT, "badDataFormat"},
      Bit{TS_INFO_TIME_NOT_AVAILABLE, "timeNotAvailable"},
      Bit{TS_INFO_UNACCEPTED_POLICY, "unacceptedPolicy"},
      Bit{TS_INFO_UNACCEPTED_EXTENSION, "unacceptedExtension"},
      Bit{TS_INFO_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable"},
      Bit{TS_INFO_SYSTEM_FAILURE, "systemFailure"},
  };
  if (const ASN1_BIT_STRING* bits = TS_STATUS_INFO_get0_failure_info(info); bits != nullptr) {
    for (int n = 0; n < ASN1_STRING_length(bits) * 8; ++n) {
      if (ASN1_BIT_STRING_get_bit(bits, n) != 1) {
        continue;
      }
      std::string name = fmt::format("failInfo bit {}", n);
      for (const Bit& known : kFailures) {
        if (known.number == n) {
          name = known.name;
        }
      }
      out.failures.push_back(std::move(name));
    }
  }
  return out;
}

Result<UniquePtr<STACK_OF(X509)>> certificate_stack(std::span<const crypto::Certificate> certs) {
  UniquePtr<STACK_OF(X509)> stack(sk_X509_new_null());
  if (!stack) {
    return openssl_fail("collecting certificates");
  }
  for (const crypto::Certificate& cert : certs) {
    if (X509_add_cert(stack.get(), cert.native(), X509_ADD_FLAG_UP_REF) != 1) {
      return openssl_fail("collecting certificates");
    }
  }
  return stack;
}

// check_content compares what the token says with what the query asked, naming the difference.
Status check_content(TS_TST_INFO* info, TS_REQ* request) {
  if (const long version = TS_TST_INFO_get_version(info); version != 1) {
    return fail(ErrorCode::kCrypto,
                fmt::format("the token's TSTInfo has version {}, not 1", version));
  }
  TS_MSG_IMPRINT* got = TS_TST_INFO_get_msg_imprint(info);
  TS_MSG_IMPRINT* want = TS_REQ_get_msg_imprint(request);
  const std::string got_algorithm = algorithm_name(TS_MSG_IMPRINT_get_algo(got));
  const std::string want_algorithm = algorithm_name(TS_MSG_IMPRINT_get_algo(want));
  if (got_algorithm != want_algorithm) {
    return fail(ErrorCode::kCrypto, fmt::format("the token time-stamps a {} imprint, not {}",
                                                got_algorithm, want_algorithm));
  }
  if (ASN1_STRING_cmp(TS_MSG_IMPRINT_get_msg(got), TS_MSG_IMPRINT_get_msg(want)) != 0) {
    return fail(ErrorCode::kCrypto,
                "the token time-stamps another message imprint than the one expected");
  }
  if (const ASN1_INTEGER* nonce = TS_REQ_get_nonce(request); nonce != nullptr) {
    const ASN1_INTEGER* echoed = TS_TST_INFO_get_nonce(info);
    if (echoed == nullptr) {
      return fail(ErrorCode::kCrypto, "the token has no nonce, but the query sent one");
    }
    if (ASN1_INTEGER_cmp(echoed, nonce) != 0) {
      return fail(ErrorCode::kCrypto,
                  "the token's nonce differs from the query's (not the answer to this query)");
    }
  }
  if (const ASN1_OBJECT* policy = TS_REQ_get_policy_id(request); policy != nullptr) {
    if (OBJ_cmp(TS_TST_INFO_get_policy_id(info), policy) != 0) {
      return fail(ErrorCode::kCrypto,
                  fmt::format("the token has policy {}, not the requested {}",
                              oid_text(TS_TST_INFO_get_policy_id(info)), oid_text(policy)));
    }
  }
  return {};
}

// find_signer returns the certificate of the token's only signer, looked up in the token and
// among the given intermediates.
Result<crypto::Certificate> find_signer(PKCS7* token, const TimeStampTrust& trust) {
  if (PKCS7_type_is_signed(token) == 0 ||
      sk_PKCS7_SIGNER_INFO_num(PKCS7_get_signer_info(token)) != 1) {
    return fail(ErrorCode::kCrypto,
                "a time-stamp token must be SignedData with exactly one signer");
  }
  auto extra = certificate_stack(trust.intermediates);
  if (!extra) {
    return std::unexpected(extra.error());
  }
  const BorrowedCerts signers(PKCS7_get0_signers(token, extra->get(), 0));
  if (!signers || sk_X509_num(signers.get()) != 1) {
    crypto::clear_openssl_errors();
    return fail(ErrorCode::kCrypto,
                "the TSA certificate is neither in the token nor among the given certificates");
  }
  auto der = crypto::der_encode(
      [&](unsigned char** out) { return i2d_X509(sk_X509_value(signers.get(), 0), out); },
      "encoding the TSA certificate");
  if (!der) {
    return std::unexpected(der.error());
  }
  return crypto::Certificate::from_der(*der);
}

// verify_signature lets OpenSSL check the signature, the ESS binding of the signer certificate,
// the tsa name against the signer, and the chain to the anchors at time `at`.
Status verify_signature(PKCS7* token, TS_REQ* request, const TimeStampTrust& trust,
                        std::chrono::system_clock::time_point at) {
  TsVerifyCtx context(TS_REQ_to_TS_VERIFY_CTX(request, nullptr));
  UniquePtr<X509_STORE> store(X509_STORE_new());
  auto untrusted = certificate_stack(trust.intermediates);
  if (!untrusted) {
    return std::unexpected(untrusted.error());
  }
  if (!context || !store) {
    return openssl_fail("setting up time-stamp verification");
  }
  for (const crypto::Certificate& anchor : trust.anchors) {
    if (X509_STORE_add_cert(store.get(), anchor.native()) != 1) {
      return openssl_fail("adding a trust anchor");
    }
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()),
                             std::chrono::system_clock::to_time_t(at));
  TS_VERIFY_CTX_add_flags(context.get(), TS_VFY_SIGNATURE | TS_VFY_SIGNER);
  TS_VERIFY_CTX_set_store(context.get(), store.release());       // the context owns it now
  TS_VERIFY_CTX_set_certs(context.get(), untrusted->release());  // and these
  if (TS_RESP_verify_token(context.get(), token) != 1) {
    return openssl_fail("verifying the time-stamp token's signature and TSA certificate chain");
  }
  return {};
}

Result<TimeStampInfo> describe(TS_TST_INFO* info, PKCS7* token, crypto::Certificate signer) {
  auto token_der = crypto::der_encode([&](unsigned char** out) { return i2d_PKCS7(token, out); },
                                      "encoding the time-stamp token");
  if (!token_der) {
    return std::unexpected(token_der.error());
  }
  const ASN1_GENERALIZEDTIME* gen_time = TS_TST_INFO_get_time(info);
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info);
  const ASN1_OCTET_STRING* hashed = TS_MSG_IMPRINT_get_msg(imprint);
  const ByteView imprint_bytes(ASN1_STRING_get0_data(hashed),
                               static_cast<std::size_t>(ASN1_STRING_length(hashed)));
  std::optional<std::chrono::microseconds> accuracy;
  if (const TS_ACCURACY* given = TS_TST_INFO_get_accuracy(info); given != nullptr) {
    const auto part = [](const ASN1_INTEGER* value) {
      return value != nullptr ? ASN1_INTEGER_get(value) : 0L;
    };
    accuracy = std::chrono::seconds(part(TS_ACCURACY_get_seconds(given))) +
               std::chrono::milliseconds(part(TS_ACCURACY_get_millis(given))) +
               std::chrono::microseconds(part(TS_ACCURACY_get_micros(given)));
  }
  std::optional<Bytes> nonce;
  if (const ASN1_INTEGER* value = TS_TST_INFO_get_nonce(info); value != nullptr) {
    nonce = magnitude(value);
  }
  const GENERAL_NAME* tsa = TS_TST_INFO_get_tsa(info);
  return TimeStampInfo{
      .gen_time = to_time_point(gen_time),
      .gen_time_text =
          std::string(as_chars(ByteView(ASN1_STRING_get0_data(gen_time),
                                        static_cast<std::size_t>(ASN1_STRING_length(gen_time))))),
      .serial = magnitude(TS_TST_INFO_get_serial(info)),
      .policy_oid = oid_text(TS_TST_INFO_get_policy_id(info)),
      .tsa_name = tsa != nullptr ? general_name_text(tsa) : std::string(),
      .imprint_algorithm = algorithm_name(TS_MSG_IMPRINT_get_algo(imprint)),
      .imprint = Bytes(imprint_bytes.begin(), imprint_bytes.end()),
      .nonce = std::move(nonce),
      .accuracy = accuracy,
      .ordering = TS_TST_INFO_get_ordering(info) != 0,
      .signer = std::move(signer),
      .token = std::move(*token_der),
  };
}

// verify_token is the common core: token against request under trust.
Result<TimeStampInfo> verify_token(PKCS7* token, TS_REQ* request, const TimeStampTrust& trust) {
  if (trust.anchors.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "no trust anchor given to verify the time-stamp token against");
  }
  const TsTstInfo info(PKCS7_to_TS_TST_INFO(token));
  if (!info) {
    return openssl_fail("reading the TSTInfo of a time-stamp token", ErrorCode::kMalformed);
  }
  if (auto st = check_content(info.get(), request); !st) {
    return std::unexpected(st.error());
  }
  auto signer = find_signer(token, trust);
  if (!signer) {
    return std::unexpected(signer.error());
  }
  if (auto st = crypto::check_tsa_certificate(*signer); !st) {
    return std::unexpected(st.error());
  }
  const auto gen_time = to_time_point(TS_TST_INFO_get_time(info.get()));
  if (auto st = verify_signature(token, request, trust, trust.at.value_or(gen_time)); !st) {
    return std::unexpected(st.error());
  }
  return describe(info.get(), token, std::move(*signer));
}

// parse_granted_response decodes a TimeStampResp and checks that the TSA granted it with a
// token; kRefused (naming the TSA's status) or kMalformed otherwise.
Result<TsResp> parse_granted_response(ByteView response_der) {
  auto response =
      parse_der<TS_RESP, TS_RESP_free, d2i_TS_RESP>(response_der, "a time-stamp response");
  if (!response) {
    return std::unexpected(response.error());
  }
  const TimeStampStatus status = status_of(TS_RESP_get_status_info(response->get()));
  if (!status.granted()) {
    return fail(ErrorCode::kRefused,
                fmt::format("the TSA did not grant the time-stamp: {}", status.describe()));
  }
  if (TS_RESP_get_token(response->get()) == nullptr) {
    return fail(ErrorCode::kMalformed, "a granted time-stamp response without a token");
  }
  return response;
}

}  // namespace

Result<Bytes> make_timestamp_query(crypto::DigestAlgorithm algorithm, ByteView digest,
                                   bool cert_req, const std::optional<Bytes>& nonce,
                                   std::string_view policy_oid) {
  if (digest.size() != crypto::digest_size(algorithm)) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("a {} digest has {} bytes, not {}", crypto::digest_name(algorithm),
                            crypto::digest_size(algorithm), digest.size()));
  }
  if (nonce && (nonce->empty() || nonce->size() > kMaxNonceBytes)) {
    return fail(ErrorCode::kInvalidArgument, "a query nonce has 1 to 32 bytes");
  }
  const TsReq request(TS_REQ_new());
  const TsMsgImprint imprint(TS_MSG_IMPRINT_new());
  const X509Algor hash_algorithm(X509_ALGOR_new());
  if (!request || !imprint || !hash_algorithm) {
    return openssl_fail("building a time-stamp query");
  }
  X509_ALGOR_set_md(hash_algorithm.get(), crypto::native_digest(algorithm));
  // The setters copy what they are given; OpenSSL's signature lacks const only.
  if (TS_REQ_set_version(request.get(), 1) != 1 ||
      TS_MSG_IMPRINT_set_algo(imprint.get(), hash_algorithm.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), const_cast<std::uint8_t*>(digest.data()),  // NOLINT
                             static_cast<int>(digest.size())) != 1 ||
      TS_REQ_set_msg_imprint(request.get(), imprint.get()) != 1 ||
      TS_REQ_set_cert_req(request.get(), cert_req ? 1 : 0) != 1) {
    return openssl_fail("building a time-stamp query");
  }
  if (nonce) {
    auto value = to_asn1_integer(*nonce);
    if (!value) {
      return std::unexpected(value.error());
    }
    if (TS_REQ_set_nonce(request.get(), value->get()) != 1) {
      return openssl_fail("setting the query nonce");
    }
  }
  if (!policy_oid.empty()) {
    const Asn1Object policy(OBJ_txt2obj(std::string(policy_oid).c_str(), 1));
    if (!policy) {
      return openssl_fail(fmt::format("reading policy OID '{}'", policy_oid),
                          ErrorCode::kInvalidArgument);
    }
    if (TS_REQ_set_policy_id(request.get(), policy.get()) != 1) {
      return openssl_fail("setting the query policy");
    }
  }
  return crypto::der_encode([&](unsigned char** out) { return i2d_TS_REQ(request.get(), out); },
                            "encoding a time-stamp query");
}

Result<Bytes> random_nonce() {
  Bytes nonce(kNonceBytes);
  if (auto st = crypto::fill_random(nonce); !st) {
    return std::unexpected(st.error());
  }
  // Keep all 16 bytes significant, so the value the token echoes has the same bytes.
  nonce.front() = static_cast<std::uint8_t>(nonce.front() | 0x01U);
  return nonce;
}

std::string TimeStampStatus::describe() const {
  std::string out = status_name(status);
  if (!failures.empty()) {
    out += " (";
    for (std::size_t i = 0; i < failures.size(); ++i) {
      out += (i == 0 ? "" : ", ") + failures.at(i);
    }
    out += ")";
  }
  if (!text.empty()) {
    out += ": " + text;
  }
  return out;
}

Result<TimeStampStatus> read_timestamp_status(ByteView response_der) {
  auto response =
      parse_der<TS_RESP, TS_RESP_free, d2i_TS_RESP>(response_der, "a time-stamp response");
  if (!response) {
    return std::unexpected(response.error());
  }
  return status_of(TS_RESP_get_status_info(response->get()));
}

Result<TimeStampInfo> verify_timestamp_response(ByteView response_der, ByteView query_der,
                                                const TimeStampTrust& trust) {
  auto request = parse_der<TS_REQ, TS_REQ_free, d2i_TS_REQ>(query_der, "a time-stamp query");
  if (!request) {
    return std::unexpected(request.error());
  }
  auto response = parse_granted_response(response_der);
  if (!response) {
    return std::unexpected(response.error());
  }
  PKCS7* token = TS_RESP_get_token(response->get());  // owned by the response
  return verify_token(token, request->get(), trust);
}

Result<TimeStampInfo> verify_timestamp_token(ByteView token_der, crypto::DigestAlgorithm algorithm,
                                             ByteView digest, const std::optional<Bytes>& nonce,
                                             const TimeStampTrust& trust) {
  auto query = make_timestamp_query(algorithm, digest, /*cert_req=*/false, nonce);
  if (!query) {
    return std::unexpected(query.error());
  }
  auto request = parse_der<TS_REQ, TS_REQ_free, d2i_TS_REQ>(*query, "a time-stamp query");
  if (!request) {
    return std::unexpected(request.error());
  }
  auto token = parse_der<PKCS7, PKCS7_free, d2i_PKCS7>(token_der, "a time-stamp token");
  if (!token) {
    return std::unexpected(token.error());
  }
  return verify_token(token->get(), request->get(), trust);
}

Result<Bytes> timestamp_token_of(ByteView response_der) {
  auto response = parse_granted_response(response_der);
  if (!response) {
    return std::unexpected(response.error());
  }
  PKCS7* token = TS_RESP_get_token(response->get());  // owned by the response
  return crypto::der_encode([&](unsigned char** out) { return i2d_PKCS7(token, out); },
                            "encoding the time-stamp token");
}

Result<crypto::DigestAlgorithm> timestamp_imprint_algorithm(ByteView token_der) {
  auto token = parse_der<PKCS7, PKCS7_free, d2i_PKCS7>(token_der, "a time-stamp token");
  if (!token) {
    return std::unexpected(token.error());
  }
  const TsTstInfo info(PKCS7_to_TS_TST_INFO(token->get()));
  if (!info) {
    return openssl_fail("reading the TSTInfo of a time-stamp token", ErrorCode::kMalformed);
  }
  const std::string name =
      algorithm_name(TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(info.get())));
  auto algorithm = crypto::parse_digest_name(name);
  if (!algorithm) {
    return fail(ErrorCode::kUnsupported,
                fmt::format("time-stamps over {} are not supported (SHA-256 or SHA-384)", name));
  }
  return algorithm;
}

}  // namespace pactum::pki
