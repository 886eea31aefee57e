#pragma once

// PAdES B-T signature time-stamps from an RFC 3161 server over HTTP (ours or anyone's).

#include <cstddef>
#include <string>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pki/tsa_client.h"
#include "pactum/pki/tsa_http.h"

namespace pactum::pki {

// HttpTimestamper is a crypto::SignatureTimestamper that asks the TSA at a URL: one query with
// certReq and a fresh nonce per signature, and the answer verified against trust before its token
// is handed on (request_timestamp). Safe to call from several threads.
class HttpTimestamper final : public crypto::SignatureTimestamper {
 public:
  // kDefaultMaxTokenSize is the size hint for a TSA we know nothing about: public TSAs answer
  // with their certificate chain, commonly 3 to 7 KB.
  static constexpr std::size_t kDefaultMaxTokenSize = std::size_t{8} * 1024;

  // HttpTimestamper keeps url (http or https), the trust anchors its tokens must chain to (at
  // least one, else every timestamp() fails with kInvalidArgument), the transfer limits and the
  // size hint.
  HttpTimestamper(std::string url, TimeStampTrust trust, TsaHttpOptions options = {},
                  std::size_t max_token_size = kDefaultMaxTokenSize)
      : url_(std::move(url)),
        trust_(std::move(trust)),
        options_(options),
        max_token_size_(max_token_size) {}

  // timestamp returns the verified token for digest; fails like request_timestamp (kIo for the
  // transfer, kRefused when the TSA says no, kCrypto or kMalformed for an answer that does not
  // verify).
  [[nodiscard]] Result<Bytes> timestamp(crypto::DigestAlgorithm algorithm,
                                        ByteView digest) const override;

  // max_token_size returns the size hint given at construction.
  [[nodiscard]] std::size_t max_token_size() const override { return max_token_size_; }

 private:
  std::string url_;
  TimeStampTrust trust_;
  TsaHttpOptions options_;
  std::size_t max_token_size_;
};

}  // namespace pactum::pki
