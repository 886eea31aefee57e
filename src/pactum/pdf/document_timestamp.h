#pragma once

#include <memory>
#include <optional>

#include "pactum/base/byte_source.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pdf/pades_signer.h"

namespace pactum::pdf {

// DocumentTimestampRequest is what a document time-stamp needs: a TSA (through the same seam as
// signature time-stamps) and the hash of the byte range its token imprints.
struct DocumentTimestampRequest {
  const crypto::SignatureTimestamper* timestamper = nullptr;  // not owned; required
  crypto::DigestAlgorithm digest = crypto::DigestAlgorithm::kSha256;
  // contents_capacity_for_test overrides the placeholder size, to exercise the second attempt.
  std::optional<std::size_t> contents_capacity_for_test;
};

// add_document_timestamp adds a PAdES document time-stamp (ETSI EN 319 142-1 5.4.3, the B-LTA
// archive time-stamp) to the document in source as an incremental update: a new invisible
// signature field whose value is /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161, /Contents an
// RFC 3161 token whose imprint is the digest of the byte range (everything but /Contents). When
// the token does not fit the placeholder sized from max_token_size(), the update is rebuilt once
// with room for it (a second token). Fails with kInvalidArgument without a timestamper, like
// PdfDocument::open and place_signature_field for the input, or with the timestamper's error.
Result<SignedPdf> add_document_timestamp(std::unique_ptr<ByteSource> source,
                                         const DocumentTimestampRequest& request);

}  // namespace pactum::pdf
