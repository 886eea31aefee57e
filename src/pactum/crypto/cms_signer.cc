#include "pactum/crypto/cms_signer.h"

#include <fmt/format.h>
#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>
#include <vector>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

constexpr std::uint8_t kDerSetTag = 0x31;

// append_der_length appends a DER definite length (X.690 8.1.3).
void append_der_length(Bytes& out, std::size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
    return;
  }
  Bytes digits;
  for (std::size_t rest = length; rest != 0; rest >>= 8U) {
    digits.push_back(static_cast<std::uint8_t>(rest & 0xFFU));
  }
  out.push_back(static_cast<std::uint8_t>(0x80U | digits.size()));
  out.insert(out.end(), digits.rbegin(), digits.rend());
}

Status check_request(const PadesSignRequest& request) {
  if (request.key == nullptr || request.certificate == nullptr) {
    return fail(ErrorCode::kInvalidArgument, "a signing key and certificate are required");
  }
  if (request.message_digest.size() != digest_size(request.digest)) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("the message digest has {} bytes, {} needs {}", request.message_digest.size(),
                    digest_name(request.digest), digest_size(request.digest)));
  }
  if (!request.certificate->matches(*request.key)) {
    return fail(ErrorCode::kInvalidArgument, "the private key does not belong to the certificate");
  }
  return {};
}

// signature_algorithm is the SignerInfo signatureAlgorithm: rsaEncryption (PKCS#1 v1.5, as
// CMS writes it for RSA) or ecdsa-with-SHA256/384.
int signature_algorithm(const PrivateKey& key, DigestAlgorithm digest) {
  if (key.type() == KeyType::kRsa) {
    return NID_rsaEncryption;
  }
  return digest == DigestAlgorithm::kSha384 ? NID_ecdsa_with_SHA384 : NID_ecdsa_with_SHA256;
}

// add_signed_attributes adds contentType, messageDigest and signingCertificateV2, and nothing
// else, to si.
Status add_signed_attributes(CMS_SignerInfo* si, const PadesSignRequest& request) {
  if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                  OBJ_nid2obj(NID_pkcs7_data), -1) != 1) {
    return openssl_fail("adding the contentType attribute");
  }
  if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                  request.message_digest.data(),
                                  static_cast<int>(request.message_digest.size())) != 1) {
    return openssl_fail("adding the messageDigest attribute");
  }
  // ESS signingCertificateV2 binds the signer certificate (hash plus issuer and serial) to the
  // signature, as CAdES requires. For SHA-256 OpenSSL omits the hashAlgorithm (the RFC 5035
  // default).
  const UniquePtr<ESS_SIGNING_CERT_V2> signing_cert(OSSL_ESS_signing_cert_v2_new_init(
      native_digest(request.digest), request.certificate->native(), nullptr, 1));
  if (!signing_cert) {
    return openssl_fail("building the signingCertificateV2 attribute");
  }
  auto encoded = der_encode(
      [&](unsigned char** out) { return i2d_ESS_SIGNING_CERT_V2(signing_cert.get(), out); },
      "encoding the signingCertificateV2 attribute");
  if (!encoded) {
    return std::unexpected(encoded.error());
  }
  if (CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                  encoded->data(), static_cast<int>(encoded->size())) != 1) {
    return openssl_fail("adding the signingCertificateV2 attribute");
  }
  return {};
}

// encode_signed_attributes returns the DER of the signed attributes as the SET OF that the
// signature covers (X.690 11.6: elements sorted by their encodings). OpenSSL sorts the same way
// when it writes the [0] IMPLICIT field, so what we sign is what verifiers re-encode.
Result<Bytes> encode_signed_attributes(CMS_SignerInfo* si) {
  std::vector<Bytes> elements;
  std::size_t total = 0;
  const int count = CMS_signed_get_attr_count(si);
  for (int i = 0; i < count; ++i) {
    X509_ATTRIBUTE* attribute = CMS_signed_get_attr(si, i);
    auto element =
        der_encode([&](unsigned char** out) { return i2d_X509_ATTRIBUTE(attribute, out); },
                   "encoding a signed attribute");
    if (!element) {
      return std::unexpected(element.error());
    }
    total += element->size();
    elements.push_back(std::move(*element));
  }
  std::sort(elements.begin(), elements.end());
  Bytes out;
  out.reserve(total + 8);
  out.push_back(kDerSetTag);
  append_der_length(out, total);
  for (const Bytes& element : elements) {
    out.insert(out.end(), element.begin(), element.end());
  }
  return out;
}

// add_chain embeds the chain after the signer certificate, skipping duplicates (OpenSSL 3.0
// refuses to add a certificate twice).
Status add_chain(CMS_ContentInfo* cms, const PadesSignRequest& request) {
  std::vector<X509*> added{request.certificate->native()};
  for (const Certificate& cert : request.chain) {
    const bool seen = std::any_of(added.begin(), added.end(), [&](const X509* other) {
      return X509_cmp(other, cert.native()) == 0;
    });
    if (seen) {
      continue;
    }
    if (CMS_add1_cert(cms, cert.native()) != 1) {
      return openssl_fail("adding a chain certificate");
    }
    added.push_back(cert.native());
  }
  return {};
}

// check_timestamp_token accepts token only if it is exactly one DER ContentInfo of SignedData
// whose content is a TSTInfo: anything else would corrupt the CMS it is copied into verbatim.
Status check_timestamp_token(ByteView token) {
  const unsigned char* cursor = token.data();
  if (!std::in_range<long>(token.size())) {
    return fail(ErrorCode::kMalformed, "the time-stamp token is too large");
  }
  const UniquePtr<CMS_ContentInfo> parsed(
      d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(token.size())));
  if (!parsed) {
    clear_openssl_errors();
    return fail(ErrorCode::kMalformed, "the time-stamp token is not a DER CMS ContentInfo");
  }
  const auto consumed = static_cast<std::size_t>(cursor - token.data());
  if (consumed != token.size()) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the time-stamp token has {} bytes after its ContentInfo",
                            token.size() - consumed),
                consumed);
  }
  if (OBJ_obj2nid(CMS_get0_type(parsed.get())) != NID_pkcs7_signed ||
      OBJ_obj2nid(CMS_get0_eContentType(parsed.get())) != NID_id_smime_ct_TSTInfo) {
    return fail(ErrorCode::kMalformed, "the time-stamp token is not SignedData over a TSTInfo");
  }
  return {};
}

// add_signature_timestamp asks request.timestamper for a token over the hash of signature (the
// SignerInfo's signature value) and adds it to si as the one unsigned attribute
// id-aa-signatureTimeStampToken.
Status add_signature_timestamp(CMS_SignerInfo* si, const PadesSignRequest& request,
                               ByteView signature) {
  const Bytes imprint = digest_of(request.digest, signature);
  auto token = request.timestamper->timestamp(request.digest, imprint);
  if (!token) {
    return std::unexpected(token.error());
  }
  if (auto checked = check_timestamp_token(*token); !checked) {
    return checked;
  }
  if (!std::in_range<int>(token->size()) ||
      CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                    token->data(), static_cast<int>(token->size())) != 1) {
    return openssl_fail("adding the signature time-stamp attribute");
  }
  return {};
}

}  // namespace

Result<Bytes> build_pades_cms(const PadesSignRequest& request) {
  if (auto checked = check_request(request); !checked) {
    return std::unexpected(checked.error());
  }
  // CMS_PARTIAL: OpenSSL builds the structure but neither digests nor signs; CMS_NOSMIMECAP and
  // the missing CMS_CADES / CMS_REUSE_DIGEST flags keep it from adding any signed attribute.
  // CMS_SignerInfo_sign is never called because it always adds signingTime.
  constexpr unsigned int kFlags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  const UniquePtr<CMS_ContentInfo> cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, kFlags));
  if (!cms) {
    return openssl_fail("creating a CMS SignedData");
  }
  CMS_SignerInfo* si =
      CMS_add1_signer(cms.get(), request.certificate->native(), request.key->native(),
                      native_digest(request.digest), kFlags);
  if (si == nullptr) {
    return openssl_fail("adding the CMS signer");
  }
  if (auto added = add_chain(cms.get(), request); !added) {
    return std::unexpected(added.error());
  }

  X509_ALGOR* signature_alg = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, nullptr, &signature_alg);
  const int signature_nid = signature_algorithm(*request.key, request.digest);
  // rsaEncryption carries NULL parameters; ECDSA algorithm identifiers have none.
  const int parameter_type = signature_nid == NID_rsaEncryption ? V_ASN1_NULL : V_ASN1_UNDEF;
  if (signature_alg == nullptr ||
      X509_ALGOR_set0(signature_alg, OBJ_nid2obj(signature_nid), parameter_type, nullptr) != 1) {
    return openssl_fail("setting the signature algorithm");
  }

  if (auto attributes = add_signed_attributes(si, request); !attributes) {
    return std::unexpected(attributes.error());
  }
  auto to_be_signed = encode_signed_attributes(si);
  if (!to_be_signed) {
    return std::unexpected(to_be_signed.error());
  }
  auto signature = request.key->sign(request.digest, *to_be_signed);
  if (!signature) {
    return std::unexpected(signature.error());
  }
  if (!std::in_range<int>(signature->size()) ||
      ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), signature->data(),
                      static_cast<int>(signature->size())) != 1) {
    return openssl_fail("storing the signature");
  }
  if (request.timestamper != nullptr) {
    if (auto stamped = add_signature_timestamp(si, request, *signature); !stamped) {
      return std::unexpected(stamped.error());
    }
  }
  return der_encode([&](unsigned char** out) { return i2d_CMS_ContentInfo(cms.get(), out); },
                    "encoding the CMS SignedData");
}

}  // namespace pactum::crypto
