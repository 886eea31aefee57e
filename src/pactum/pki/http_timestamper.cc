#include "pactum/pki/http_timestamper.h"

namespace pactum::pki {

Result<Bytes> HttpTimestamper::timestamp(crypto::DigestAlgorithm algorithm, ByteView digest) const {
  auto info = request_timestamp(url_, algorithm, digest, trust_, options_);
  if (!info) {
    return std::unexpected(info.error());
  }
  return std::move(info->token);
}

}  // namespace pactum::pki
