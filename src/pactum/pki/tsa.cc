#include "pactum/pki/tsa.h"

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <array>
#include <utility>

#include "pactum/crypto/openssl_error.h"
#include "pactum/pki/native_ptr.h"
#include "pactum/pki/tsa_client.h"

namespace pactum::pki {
namespace {

using crypto::openssl_fail;
using crypto::UniquePtr;
using TsRespCtx = OwnedBy<TS_RESP_CTX, TS_RESP_CTX_free>;
using TsResp = OwnedBy<TS_RESP, TS_RESP_free>;
using TsReq = OwnedBy<TS_REQ, TS_REQ_free>;
using Asn1Object = OwnedBy<ASN1_OBJECT, ASN1_OBJECT_free>;

constexpr std::uint32_t kMaxAccuracyPart = 999;

// CallState is what the OpenSSL callbacks of one response see.
struct CallState {
  const TsaConfig* config = nullptr;
  std::optional<Error> serial_error;  // why the serial source failed, for stamp()'s message
};

ASN1_INTEGER* next_serial(TS_RESP_CTX* /*context*/, void* data) {
  auto* state = static_cast<CallState*>(data);
  auto serial = state->config->serials->next();
  if (!serial) {
    state->serial_error = serial.error();
    return nullptr;  // OpenSSL answers rejection / addInfoNotAvailable
  }
  if (serial->empty() || !std::in_range<int>(serial->size())) {
    state->serial_error = Error{ErrorCode::kInternal, "the serial source returned no serial", {}};
    return nullptr;
  }
  const UniquePtr<BIGNUM> number(
      BN_bin2bn(serial->data(), static_cast<int>(serial->size()), nullptr));
  return number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr;
}

int current_time(TS_RESP_CTX* /*context*/, void* data, long* seconds, long* micros) {
  const auto* state = static_cast<const CallState*>(data);
  const auto since_epoch = state->config->clock().time_since_epoch();
  const auto whole = std::chrono::floor<std::chrono::seconds>(since_epoch);
  if (whole.count() < 0 || !std::in_range<long>(whole.count())) {
    return 0;  // OpenSSL answers rejection / timeNotAvailable
  }
  *seconds = static_cast<long>(whole.count());
  *micros = static_cast<long>(
      std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - whole).count());
  return 1;
}

// parses_exactly reports whether query is one DER TimeStampReq with nothing after it.
bool parses_exactly(ByteView query) {
  if (query.empty() || query.size() > TimeStampAuthority::kMaxQueryBytes) {
    return false;
  }
  const unsigned char* cursor = query.data();
  const TsReq request(d2i_TS_REQ(nullptr, &cursor, static_cast<long>(query.size())));
  return request && cursor == query.data() + query.size();
}

Status configure_signer(TS_RESP_CTX* context, const TsaConfig& config) {
  if (TS_RESP_CTX_set_signer_cert(context, config.certificate.native()) != 1 ||
      TS_RESP_CTX_set_signer_key(context, config.key.native()) != 1 ||
      TS_RESP_CTX_set_signer_digest(context, crypto::native_digest(config.key.default_digest())) !=
          1 ||
      // A SHA-256 certificate hash makes OpenSSL write signingCertificateV2 (RFC 5816).
      TS_RESP_CTX_set_ess_cert_id_digest(context, EVP_sha256()) != 1) {
    return openssl_fail("setting up the TSA signer");
  }
  if (!config.chain.empty()) {
    UniquePtr<STACK_OF(X509)> chain(sk_X509_new_null());
    if (!chain) {
      return openssl_fail("collecting the TSA chain");
    }
    for (const crypto::Certificate& cert : config.chain) {
      if (X509_add_cert(chain.get(), cert.native(), X509_ADD_FLAG_UP_REF) != 1) {
        return openssl_fail("collecting the TSA chain");
      }
    }
    if (TS_RESP_CTX_set_certs(context, chain.get()) != 1) {  // takes its own references
      return openssl_fail("setting the TSA chain");
    }
  }
  return {};
}

Status configure_policy(TS_RESP_CTX* context, const TsaConfig& config) {
  const Asn1Object policy(OBJ_txt2obj(config.policy_oid.c_str(), 1));
  if (!policy || TS_RESP_CTX_set_def_policy(context, policy.get()) != 1) {
    return openssl_fail("setting the TSA policy", ErrorCode::kInvalidArgument);
  }
  for (const EVP_MD* md : {EVP_sha256(), EVP_sha384(), EVP_sha512()}) {
    if (TS_RESP_CTX_add_md(context, md) != 1) {
      return openssl_fail("setting the accepted imprint algorithms");
    }
  }
  const TsaAccuracy& accuracy = config.accuracy;
  if ((accuracy.seconds != 0 || accuracy.millis != 0 || accuracy.micros != 0) &&
      TS_RESP_CTX_set_accuracy(context, static_cast<int>(accuracy.seconds),
                               static_cast<int>(accuracy.millis),
                               static_cast<int>(accuracy.micros)) != 1) {
    return openssl_fail("setting the TSA accuracy");
  }
  // The tsa field names us; ordering stays false (left out as the DEFAULT).
  TS_RESP_CTX_add_flags(context, TS_TSA_NAME);
  return {};
}

// make_context returns a fresh OpenSSL responder context for one call; state must outlive it.
Result<TsRespCtx> make_context(const TsaConfig& config, CallState* state) {
  TsRespCtx context(TS_RESP_CTX_new());
  if (!context) {
    return openssl_fail("creating a TSA context");
  }
  if (auto st = configure_signer(context.get(), config); !st) {
    return std::unexpected(st.error());
  }
  if (auto st = configure_policy(context.get(), config); !st) {
    return std::unexpected(st.error());
  }
  TS_RESP_CTX_set_serial_cb(context.get(), next_serial, state);
  TS_RESP_CTX_set_time_cb(context.get(), current_time, state);
  return context;
}

// create_response answers query_der; a query that is not exactly one TimeStampReq gets the same
// rejection (badDataFormat) that OpenSSL gives unparsable bytes, by handing OpenSSL no bytes at
// all: OpenSSL itself would read the first DER object and ignore what follows it.
Result<TsResp> create_response(const TsaConfig& config, ByteView query_der, CallState* state) {
  static constexpr std::array<std::uint8_t, 1> kNothing{};
  const ByteView input = parses_exactly(query_der) ? query_der : ByteView(kNothing.data(), 0);
  auto context = make_context(config, state);
  if (!context) {
    return std::unexpected(context.error());
  }
  auto bio = crypto::memory_bio(input);
  if (!bio) {
    return std::unexpected(bio.error());
  }
  TsResp response(TS_RESP_create_response(context->get(), bio->get()));
  if (!response) {
    return openssl_fail("creating a time-stamp response");
  }
  // A rejection leaves OpenSSL's reasons in the queue; the response carries them to the client.
  crypto::clear_openssl_errors();
  return response;
}

Result<Bytes> encode_response(TS_RESP* response) {
  return crypto::der_encode([&](unsigned char** out) { return i2d_TS_RESP(response, out); },
                            "encoding a time-stamp response");
}

Status check_tsa_certificate(const TsaConfig& config) {
  X509* cert = config.certificate.native();
  const int index = X509_get_ext_by_NID(cert, NID_ext_key_usage, -1);
  const bool critical_eku =
      index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
  const bool purpose_ok = X509_check_purpose(cert, X509_PURPOSE_TIMESTAMP_SIGN, 0) == 1;
  crypto::clear_openssl_errors();
  if (!critical_eku || !purpose_ok) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("{} is not a TSA certificate: it needs a critical extendedKeyUsage "
                            "of timeStamping only and, if it has a keyUsage, only "
                            "digitalSignature and/or nonRepudiation",
                            config.certificate.subject()));
  }
  return {};
}

}  // namespace

Result<TimeStampAuthority> TimeStampAuthority::create(TsaConfig config) {
  if (!config.clock || !config.serials) {
    return fail(ErrorCode::kInvalidArgument, "a TSA needs a clock and a serial source");
  }
  if (!config.certificate.matches(config.key)) {
    return fail(ErrorCode::kInvalidArgument, "the TSA key does not match the TSA certificate");
  }
  if (auto st = check_tsa_certificate(config); !st) {
    return std::unexpected(st.error());
  }
  const Asn1Object policy(OBJ_txt2obj(config.policy_oid.c_str(), 1));
  crypto::clear_openssl_errors();
  if (!policy) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("TSA policy '{}' is not a dotted OID", config.policy_oid));
  }
  const TsaAccuracy& accuracy = config.accuracy;
  if (accuracy.millis > kMaxAccuracyPart || accuracy.micros > kMaxAccuracyPart ||
      !std::in_range<int>(accuracy.seconds)) {
    return fail(ErrorCode::kInvalidArgument,
                "TSA accuracy: millis and micros range over 0..999, seconds must fit an int");
  }
  return TimeStampAuthority(std::move(config));
}

Result<Bytes> TimeStampAuthority::respond(ByteView query_der) const {
  CallState state{&config_, std::nullopt};
  auto response = create_response(config_, query_der, &state);
  if (!response) {
    return std::unexpected(response.error());
  }
  return encode_response(response->get());
}

Result<Bytes> TimeStampAuthority::stamp(crypto::DigestAlgorithm algorithm, ByteView digest,
                                        const std::optional<Bytes>& nonce) const {
  auto query = make_timestamp_query(algorithm, digest, /*cert_req=*/true, nonce);
  if (!query) {
    return std::unexpected(query.error());
  }
  CallState state{&config_, std::nullopt};
  auto response = create_response(config_, *query, &state);
  if (!response) {
    return std::unexpected(response.error());
  }
  if (state.serial_error) {
    return std::unexpected(*state.serial_error);
  }
  PKCS7* token = TS_RESP_get_token(response->get());  // owned by the response
  if (token == nullptr) {
    std::string why = "no status";
    if (auto der = encode_response(response->get()); der) {
      if (auto status = read_timestamp_status(*der); status) {
        why = status->describe();
      }
    }
    return fail(ErrorCode::kRefused, fmt::format("the TSA refused to stamp: {}", why));
  }
  return crypto::der_encode([&](unsigned char** out) { return i2d_PKCS7(token, out); },
                            "encoding a time-stamp token");
}

}  // namespace pactum::pki
