#pragma once

// Small steps for building and signing X.509 certificates with OpenSSL, shared by the
// development CA (dev_ca.cc) and the platform CA (pki/ca.cc). Each step either completes or
// returns an Error carrying the drained OpenSSL error queue. Internal to the engine layers.

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {

// kRandomSerialBytes is the length of the serials random_serial makes: 16 bytes, of which 126
// bits are random (RFC 5280 allows up to 20 octets; CA/B Forum asks for at least 64 random bits).
inline constexpr std::size_t kRandomSerialBytes = 16;

// random_serial returns kRandomSerialBytes fresh random bytes from OpenSSL's CSPRNG shaped as a
// positive serial number of exactly that length (top bit clear, next bit set, so the DER INTEGER
// has neither a sign byte nor a leading zero). Fails with kCrypto if the generator fails.
Result<Bytes> random_serial();

// set_serial sets the certificate's serial number to the big-endian unsigned value in serial;
// kInvalidArgument if serial is empty or longer than 20 bytes, kCrypto if OpenSSL fails.
Status set_serial(X509* cert, ByteView serial);

// to_asn1_time returns an ASN1_TIME for time (UTCTime up to 2049, GeneralizedTime after, as RFC
// 5280 requires); kCrypto if OpenSSL fails.
Result<UniquePtr<ASN1_TIME>> to_asn1_time(std::chrono::system_clock::time_point time);

// set_validity sets notBefore and notAfter; kInvalidArgument if not_after is not later than
// not_before, kCrypto if OpenSSL fails.
Status set_validity(X509* cert, std::chrono::system_clock::time_point not_before,
                    std::chrono::system_clock::time_point not_after);

// add_name_entry appends one attribute (short name such as "CN", "O", "C", "serialNumber") with a
// UTF-8 value to name; kCrypto if OpenSSL refuses it (for instance a country that is not two
// printable characters).
Status add_name_entry(X509_NAME* name, const char* field, std::string_view value);

// add_extension adds one extension described in OpenSSL's configuration syntax (for example
// nid = NID_key_usage, value = "critical,keyCertSign,cRLSign") using context for key
// identifiers; kCrypto naming the extension if OpenSSL rejects the value.
Status add_extension(X509* cert, X509V3_CTX* context, int nid, std::string_view value);

// add_certificate_policy adds a non-critical certificatePolicies extension holding the one policy
// identifier oid (dotted decimal, no qualifiers); kInvalidArgument if oid is not a dotted OID,
// kCrypto if OpenSSL fails. (OpenSSL's configuration syntax for this extension needs a
// configuration database, hence a step of its own.)
Status add_certificate_policy(X509* cert, std::string_view oid);

// sign_certificate signs cert with key using the key's default digest (SHA-256, or SHA-384 for
// P-384) and returns it parsed back from its DER encoding; kCrypto on failure.
Result<Certificate> sign_certificate(X509* cert, const PrivateKey& key);

}  // namespace pactum::crypto
