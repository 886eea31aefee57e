#pragma once

// PAdES B-T signature time-stamps from our own TSA, in the same process (no network).

#include <cstddef>
#include <memory>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pki/tsa.h"

namespace pactum::pki {

// InProcessTimestamper is a crypto::SignatureTimestamper backed by a TimeStampAuthority in this
// process. Its tokens are not verified again: they come from the TSA object itself. Safe to call
// from several threads, like the TSA.
class InProcessTimestamper final : public crypto::SignatureTimestamper {
 public:
  // InProcessTimestamper shares ownership of tsa, which must not be null.
  explicit InProcessTimestamper(std::shared_ptr<const TimeStampAuthority> tsa)
      : tsa_(std::move(tsa)) {}

  // timestamp returns TimeStampAuthority::stamp(algorithm, digest) (no nonce); fails like it.
  [[nodiscard]] Result<Bytes> timestamp(crypto::DigestAlgorithm algorithm,
                                        ByteView digest) const override;

  // max_token_size bounds a token of this TSA: its certificate and chain, the largest signature
  // its key makes, and room for the TSTInfo, the signed attributes and the names.
  [[nodiscard]] std::size_t max_token_size() const override;

 private:
  std::shared_ptr<const TimeStampAuthority> tsa_;
};

}  // namespace pactum::pki
