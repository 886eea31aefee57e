#pragma once

// Reading back what a CMS SignedData says, with OpenSSL directly, for tests of our signatures:
// the one SignerInfo's signature value, its signed attributes and its unsigned attributes.

#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <optional>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto::testing {

// UnsignedAttribute is one unsigned attribute: its NID and the DER of each value in its SET.
struct UnsignedAttribute {
  int nid = NID_undef;
  std::vector<Bytes> values;
};

// SignerInfoContents is what one SignerInfo holds, as the tests look at it.
struct SignerInfoContents {
  Bytes signature_value;         // the contents of the signature OCTET STRING
  std::vector<int> signed_nids;  // the signed attributes' types, in encoded order
  std::vector<UnsignedAttribute> unsigned_attributes;
  Bytes reencoded;  // the whole ContentInfo parsed and encoded again
};

// read_signer_info parses der (a ContentInfo with exactly one SignerInfo, nothing after it) and
// returns what its SignerInfo holds; records a test failure and returns nothing when it cannot.
inline std::optional<SignerInfoContents> read_signer_info(ByteView der) {
  const unsigned char* cursor = der.data();
  const UniquePtr<CMS_ContentInfo> cms(
      d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(der.size())));
  if (!cms || cursor != der.data() + der.size()) {
    ADD_FAILURE() << "not exactly one DER CMS ContentInfo";
    return std::nullopt;
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  if (sk_CMS_SignerInfo_num(infos) != 1) {
    ADD_FAILURE() << "expected one SignerInfo, found " << sk_CMS_SignerInfo_num(infos);
    return std::nullopt;
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  SignerInfoContents out;
  const ASN1_OCTET_STRING* signature = CMS_SignerInfo_get0_signature(si);
  const unsigned char* signature_data = ASN1_STRING_get0_data(signature);
  out.signature_value.assign(signature_data, signature_data + ASN1_STRING_length(signature));
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    out.signed_nids.push_back(OBJ_obj2nid(X509_ATTRIBUTE_get0_object(CMS_signed_get_attr(si, i))));
  }
  for (int i = 0; i < CMS_unsigned_get_attr_count(si); ++i) {
    X509_ATTRIBUTE* attribute = CMS_unsigned_get_attr(si, i);
    UnsignedAttribute entry{OBJ_obj2nid(X509_ATTRIBUTE_get0_object(attribute)), {}};
    for (int v = 0; v < X509_ATTRIBUTE_count(attribute); ++v) {
      ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attribute, v);
      auto encoded = der_encode([&](unsigned char** p) { return i2d_ASN1_TYPE(value, p); },
                                "encoding an attribute value");
      entry.values.push_back(encoded.value_or(Bytes{}));
    }
    out.unsigned_attributes.push_back(std::move(entry));
  }
  out.reencoded =
      der_encode([&](unsigned char** p) { return i2d_CMS_ContentInfo(cms.get(), p); }, "encoding")
          .value_or(Bytes{});
  return out;
}

}  // namespace pactum::crypto::testing
