#include "pactum/pdf/inspect.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "pactum/pdf/form_fields.h"
#include "pactum/pdf/pdf_document.h"
#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

constexpr std::string_view kEof = "%%EOF";

// find_revisions scans the whole file for %%EOF markers, in bounded chunks.
Result<std::vector<RevisionInfo>> find_revisions(const ByteSource& source) {
  std::vector<RevisionInfo> revisions;
  std::string carry;  // the end of the previous chunk, so a marker split across chunks is found
  std::uint64_t carry_start = 0;
  auto st = for_each_chunk(source, 0, source.size(), [&](ByteView chunk) {
    std::string window = carry;
    window.append(as_chars(chunk));
    std::size_t at = 0;
    while ((at = window.find(kEof, at)) != std::string::npos) {
      std::uint64_t end = carry_start + at + kEof.size();
      const std::size_t after = at + kEof.size();
      if (after < window.size() && window[after] == '\r') {
        ++end;
        if (after + 1 < window.size() && window[after + 1] == '\n') {
          ++end;
        }
      } else if (after < window.size() && window[after] == '\n') {
        ++end;
      }
      if (revisions.empty() || revisions.back().end < carry_start + at) {
        revisions.push_back({end});
      }
      at = after;
    }
    const std::size_t keep = std::min<std::size_t>(window.size(), kEof.size() + 1);
    carry_start += window.size() - keep;
    carry = window.substr(window.size() - keep);
  });
  if (!st) {
    return std::unexpected(st.error());
  }
  return revisions;
}

std::string text_of(QPDFObjectHandle value) {
  return value.isString() ? value.getUTF8Value() : std::string();
}

int page_of(QPDF& qpdf, QPDFObjectHandle widget) {
  QPDFObjectHandle page = widget.getKey("/P");
  int number = 1;
  for (auto& p : QPDFPageDocumentHelper(qpdf).getAllPages()) {
    QPDFObjectHandle handle = p.getObjectHandle();
    if ((page.isIndirect() && handle.getObjGen() == page.getObjGen())) {
      return number;
    }
    QPDFObjectHandle annots = handle.getKey("/Annots");
    if (annots.isArray()) {
      for (auto& a : annots.aitems()) {
        if (a.isIndirect() && a.getObjGen() == widget.getObjGen()) {
          return number;
        }
      }
    }
    ++number;
  }
  return 0;
}

SignatureInfo describe_signature(const std::string& field, QPDFObjectHandle sig,
                                 const InspectReport& report) {
  SignatureInfo info;
  info.field = field;
  QPDFObjectHandle sub_filter = sig.getKey("/SubFilter");
  info.sub_filter = sub_filter.isName() ? sub_filter.getName() : "";
  QPDFObjectHandle range = sig.getKey("/ByteRange");
  if (range.isArray()) {
    for (auto& n : range.aitems()) {
      info.byte_range.push_back(n.isInteger() ? n.getIntValue() : -1);
    }
  }
  QPDFObjectHandle contents = sig.getKey("/Contents");
  info.contents_bytes = contents.isString() ? contents.getStringValue().size() : 0;
  info.signing_time = text_of(sig.getKey("/M"));
  info.name = text_of(sig.getKey("/Name"));
  info.reason = text_of(sig.getKey("/Reason"));
  info.location = text_of(sig.getKey("/Location"));
  QPDFObjectHandle references = sig.getKey("/Reference");
  if (references.isArray()) {
    for (auto& r : references.aitems()) {
      if (r.isDictionary() && r.getKey("/TransformMethod").isNameAndEquals("/DocMDP")) {
        QPDFObjectHandle p = r.getKey("/TransformParams").getKey("/P");
        info.docmdp = p.isInteger() ? p.getIntValue() : 2;
      }
    }
  }
  if (info.byte_range.size() == 4 && info.byte_range[2] >= 0 && info.byte_range[3] >= 0) {
    const auto end = static_cast<std::uint64_t>(info.byte_range[2] + info.byte_range[3]);
    info.covers_whole_file = end == report.size;
    for (std::size_t i = 0; i < report.revisions.size(); ++i) {
      const std::uint64_t rev_end = report.revisions[i].end;
      // A revision ends after %%EOF and an optional end-of-line of up to two bytes.
      if (end <= rev_end && end + 2 >= rev_end) {
        info.revision = static_cast<int>(i + 1);
      }
    }
  }
  return info;
}

}  // namespace

Result<InspectReport> inspect_pdf(const ByteSource& source) {
  InspectReport report;
  report.size = source.size();
  auto revisions = find_revisions(source);
  if (!revisions) {
    return std::unexpected(revisions.error());
  }
  report.revisions = std::move(*revisions);
  QPDF qpdf;
  if (auto st = process_source(qpdf, source); !st) {
    return std::unexpected(st.error());
  }
  auto read = guarded(ErrorCode::kMalformed, "cannot read the PDF", [&] {
    report.pdf_version = qpdf.getPDFVersion();
    report.encrypted = qpdf.isEncrypted();
    report.linearized = qpdf.isLinearized();
    // A page tree qpdf cannot walk is reported, not fatal: the rest still describes the file.
    auto pages = guarded(ErrorCode::kMalformed, "the page tree is damaged", [&] {
      return static_cast<int>(QPDFPageDocumentHelper(qpdf).getAllPages().size());
    });
    if (pages) {
      report.pages = *pages;
    } else {
      report.warnings.push_back(pages.error().describe());
    }
    for (FormField& field : terminal_fields(qpdf)) {
      FieldInfo info;
      info.name = field.name;
      info.type = field.type;
      QPDFObjectHandle value = field.value;
      info.has_value = !value.isNull();
      // A field may have no widget at all (a damaged or hand-made form): then no page or rect.
      QPDFObjectHandle widget = first_widget(field.object);
      if (widget.isDictionary()) {
        QPDFObjectHandle rect = widget.getKey("/Rect");
        if (rect.isArray()) {
          for (auto& n : rect.aitems()) {
            info.rect.push_back(n.isNumber() ? n.getNumericValue() : 0);
          }
        }
        info.page = guarded(ErrorCode::kMalformed, "page", [&] {
                      return page_of(qpdf, widget);
                    }).value_or(0);
      }
      if (info.type == "/Sig" && value.isDictionary()) {
        report.signatures.push_back(describe_signature(info.name, value, report));
      }
      report.fields.push_back(std::move(info));
    }
  });
  if (!read) {
    return std::unexpected(read.error());
  }
  for (auto& warning : qpdf.getWarnings()) {
    report.warnings.emplace_back(warning.what());
  }
  return report;
}

std::string render_inspect_text(const InspectReport& report) {
  std::string out =
      fmt::format("PDF {}, {} bytes, {} page{}{}{}\n", report.pdf_version, report.size,
                  report.pages, report.pages == 1 ? "" : "s",
                  report.linearized ? ", linearized" : "", report.encrypted ? ", encrypted" : "");
  out += fmt::format("Revisions: {}\n", report.revisions.size());
  for (std::size_t i = 0; i < report.revisions.size(); ++i) {
    out += fmt::format("  #{}: bytes 0..{}\n", i + 1, report.revisions[i].end);
  }
  out += fmt::format("Fields: {}\n", report.fields.size());
  for (const auto& f : report.fields) {
    std::string rect;
    for (const double v : f.rect) {
      rect += fmt::format("{}{}", rect.empty() ? "" : " ", v);
    }
    out += fmt::format("  {} {}{}{}\n", f.name, f.type.empty() ? "(no type)" : f.type,
                       f.page > 0 ? fmt::format(" page {} [{}]", f.page, rect) : std::string(),
                       f.has_value ? " (filled)" : " (empty)");
  }
  out += fmt::format("Signatures: {}\n", report.signatures.size());
  for (std::size_t i = 0; i < report.signatures.size(); ++i) {
    const SignatureInfo& s = report.signatures[i];
    std::string range;
    for (const long long v : s.byte_range) {
      range += fmt::format("{}{}", range.empty() ? "" : " ", v);
    }
    out += fmt::format("  Signature #{} in field {}\n", i + 1, s.field);
    out += fmt::format("    SubFilter: {}\n", s.sub_filter);
    out += fmt::format("    ByteRange: [{}]{}\n", range,
                       s.covers_whole_file ? " (covers the whole file)" : "");
    out += fmt::format("    Revision: {}\n",
                       s.revision > 0 ? fmt::format("{} of {}", s.revision, report.revisions.size())
                                      : std::string("does not end at a revision boundary"));
    out += fmt::format("    Contents: {} bytes\n", s.contents_bytes);
    if (!s.signing_time.empty()) {
      out += fmt::format("    Time (/M, claimed): {}\n", s.signing_time);
    }
    if (!s.name.empty()) {
      out += fmt::format("    Name: {}\n", s.name);
    }
    if (!s.reason.empty()) {
      out += fmt::format("    Reason: {}\n", s.reason);
    }
    if (!s.location.empty()) {
      out += fmt::format("    Location: {}\n", s.location);
    }
    if (s.docmdp) {
      out += fmt::format("    Certification: DocMDP P={}\n", *s.docmdp);
    }
  }
  for (const auto& w : report.warnings) {
    out += fmt::format("Warning: {}\n", w);
  }
  return out;
}

std::string render_inspect_json(const InspectReport& report) {
  nlohmann::json j;
  j["size"] = report.size;
  j["pdf_version"] = report.pdf_version;
  j["pages"] = report.pages;
  j["linearized"] = report.linearized;
  j["encrypted"] = report.encrypted;
  j["revisions"] = nlohmann::json::array();
  for (const auto& r : report.revisions) {
    j["revisions"].push_back({{"end", r.end}});
  }
  j["fields"] = nlohmann::json::array();
  for (const auto& f : report.fields) {
    j["fields"].push_back({{"name", f.name},
                           {"type", f.type},
                           {"page", f.page},
                           {"rect", f.rect},
                           {"filled", f.has_value}});
  }
  j["signatures"] = nlohmann::json::array();
  for (const auto& s : report.signatures) {
    nlohmann::json sj = {{"field", s.field},
                         {"sub_filter", s.sub_filter},
                         {"byte_range", s.byte_range},
                         {"contents_bytes", s.contents_bytes},
                         {"signing_time", s.signing_time},
                         {"name", s.name},
                         {"reason", s.reason},
                         {"location", s.location},
                         {"revision", s.revision},
                         {"covers_whole_file", s.covers_whole_file}};
    if (s.docmdp) {
      sj["docmdp"] = *s.docmdp;
    }
    j["signatures"].push_back(sj);
  }
  j["warnings"] = report.warnings;
  return j.dump(2);
}

}  // namespace pactum::pdf
