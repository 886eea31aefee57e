#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/byte_source.h"
#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pdf/incremental_writer.h"
#include "pactum/pdf/pdf_document.h"
#include "pactum/pdf/signature_field.h"

namespace pactum::pdf {

// SignatureRequest is everything one PAdES signature needs: who signs with what, where the
// signature goes and how it looks, and what the signature dictionary says.
struct SignatureRequest {
  const crypto::PrivateKey* key = nullptr;
  const crypto::Certificate* certificate = nullptr;
  std::vector<crypto::Certificate> chain;
  std::optional<crypto::DigestAlgorithm> digest;  // default: the key's default digest

  FieldRequest field;
  // visible draws an appearance: always for a new field on a page, and for an existing field
  // whose widget has a non-empty rectangle.
  Bytes image_png;  // optional seal or handwriting image for the appearance

  std::string name;  // signer's name for /Name and the appearance; default: certificate CN
  std::string reason;
  std::string location;
  std::string contact_info;
  std::optional<int> certify_level;  // DocMDP P = 1, 2 or 3 for a certification signature
  std::chrono::system_clock::time_point signing_time;  // goes into /M and the appearance
  // timestamper, when set, makes the signature PAdES baseline B-T: the CMS carries a signature
  // time-stamp from it (see crypto::build_pades_cms). Not owned; must outlive sign_pdf.
  const crypto::SignatureTimestamper* timestamper = nullptr;

  // contents_capacity_for_test overrides the estimated size of the /Contents placeholder, so
  // tests can make the estimate fall short and exercise the second attempt.
  std::optional<std::size_t> contents_capacity_for_test;
};

// SignedPdf is a signed document: the original bytes followed by update.
struct SignedPdf {
  std::unique_ptr<PdfDocument> document;
  IncrementalUpdate update;
  std::string field_name;
  std::uint64_t size() const { return document->source().size() + update.bytes.size(); }
};

// sign_pdf adds one PAdES signature (/SubFilter /ETSI.CAdES.detached) to the document in source
// as an incremental update: baseline B-B, or B-T when request.timestamper is set (the placeholder
// then also makes room for its max_token_size(); when that falls short the update is rebuilt once,
// which asks for a second token). The returned update holds the finished signature;
// nothing is written anywhere. Fails with kInvalidArgument (bad request, key and certificate
// do not match), kMalformed/kUnsupported (input), kNotFound (field), kRefused (document certified
// with P=1, a certification requested on a signed document, field already signed), kCrypto, or
// the timestamper's error.
Result<SignedPdf> sign_pdf(std::unique_ptr<ByteSource> source, const SignatureRequest& request);

// write_signed_pdf writes the original bytes then the update to path atomically: the file exists
// complete or not at all.
Status write_signed_pdf(const SignedPdf& signed_pdf, const std::string& path);

// format_pdf_date formats a time as a PDF date string body in UTC, "D:YYYYMMDDHHmmSSZ".
std::string format_pdf_date(std::chrono::system_clock::time_point time);

}  // namespace pactum::pdf
