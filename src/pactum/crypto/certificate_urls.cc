#include "pactum/crypto/certificate_urls.h"

#include <openssl/x509v3.h>

#include <memory>

namespace pactum::crypto {
namespace {

// uri_of returns the text of a GeneralName that is a URI, or an empty string.
std::string uri_of(const GENERAL_NAME* name) {
  if (name == nullptr || name->type != GEN_URI) {
    return {};
  }
  const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),  // NOLINT: ASN.1 bytes
          static_cast<std::size_t>(ASN1_STRING_length(uri))};
}

// access_urls returns the URIs of the authority information access descriptions of one method.
std::vector<std::string> access_urls(const Certificate& certificate, int method) {
  std::vector<std::string> out;
  const std::unique_ptr<AUTHORITY_INFO_ACCESS, decltype(&AUTHORITY_INFO_ACCESS_free)> access(
      static_cast<AUTHORITY_INFO_ACCESS*>(
          X509_get_ext_d2i(certificate.native(), NID_info_access, nullptr, nullptr)),
      &AUTHORITY_INFO_ACCESS_free);
  if (!access) {
    return out;
  }
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(access.get()); ++i) {
    const ACCESS_DESCRIPTION* description = sk_ACCESS_DESCRIPTION_value(access.get(), i);
    if (OBJ_obj2nid(description->method) == method) {
      if (std::string uri = uri_of(description->location); !uri.empty()) {
        out.push_back(std::move(uri));
      }
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> ocsp_responder_urls(const Certificate& certificate) {
  return access_urls(certificate, NID_ad_OCSP);
}

std::vector<std::string> ca_issuers_urls(const Certificate& certificate) {
  return access_urls(certificate, NID_ad_ca_issuers);
}

std::vector<std::string> crl_distribution_urls(const Certificate& certificate) {
  std::vector<std::string> out;
  const std::unique_ptr<CRL_DIST_POINTS, decltype(&CRL_DIST_POINTS_free)> points(
      static_cast<CRL_DIST_POINTS*>(
          X509_get_ext_d2i(certificate.native(), NID_crl_distribution_points, nullptr, nullptr)),
      &CRL_DIST_POINTS_free);
  if (!points) {
    return out;
  }
  for (int i = 0; i < sk_DIST_POINT_num(points.get()); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points.get(), i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) {
      continue;  // a relative name says nothing fetchable
    }
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      if (std::string uri = uri_of(sk_GENERAL_NAME_value(names, j)); !uri.empty()) {
        out.push_back(std::move(uri));
      }
    }
  }
  return out;
}

}  // namespace pactum::crypto
