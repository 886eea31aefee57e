#pragma once

// Time-stamping a whole file, as `pactum tsa stamp` and `pactum tsa verify` do: the file is
// hashed (SHA-256), a query with certReq and a fresh nonce is answered by a TSA (over HTTP or the
// platform's own in process), and the reply is verified before it is handed back. The reply is a
// DER TimeStampResp, the .tsr that `openssl ts -reply` and `openssl ts -verify -in` read.

#include <string>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"
#include "pactum/pki/tsa_client.h"
#include "pactum/pki/tsa_http.h"

namespace pactum::pki {

class PlatformPki;

// hash_file returns the digest of the file at path, read in bounded chunks (any size); kNotFound
// or kIo if it cannot be read.
Result<Bytes> hash_file(const std::string& path, crypto::DigestAlgorithm algorithm);

// FileTimestamp is a verified reply and what its token says.
struct FileTimestamp {
  Bytes reply;  // DER TimeStampResp
  TimeStampInfo info;
};

// stamp_file_over_http asks the RFC 3161 TSA at url to time-stamp the file at path and verifies
// the reply under trust. Fails like hash_file, request_timestamp.
Result<FileTimestamp> stamp_file_over_http(const std::string& path, const std::string& url,
                                           const TimeStampTrust& trust,
                                           const TsaHttpOptions& options = {});

// stamp_file_in_process has the platform's own TSA time-stamp the file at path and verifies the
// reply against the platform root. Fails like hash_file or the TSA.
Result<FileTimestamp> stamp_file_in_process(const std::string& path, const PlatformPki& pki);

// verify_file_timestamp checks that token_or_reply (a DER TimeStampResp or a bare DER
// TimeStampToken) time-stamps the file at path, under trust, and returns what it says. Fails with
// kRefused for a reply that was not granted, kMalformed for bytes that are neither, kCrypto
// naming the first check that failed (imprint, signature, chain), like hash_file.
Result<TimeStampInfo> verify_file_timestamp(ByteView token_or_reply, const std::string& path,
                                            const TimeStampTrust& trust);

}  // namespace pactum::pki
