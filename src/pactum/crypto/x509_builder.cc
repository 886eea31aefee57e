#include "pactum/crypto/x509_builder.h"

#include "pactum/crypto/random.h"

#include <fmt/format.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <array>
#include <ctime>
#include <string>

namespace pactum::crypto {
namespace {

constexpr std::size_t kMaxSerialBytes = 20;  // RFC 5280 section 4.1.2.2

}  // namespace

Result<Bytes> random_serial() {
  Bytes serial(kRandomSerialBytes);
  if (auto st = fill_random(serial); !st) {
    return std::unexpected(st.error());
  }
  serial.front() = static_cast<std::uint8_t>((serial.front() & 0x3FU) | 0x40U);
  return serial;
}

Status set_serial(X509* cert, ByteView serial) {
  if (serial.empty() || serial.size() > kMaxSerialBytes) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("a serial number has 1 to 20 bytes, not {}", serial.size()));
  }
  const UniquePtr<BIGNUM> number(
      BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  const UniquePtr<ASN1_INTEGER> integer(number ? BN_to_ASN1_INTEGER(number.get(), nullptr)
                                               : nullptr);
  if (!integer || X509_set_serialNumber(cert, integer.get()) != 1) {
    return openssl_fail("setting the serial number");
  }
  return {};
}

Result<UniquePtr<ASN1_TIME>> to_asn1_time(std::chrono::system_clock::time_point time) {
  UniquePtr<ASN1_TIME> out(ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(time)));
  if (!out) {
    return openssl_fail("encoding a time");
  }
  return out;
}

Status set_validity(X509* cert, std::chrono::system_clock::time_point not_before,
                    std::chrono::system_clock::time_point not_after) {
  if (not_after <= not_before) {
    return fail(ErrorCode::kInvalidArgument, "the validity period ends before it begins");
  }
  auto start = to_asn1_time(not_before);
  if (!start) {
    return std::unexpected(start.error());
  }
  auto end = to_asn1_time(not_after);
  if (!end) {
    return std::unexpected(end.error());
  }
  if (X509_set1_notBefore(cert, start->get()) != 1 || X509_set1_notAfter(cert, end->get()) != 1) {
    return openssl_fail("setting the validity period");
  }
  return {};
}

Status add_name_entry(X509_NAME* name, const char* field, std::string_view value) {
  if (!std::in_range<int>(value.size())) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("name attribute {} is too long", field));
  }
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, as_bytes(value).data(),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return openssl_fail(fmt::format("setting name attribute {}", field));
  }
  return {};
}

Status add_extension(X509* cert, X509V3_CTX* context, int nid, std::string_view value) {
  const std::string text(value);
  const UniquePtr<X509_EXTENSION> extension(
      X509V3_EXT_conf_nid(nullptr, context, nid, text.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return openssl_fail(fmt::format("adding the {} extension", OBJ_nid2sn(nid)));
  }
  return {};
}

Status add_certificate_policy(X509* cert, std::string_view oid) {
  const std::string text(oid);
  UniquePtr<ASN1_OBJECT> policy_id(OBJ_txt2obj(text.c_str(), 1));  // 1: dotted numbers only
  if (!policy_id) {
    clear_openssl_errors();
    return fail(ErrorCode::kInvalidArgument, fmt::format("\"{}\" is not an OID", text));
  }
  UniquePtr<POLICYINFO> info(POLICYINFO_new());
  const UniquePtr<CERTIFICATEPOLICIES> policies(sk_POLICYINFO_new_null());
  if (!info || !policies) {
    return openssl_fail("creating the certificate policies");
  }
  ASN1_OBJECT_free(info->policyid);
  info->policyid = policy_id.release();
  if (sk_POLICYINFO_push(policies.get(), info.get()) <= 0) {
    return openssl_fail("creating the certificate policies");
  }
  static_cast<void>(info.release());  // the list owns it now
  if (X509_add1_ext_i2d(cert, NID_certificate_policies, policies.get(), 0, X509V3_ADD_DEFAULT) !=
      1) {
    return openssl_fail("adding the certificatePolicies extension");
  }
  return {};
}

Result<Certificate> sign_certificate(X509* cert, const PrivateKey& key) {
  if (X509_sign(cert, key.native(), native_digest(key.default_digest())) <= 0) {
    return openssl_fail("signing a certificate");
  }
  auto der = der_encode([&](unsigned char** out) { return i2d_X509(cert, out); },
                        "encoding a certificate");
  if (!der) {
    return std::unexpected(der.error());
  }
  return Certificate::from_der(*der);
}

}  // namespace pactum::crypto
