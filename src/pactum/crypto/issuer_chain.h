#pragma once

// Finding who issued a certificate among a pool of certificates, without deciding trust: what
// gathering validation data (PAdES B-LT) needs, since it must fetch revocation data for every
// certificate up to the root whether or not the caller trusts that root.

#include <map>
#include <span>
#include <utility>
#include <string>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"

namespace pactum::crypto {

// kMaxIssuerChain bounds the length of a chain build_issuer_chain returns.
inline constexpr std::size_t kMaxIssuerChain = 10;

// is_self_issued reports whether certificate names itself as issuer and its signature verifies
// with its own key: a root, where a chain ends.
bool is_self_issued(const Certificate& certificate);

// is_ca_certificate reports whether certificate has basicConstraints cA TRUE.
bool is_ca_certificate(const Certificate& certificate);

// issued_by reports whether issuer's subject, key identifier and key usage fit certificate's
// issuer and its signature verifies with issuer's key.
bool issued_by(const Certificate& certificate, const Certificate& issuer);

// IssuerChain is a certificate and its issuers as far as they were found.
struct IssuerChain {
  std::vector<Certificate> certificates;  // leaf first
  // complete is true when the last certificate is self-issued (a root); otherwise
  // missing_issuer names the issuer of the last one, which was not found.
  bool complete = false;
  std::string missing_issuer;
};

// IssuerCache remembers the answers of issued_by for pairs of certificate objects, so that
// chains built from one pool (a signer's and a TSA's, which share the issuing CA and the root)
// verify each signature once. Keyed by the shared OpenSSL objects: the certificates must outlive
// it. Not thread-safe.
class IssuerCache {
 public:
  // issued_by answers like crypto::issued_by, from memory when the pair was asked before.
  bool issued_by(const Certificate& certificate, const Certificate& issuer);

 private:
  std::map<std::pair<const void*, const void*>, bool> known_;
};

// build_issuer_chain returns leaf followed by its issuer, that one's issuer and so on, taken from
// pool, until a self-issued certificate or one whose issuer is not in pool; with a cache, the
// signature checks go through it. Fails with kMalformed when the chain is longer than
// kMaxIssuerChain (a loop).
Result<IssuerChain> build_issuer_chain(const Certificate& leaf, std::span<const Certificate> pool,
                                       IssuerCache* cache = nullptr);

}  // namespace pactum::crypto
