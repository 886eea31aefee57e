#include "pactum/pdf/pades_signer.h"

#include <ctime>

#include <fmt/format.h>
#include <qpdf/QPDF.hh>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/cms_signer.h"
#include "pactum/pdf/appearance_render.h"
#include "pactum/pdf/qpdf_guard.h"
#include "pactum/pdf/signature_placeholder.h"

namespace pactum::pdf {
namespace {

// Room for the CMS beyond the certificates and the raw signature value: algorithm identifiers,
// signed attributes, issuer name and serial. Generous, since a retry costs a second signature.
constexpr std::size_t kCmsOverhead = 1536;
// Room for the unsigned attribute around a time-stamp token: attribute OID, SET and SEQUENCE
// headers, and the [1] unsignedAttrs header.
constexpr std::size_t kTimestampAttributeOverhead = 64;

std::tm utc_tm(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string human_time(std::chrono::system_clock::time_point time) {
  const std::tm tm = utc_tm(time);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string pdf_text(const std::string& utf8) {
  return QPDFObjectHandle::newUnicodeString(utf8).unparse();
}

SignaturePlaceholder signature_dictionary(const SignatureRequest& request, const std::string& name,
                                          std::size_t capacity) {
  std::string t = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached";
  t += fmt::format(" /M {}", pdf_text(format_pdf_date(request.signing_time)));
  t += fmt::format(" /Name {}", pdf_text(name));
  if (!request.reason.empty()) {
    t += fmt::format(" /Reason {}", pdf_text(request.reason));
  }
  if (!request.location.empty()) {
    t += fmt::format(" /Location {}", pdf_text(request.location));
  }
  if (!request.contact_info.empty()) {
    t += fmt::format(" /ContactInfo {}", pdf_text(request.contact_info));
  }
  if (request.certify_level) {
    t += fmt::format(
        " /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type "
        "/TransformParams /P {} /V /1.2 >> >>]",
        *request.certify_level);
  }
  t += " /Prop_Build << /App << /Name /Pactum >> /Filter << /Name /Adobe.PPKLite >> >>";
  return make_placeholder(std::move(t), capacity);
}

std::vector<std::string> appearance_lines(const SignatureRequest& request,
                                          const std::string& name) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("签署人 Signed by: {}", name));
  lines.push_back(fmt::format("时间 Date: {}", human_time(request.signing_time)));
  if (!request.reason.empty()) {
    lines.push_back(fmt::format("原因 Reason: {}", request.reason));
  }
  if (!request.location.empty()) {
    lines.push_back(fmt::format("地点 Location: {}", request.location));
  }
  return lines;
}

std::size_t estimate_capacity(const SignatureRequest& request) {
  std::size_t size = kCmsOverhead + request.certificate->der().size();
  for (const auto& cert : request.chain) {
    size += cert.der().size();
  }
  const auto bits = static_cast<std::size_t>(request.key->bits());
  size += request.key->type() == crypto::KeyType::kRsa ? bits / 8 : 2 * bits / 8 + 16;
  if (request.timestamper != nullptr) {
    size += kTimestampAttributeOverhead + request.timestamper->max_token_size();
  }
  return size;
}

Status check_request(const SignatureRequest& request) {
  if (request.key == nullptr || request.certificate == nullptr) {
    return fail(ErrorCode::kInvalidArgument, "a signing key and certificate are required");
  }
  if (!request.certificate->matches(*request.key)) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("the private key does not belong to the certificate of {}",
                            request.certificate->subject_common_name()));
  }
  if (!request.certificate->valid_at(request.signing_time)) {
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("the certificate of {} is not valid at the signing time {} (valid from "
                    "{} to {})",
                    request.certificate->subject_common_name(), human_time(request.signing_time),
                    human_time(request.certificate->not_before()),
                    human_time(request.certificate->not_after())));
  }
  if (request.certify_level && (*request.certify_level < 1 || *request.certify_level > 3)) {
    return fail(ErrorCode::kInvalidArgument,
                "the certification level (DocMDP P) must be 1, 2 or 3");
  }
  if (request.field.existing_field && (request.field.page || request.field.rect)) {
    return fail(ErrorCode::kInvalidArgument,
                "give either an existing field or a page and rectangle, not both");
  }
  if (request.field.page.has_value() != request.field.rect.has_value()) {
    return fail(ErrorCode::kInvalidArgument,
                "a visible signature needs both a page and a rectangle");
  }
  return {};
}

// docmdp_level returns the P of the document's certification signature, if it has one.
std::optional<long long> docmdp_level(QPDF& qpdf) {
  QPDFObjectHandle signature = qpdf.getRoot().getKey("/Perms").getKey("/DocMDP");
  if (!signature.isDictionary()) {
    return std::nullopt;
  }
  QPDFObjectHandle references = signature.getKey("/Reference");
  if (!references.isArray()) {
    return std::nullopt;
  }
  for (auto& reference : references.aitems()) {
    if (reference.isDictionary() &&
        reference.getKey("/TransformMethod").isNameAndEquals("/DocMDP")) {
      QPDFObjectHandle p = reference.getKey("/TransformParams").getKey("/P");
      return p.isInteger() ? p.getIntValue() : 2;  // 2 is the default P
    }
  }
  return std::nullopt;
}

Status check_document_allows(PdfDocument& document, const SignatureRequest& request) {
  auto level = guarded(ErrorCode::kMalformed, "cannot read the document's permissions",
                       [&] { return docmdp_level(document.qpdf()); });
  if (!level) {
    return std::unexpected(level.error());
  }
  if (*level && **level == 1) {
    return fail(ErrorCode::kRefused,
                "the document is certified with DocMDP P=1 (no changes allowed): it cannot be "
                "signed again");
  }
  if (request.certify_level && document.signature_count() > 0) {
    return fail(ErrorCode::kRefused,
                fmt::format("a certification signature must be the first signature, and the "
                            "document already has {}",
                            document.signature_count()));
  }
  return {};
}

// finish_signature fills in /ByteRange, hashes both ranges and patches the CMS into /Contents.
// Returns false in the value when the CMS did not fit; required then holds its size.
Result<bool> finish_signature(const PdfDocument& document, IncrementalUpdate& update,
                              QPDFObjGen signature, const SignaturePlaceholder& dict,
                              const SignatureRequest& request, crypto::DigestAlgorithm digest,
                              std::size_t& required) {
  auto message_digest = fill_byte_range(document.source(), update, signature, dict, digest);
  if (!message_digest) {
    return std::unexpected(message_digest.error());
  }
  auto cms = crypto::build_pades_cms({.key = request.key,
                                      .certificate = request.certificate,
                                      .chain = request.chain,
                                      .digest = digest,
                                      .message_digest = *message_digest,
                                      .timestamper = request.timestamper});
  if (!cms) {
    return std::unexpected(cms.error());
  }
  if (!fill_contents(update, signature, dict, *cms)) {
    required = cms->size();
    return false;
  }
  return true;
}

}  // namespace

std::string format_pdf_date(std::chrono::system_clock::time_point time) {
  const std::tm tm = utc_tm(time);
  return fmt::format("D:{:04}{:02}{:02}{:02}{:02}{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<SignedPdf> sign_pdf(std::unique_ptr<ByteSource> source, const SignatureRequest& request) {
  if (auto st = check_request(request); !st) {
    return std::unexpected(st.error());
  }
  const crypto::DigestAlgorithm digest = request.digest.value_or(request.key->default_digest());
  auto document = PdfDocument::open(std::move(source));
  if (!document) {
    return std::unexpected(document.error());
  }
  PdfDocument& doc = **document;
  if (auto st = check_document_allows(doc, request); !st) {
    return std::unexpected(st.error());
  }

  IncrementalWriter writer(doc);
  auto signature = guarded(ErrorCode::kMalformed, "cannot add the signature",
                           [&] { return writer.add_object(QPDFObjectHandle::newDictionary()); });
  if (!signature) {
    return std::unexpected(signature.error());
  }
  auto placed = place_signature_field(doc, writer, request.field, *signature);
  if (!placed) {
    return std::unexpected(placed.error());
  }
  const std::string name =
      request.name.empty() ? request.certificate->subject_common_name() : request.name;
  const bool visible = placed->width > 0 && placed->height > 0;
  if (!visible && !request.image_png.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "an image needs a visible signature: give --page and --rect, or a field with a "
                "visible widget");
  }
  if (visible) {
    auto appearance = render_appearance_pdf({.width = placed->upright_width(),
                                             .height = placed->upright_height(),
                                             .image_png = request.image_png,
                                             .lines = appearance_lines(request, name)});
    if (!appearance) {
      return std::unexpected(appearance.error());
    }
    if (auto st = attach_appearance(doc, writer, *placed, *appearance); !st) {
      return std::unexpected(st.error());
    }
  }
  if (request.certify_level) {
    auto certified = guarded(ErrorCode::kMalformed, "cannot certify the document", [&] {
      QPDFObjectHandle root = doc.qpdf().getRoot();
      QPDFObjectHandle perms = root.getKey("/Perms");
      if (perms.isDictionary()) {  // e.g. usage rights (/UR3): keep them beside /DocMDP
        perms.replaceKey("/DocMDP", *signature);
        writer.mark_changed(perms.isIndirect() ? perms : root);
      } else {
        perms = QPDFObjectHandle::newDictionary();
        perms.replaceKey("/DocMDP", *signature);
        root.replaceKey("/Perms", perms);
        writer.edit_original(root, {DictEdit::Kind::kInsertKey, "/Perms",
                                    fmt::format("<< /DocMDP {} >>", signature->unparse())});
      }
    });
    if (!certified) {
      return std::unexpected(certified.error());
    }
  }

  std::size_t capacity = request.contents_capacity_for_test.value_or(estimate_capacity(request));
  for (int attempt = 0; attempt < 2; ++attempt) {
    const SignaturePlaceholder dict = signature_dictionary(request, name, capacity);
    writer.set_raw_body(signature->getObjGen(), dict.text);
    auto update = writer.build();
    if (!update) {
      return std::unexpected(update.error());
    }
    std::size_t required = 0;
    auto done =
        finish_signature(doc, *update, signature->getObjGen(), dict, request, digest, required);
    if (!done) {
      return std::unexpected(done.error());
    }
    if (*done) {
      return SignedPdf{std::move(*document), std::move(*update), placed->name};
    }
    capacity = required + 64;  // the estimate was short: size the placeholder from the real CMS
  }
  return fail(ErrorCode::kInternal, "the signature did not fit its placeholder");
}

Status write_signed_pdf(const SignedPdf& signed_pdf, const std::string& path) {
  auto file = AtomicFile::create(path);
  if (!file) {
    return std::unexpected(file.error());
  }
  if (auto st = file->copy_from(signed_pdf.document->source()); !st) {
    return st;
  }
  if (auto st = file->write(signed_pdf.update.bytes); !st) {
    return st;
  }
  return file->commit();
}

}  // namespace pactum::pdf
