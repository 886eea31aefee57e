#include "pactum/pki/crl.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/x509_builder.h"

namespace pactum::pki {
namespace {

using TimePoint = std::chrono::system_clock::time_point;
using crypto::openssl_fail;
using crypto::UniquePtr;

// serial_integer turns an index serial (validated lower-case hex) into an ASN1_INTEGER.
Result<UniquePtr<ASN1_INTEGER>> serial_integer(const std::string& serial_hex) {
  BIGNUM* raw = nullptr;
  if (!is_serial_hex(serial_hex) || BN_hex2bn(&raw, serial_hex.c_str()) == 0) {
    BN_free(raw);
    return fail(ErrorCode::kInternal, "a serial in the CA index is not hexadecimal");
  }
  const UniquePtr<BIGNUM> number(raw);
  UniquePtr<ASN1_INTEGER> integer(BN_to_ASN1_INTEGER(number.get(), nullptr));
  if (!integer) {
    return openssl_fail("encoding a serial number");
  }
  return integer;
}

Result<UniquePtr<X509_REVOKED>> revoked_entry(const IssuedCertificate& record) {
  UniquePtr<X509_REVOKED> entry(X509_REVOKED_new());
  auto serial = serial_integer(record.serial_hex);
  if (!serial) {
    return std::unexpected(serial.error());
  }
  auto date = crypto::to_asn1_time(record.revocation->revoked_at);
  if (!date) {
    return std::unexpected(date.error());
  }
  if (!entry || X509_REVOKED_set_serialNumber(entry.get(), serial->get()) != 1 ||
      X509_REVOKED_set_revocationDate(entry.get(), date->get()) != 1) {
    return openssl_fail("building a CRL entry");
  }
  if (record.revocation->reason != RevocationReason::kUnspecified) {
    const UniquePtr<ASN1_ENUMERATED> reason(ASN1_ENUMERATED_new());
    if (!reason ||
        ASN1_ENUMERATED_set(reason.get(), static_cast<long>(record.revocation->reason)) != 1 ||
        X509_REVOKED_add1_ext_i2d(entry.get(), NID_crl_reason, reason.get(), 0, 0) != 1) {
      return openssl_fail("adding a CRL reason code");
    }
  }
  return entry;
}

Status add_crl_extensions(X509_CRL* crl, X509* issuer, std::uint64_t number) {
  const UniquePtr<ASN1_INTEGER> crl_number(ASN1_INTEGER_new());
  if (!crl_number || ASN1_INTEGER_set_uint64(crl_number.get(), number) != 1 ||
      X509_CRL_add1_ext_i2d(crl, NID_crl_number, crl_number.get(), 0, 0) != 1) {
    return openssl_fail("adding the CRL number");
  }
  X509V3_CTX context{};
  X509V3_set_ctx(&context, issuer, nullptr, nullptr, crl, 0);
  const UniquePtr<X509_EXTENSION> key_id(
      X509V3_EXT_conf_nid(nullptr, &context, NID_authority_key_identifier, "keyid:always"));
  if (!key_id || X509_CRL_add_ext(crl, key_id.get(), -1) != 1) {
    return openssl_fail("adding the CRL authority key identifier");
  }
  return {};
}

Status set_crl_header(X509_CRL* crl, X509* issuer, TimePoint this_update, TimePoint next_update) {
  auto last = crypto::to_asn1_time(this_update);
  if (!last) {
    return std::unexpected(last.error());
  }
  auto next = crypto::to_asn1_time(next_update);
  if (!next) {
    return std::unexpected(next.error());
  }
  if (X509_CRL_set_version(crl, X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)) != 1 ||
      X509_CRL_set1_lastUpdate(crl, last->get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl, next->get()) != 1) {
    return openssl_fail("setting the CRL header");
  }
  return {};
}

}  // namespace

namespace {

// decode_native parses a DER CertificateList; kMalformed if it is not one.
Result<UniquePtr<X509_CRL>> decode_native(ByteView der) {
  if (!std::in_range<long>(der.size())) {
    return fail(ErrorCode::kInvalidArgument, "CRL too large");
  }
  const unsigned char* cursor = der.data();
  UniquePtr<X509_CRL> crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der.size())));
  if (!crl || cursor != der.data() + der.size()) {
    return fail(ErrorCode::kMalformed, "not a DER CRL");
  }
  return crl;
}

// sign_crl builds and signs a CRL of issuer listing revoked, numbered by reserve().
template <typename Reserve>
Result<Crl> sign_crl(const crypto::Certificate& issuer_certificate, const crypto::PrivateKey& key,
                     const std::vector<IssuedCertificate>& revoked, Reserve reserve,
                     TimePoint this_update, std::chrono::seconds lifetime) {
  if (lifetime.count() <= 0) {
    return fail(ErrorCode::kInvalidArgument, "a CRL must be valid for a positive time");
  }
  const UniquePtr<X509_CRL> crl(X509_CRL_new());
  if (!crl) {
    return openssl_fail("creating a CRL");
  }
  X509* issuer = issuer_certificate.native();
  const TimePoint next_update = this_update + lifetime;
  if (auto st = set_crl_header(crl.get(), issuer, this_update, next_update); !st) {
    return std::unexpected(st.error());
  }
  for (const IssuedCertificate& record : revoked) {
    auto entry = revoked_entry(record);
    if (!entry) {
      return std::unexpected(entry.error());
    }
    if (X509_CRL_add0_revoked(crl.get(), entry->get()) != 1) {
      return openssl_fail("adding a CRL entry");
    }
    static_cast<void>(entry->release());  // the CRL owns it now
  }
  if (X509_CRL_sort(crl.get()) != 1) {
    return openssl_fail("sorting the CRL entries");
  }
  Result<std::uint64_t> number = reserve();
  if (!number) {
    return std::unexpected(number.error());
  }
  if (auto st = add_crl_extensions(crl.get(), issuer, *number); !st) {
    return std::unexpected(st.error());
  }
  if (X509_CRL_sign(crl.get(), key.native(), crypto::native_digest(key.default_digest())) <= 0) {
    return openssl_fail("signing the CRL");
  }
  auto der = crypto::der_encode([&](unsigned char** out) { return i2d_X509_CRL(crl.get(), out); },
                                "encoding the CRL");
  if (!der) {
    return std::unexpected(der.error());
  }
  return Crl{std::move(*der), *number, this_update, next_update};
}

}  // namespace

Result<Crl> generate_crl(CertificateAuthority& ca, TimePoint this_update,
                         std::chrono::seconds lifetime) {
  return sign_crl(
      ca.issuing_certificate(), ca.issuing_key(), ca.revoked_certificates(),
      [&] { return ca.reserve_crl_number(); }, this_update, lifetime);
}

Result<Crl> generate_root_crl(CertificateAuthority& ca, const crypto::PrivateKey& root_key,
                              TimePoint this_update, std::chrono::seconds lifetime,
                              const std::vector<IssuedCertificate>& revoked_cas) {
  if (!ca.root_certificate().matches(root_key)) {
    return fail(ErrorCode::kInvalidArgument, "the key given is not the root CA's");
  }
  return sign_crl(
      ca.root_certificate(), root_key, revoked_cas, [&] { return ca.reserve_root_crl_number(); },
      this_update, lifetime);
}

std::string root_crl_path(const CertificateAuthority& ca) {
  return ca.directory() + "/" + std::string(kRootCrlFile);
}

Result<Crl> issue_root_crl(CertificateAuthority& ca, const crypto::PrivateKey& root_key,
                           TimePoint this_update, std::chrono::seconds lifetime) {
  auto crl = generate_root_crl(ca, root_key, this_update, lifetime);
  if (!crl) {
    return crl;
  }
  if (auto st = write_file_atomically(root_crl_path(ca), crl->der, 0644); !st) {
    return std::unexpected(st.error());
  }
  return crl;
}

Result<Crl> read_root_crl(const CertificateAuthority& ca) {
  const std::string path = root_crl_path(ca);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return fail(ErrorCode::kNotFound,
                fmt::format("{} has no root CRL yet; sign one with `pactum ca crl --root`", path));
  }
  auto der = read_file(path);
  if (!der) {
    return std::unexpected(der.error());
  }
  auto crl = decode_crl(*der);
  if (!crl) {
    return fail(crl.error().code, fmt::format("{}: {}", path, crl.error().message));
  }
  return crl;
}

Result<Crl> decode_crl(ByteView der) {
  auto native = decode_native(der);
  if (!native) {
    return std::unexpected(native.error());
  }
  X509_CRL* crl = native->get();
  const UniquePtr<ASN1_INTEGER> number(
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr)));
  std::uint64_t value = 0;
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl);
  if (!number || ASN1_INTEGER_get_uint64(&value, number.get()) != 1 || next == nullptr) {
    return fail(ErrorCode::kMalformed, "the CRL lacks a CRL number or a nextUpdate");
  }
  return Crl{Bytes(der.begin(), der.end()), value,
             crypto::time_point_of(X509_CRL_get0_lastUpdate(crl)), crypto::time_point_of(next)};
}

Result<std::string> Crl::to_pem() const {
  auto crl = decode_native(der);
  if (!crl) {
    return std::unexpected(crl.error());
  }
  auto bio = crypto::new_memory_bio();
  if (!bio) {
    return std::unexpected(bio.error());
  }
  if (PEM_write_bio_X509_CRL(bio->get(), crl->get()) != 1) {
    return openssl_fail("writing the CRL as PEM");
  }
  return crypto::bio_contents(bio->get());
}

}  // namespace pactum::pki
