#include "pactum/crypto/certificate.h"

#include <ctime>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <utility>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

// no_password keeps OpenSSL from prompting on a terminal; certificates are never encrypted.
int no_password(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return -1; }

// at_end_of_pem reports whether the last PEM read failed only because no further PEM block
// exists, which ends a bundle normally.
bool at_end_of_pem() {
  const unsigned long error = ERR_peek_last_error();
  return ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
}

std::string name_text(const X509_NAME* name) {
  auto bio = new_memory_bio();
  if (!bio) {
    return {};
  }
  constexpr unsigned long kFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  if (X509_NAME_print_ex(bio->get(), name, 0, kFlags) < 0) {
    clear_openssl_errors();
    return {};
  }
  return bio_contents(bio->get()).value_or(std::string());
}

}  // namespace

Result<Certificate> Certificate::from_pem(ByteView pem) {
  auto bio = memory_bio(pem);
  if (!bio) {
    return std::unexpected(bio.error());
  }
  X509* cert = PEM_read_bio_X509(bio->get(), nullptr, no_password, nullptr);
  if (cert == nullptr) {
    return openssl_fail("reading a PEM certificate", ErrorCode::kMalformed);
  }
  return Certificate(std::shared_ptr<X509>(cert, NativeDeleter{}));
}

Result<Certificate> Certificate::from_der(ByteView der) {
  if (!std::in_range<long>(der.size())) {
    return fail(ErrorCode::kMalformed, "certificate too large");
  }
  const unsigned char* cursor = der.data();
  UniquePtr<X509> cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!cert) {
    return openssl_fail("parsing a DER certificate", ErrorCode::kMalformed);
  }
  const auto consumed = static_cast<std::size_t>(cursor - der.data());
  if (consumed != der.size()) {
    return fail(ErrorCode::kMalformed, "trailing bytes after the DER certificate", consumed);
  }
  return Certificate(std::shared_ptr<X509>(std::move(cert)));
}

std::optional<Certificate> Certificate::share(X509* cert) {
  if (cert == nullptr || X509_up_ref(cert) != 1) {
    return std::nullopt;
  }
  return Certificate(std::shared_ptr<X509>(cert, NativeDeleter{}));
}

Result<std::vector<Certificate>> Certificate::all_from_pem(ByteView pem) {
  auto bio = memory_bio(pem);
  if (!bio) {
    return std::unexpected(bio.error());
  }
  std::vector<Certificate> out;
  while (X509* cert = PEM_read_bio_X509(bio->get(), nullptr, no_password, nullptr)) {
    out.push_back(Certificate(std::shared_ptr<X509>(cert, NativeDeleter{})));
  }
  if (!at_end_of_pem()) {
    return openssl_fail("reading a PEM certificate bundle", ErrorCode::kMalformed);
  }
  clear_openssl_errors();
  if (out.empty()) {
    return fail(ErrorCode::kMalformed, "no PEM certificate found");
  }
  return out;
}

Bytes Certificate::der() const {
  auto der = der_encode([&](unsigned char** out) { return i2d_X509(cert_.get(), out); },
                        "encoding a certificate");
  if (!der) {
    return {};
  }
  return std::move(*der);
}

Result<std::string> Certificate::to_pem() const {
  auto bio = new_memory_bio();
  if (!bio) {
    return std::unexpected(bio.error());
  }
  if (PEM_write_bio_X509(bio->get(), cert_.get()) != 1) {
    return openssl_fail("writing a PEM certificate");
  }
  return bio_contents(bio->get());
}

std::string Certificate::subject_common_name() const {
  const X509_NAME* name = X509_get_subject_name(cert_.get());
  // The last CN is the most specific one when a name carries several.
  int index = -1;
  for (int next = X509_NAME_get_index_by_NID(name, NID_commonName, -1); next >= 0;
       next = X509_NAME_get_index_by_NID(name, NID_commonName, next)) {
    index = next;
  }
  if (index < 0) {
    return subject();
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) {
    clear_openssl_errors();
    return subject();
  }
  const std::unique_ptr<unsigned char, OpensslFree> owner(utf8);
  return std::string(as_chars(ByteView(utf8, static_cast<std::size_t>(length))));
}

std::string Certificate::subject() const { return name_text(X509_get_subject_name(cert_.get())); }

std::string Certificate::issuer() const { return name_text(X509_get_issuer_name(cert_.get())); }

std::string Certificate::serial_hex() const {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert_.get());
  const auto length = static_cast<std::size_t>(ASN1_STRING_length(serial));
  std::string hex = to_hex(ByteView(ASN1_STRING_get0_data(serial), length));
  if (hex.empty()) {
    hex = "00";
  }
  return ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" + hex : hex;
}

std::chrono::system_clock::time_point Certificate::not_before() const {
  return time_point_of(X509_get0_notBefore(cert_.get()));
}

std::chrono::system_clock::time_point Certificate::not_after() const {
  return time_point_of(X509_get0_notAfter(cert_.get()));
}

bool Certificate::valid_at(std::chrono::system_clock::time_point time) const {
  return not_before() <= time && time <= not_after();
}

bool Certificate::matches(const PrivateKey& key) const {
  const EVP_PKEY* public_key = X509_get0_pubkey(cert_.get());
  const bool same = public_key != nullptr && EVP_PKEY_eq(public_key, key.native()) == 1;
  clear_openssl_errors();
  return same;
}

}  // namespace pactum::crypto
