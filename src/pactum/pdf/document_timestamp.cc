#include "pactum/pdf/document_timestamp.h"

#include <qpdf/QPDF.hh>

#include "pactum/pdf/qpdf_guard.h"
#include "pactum/pdf/signature_field.h"
#include "pactum/pdf/signature_placeholder.h"

namespace pactum::pdf {
namespace {

// Room around the token's own size estimate: a retry costs a second token.
constexpr std::size_t kTokenSlack = 256;

SignaturePlaceholder timestamp_dictionary(std::size_t capacity) {
  return make_placeholder(
      "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161"
      " /Prop_Build << /App << /Name /Pactum >> >>",
      capacity);
}

}  // namespace

Result<SignedPdf> add_document_timestamp(std::unique_ptr<ByteSource> source,
                                         const DocumentTimestampRequest& request) {
  if (request.timestamper == nullptr) {
    return fail(ErrorCode::kInvalidArgument, "a document time-stamp needs a time-stamping authority");
  }
  auto document = PdfDocument::open(std::move(source), OpenOptions{.allow_normalise = false});
  if (!document) {
    return std::unexpected(document.error());
  }
  PdfDocument& doc = **document;
  IncrementalWriter writer(doc);
  auto signature = guarded(ErrorCode::kMalformed, "cannot add the document time-stamp",
                           [&] { return writer.add_object(QPDFObjectHandle::newDictionary()); });
  if (!signature) {
    return std::unexpected(signature.error());
  }
  auto placed = place_signature_field(doc, writer, FieldRequest{}, *signature);
  if (!placed) {
    return std::unexpected(placed.error());
  }
  std::size_t capacity = request.contents_capacity_for_test.value_or(
      request.timestamper->max_token_size() + kTokenSlack);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const SignaturePlaceholder dict = timestamp_dictionary(capacity);
    writer.set_raw_body(signature->getObjGen(), dict.text);
    auto update = writer.build();
    if (!update) {
      return std::unexpected(update.error());
    }
    auto digest =
        fill_byte_range(doc.source(), *update, signature->getObjGen(), dict, request.digest);
    if (!digest) {
      return std::unexpected(digest.error());
    }
    auto token = request.timestamper->timestamp(request.digest, *digest);
    if (!token) {
      return std::unexpected(token.error());
    }
    if (fill_contents(*update, signature->getObjGen(), dict, *token)) {
      return SignedPdf{std::move(*document), std::move(*update), placed->name};
    }
    capacity = token->size() + kTokenSlack;
  }
  return fail(ErrorCode::kInternal, "the document time-stamp did not fit its placeholder");
}

}  // namespace pactum::pdf
