#include "pactum/crypto/issuer_chain.h"

#include <openssl/x509v3.h>

#include <algorithm>

#include <fmt/format.h>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {

bool issued_by(const Certificate& certificate, const Certificate& issuer) {
  if (X509_check_issued(issuer.native(), certificate.native()) != X509_V_OK) {
    return false;
  }
  EVP_PKEY* key = X509_get0_pubkey(issuer.native());
  const bool verified = key != nullptr && X509_verify(certificate.native(), key) == 1;
  clear_openssl_errors();
  return verified;
}

bool is_self_issued(const Certificate& certificate) { return issued_by(certificate, certificate); }

bool is_ca_certificate(const Certificate& certificate) {
  return X509_check_ca(certificate.native()) != 0;
}

bool IssuerCache::issued_by(const Certificate& certificate, const Certificate& issuer) {
  const auto key = std::pair<const void*, const void*>(certificate.native(), issuer.native());
  if (const auto it = known_.find(key); it != known_.end()) {
    return it->second;
  }
  const bool answer = crypto::issued_by(certificate, issuer);
  known_.emplace(key, answer);
  return answer;
}

Result<IssuerChain> build_issuer_chain(const Certificate& leaf, std::span<const Certificate> pool,
                                       IssuerCache* cache) {
  const auto check = [cache](const Certificate& certificate, const Certificate& issuer) {
    return cache != nullptr ? cache->issued_by(certificate, issuer)
                            : issued_by(certificate, issuer);
  };
  IssuerChain chain{{leaf}, false, {}};
  while (!check(chain.certificates.back(), chain.certificates.back())) {
    if (chain.certificates.size() >= kMaxIssuerChain) {
      return fail(ErrorCode::kMalformed,
                  fmt::format("the certificate chain of {} is longer than {} certificates",
                              leaf.subject_common_name(), kMaxIssuerChain));
    }
    const Certificate& current = chain.certificates.back();
    const auto found = std::find_if(pool.begin(), pool.end(), [&](const Certificate& candidate) {
      return check(current, candidate);
    });
    if (found == pool.end()) {
      chain.missing_issuer = current.issuer();
      return chain;
    }
    chain.certificates.push_back(*found);
  }
  chain.complete = true;
  return chain;
}

}  // namespace pactum::crypto
