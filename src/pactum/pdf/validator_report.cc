// The validator's report for people (shaped like Adobe's signature panel) and as JSON.

#include <algorithm>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/pdf/validator.h"

namespace pactum::pdf {
namespace {

const char* mark(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "ok ";
    case Severity::kWarning:
      return "!  ";
    case Severity::kIndeterminate:
      return "?  ";
    case Severity::kError:
      return "X  ";
  }
  return "X  ";
}

bool has(const std::vector<Finding>& list, std::string_view code) {
  return std::any_of(list.begin(), list.end(), [&](const Finding& f) { return f.code == code; });
}

// integrity says whether the signed bytes are unchanged: "intact", "altered" or "unknown".
const char* integrity(const SignatureReport& s) {
  if (has(s.findings, "digest.mismatch") || has(s.findings, "doc_timestamp.imprint_mismatch")) {
    return "altered";
  }
  if (has(s.findings, "digest.match") || has(s.findings, "doc_timestamp.intact")) {
    return "intact";
  }
  return "unknown";
}

// changes_summary is "none", "allowed" or "disallowed" for what later revisions did.
const char* changes_summary(const SignatureReport& s) {
  bool any = false;
  for (const Finding& f : s.changes) {
    if (f.severity == Severity::kError) {
      return "disallowed";
    }
    any = any || f.code != "change.none";
  }
  return any ? "allowed" : "none";
}

std::string headline(const SignatureReport& s) {
  const std::string who =
      s.signer_subject.empty() ? std::string("an unknown signer") : s.signer_subject;
  if (s.kind == EntryKind::kDocumentTimestamp) {
    switch (s.verdict) {
      case Verdict::kValid:
        return fmt::format("Document time-stamp is VALID, by {}", who);
      case Verdict::kIndeterminate:
        return fmt::format("Document time-stamp validity is UNKNOWN (indeterminate), by {}", who);
      case Verdict::kInvalid:
        return fmt::format("Document time-stamp is INVALID, by {}", who);
    }
  }
  switch (s.verdict) {
    case Verdict::kValid:
      return fmt::format("Signature is VALID, signed by {}", who);
    case Verdict::kIndeterminate:
      return fmt::format("Signature validity is UNKNOWN (indeterminate), signed by {}", who);
    case Verdict::kInvalid:
      return fmt::format("Signature is INVALID, signed by {}", who);
  }
  return "";
}

void findings_text(std::string& out, const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    out += fmt::format("      {}{} [{}]\n", mark(f.severity), f.message, f.code);
  }
}

nlohmann::json findings_json(const std::vector<Finding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const Finding& f : findings) {
    out.push_back(
        {{"severity", severity_name(f.severity)}, {"code", f.code}, {"message", f.message}});
  }
  return out;
}

}  // namespace

std::string render_validation_text(const ValidationReport& report) {
  std::string out;
  switch (report.verdict) {
    case Verdict::kValid:
      out += "All signatures are valid.\n";
      break;
    case Verdict::kIndeterminate:
      out += "At least one signature has problems: validity is unknown (indeterminate).\n";
      break;
    case Verdict::kInvalid:
      out += "At least one signature is invalid, or the document was altered.\n";
      break;
  }
  out += fmt::format("{} bytes, {} revision(s), {} signature(s)\n", report.size, report.revisions,
                     report.signatures.size());
  if (!report.document.empty()) {
    out += "  Document:\n";
    findings_text(out, report.document);
  }
  for (std::size_t i = 0; i < report.signatures.size(); ++i) {
    const SignatureReport& s = report.signatures[i];
    out += fmt::format("\n  Rev. {}: {} {} (field {})\n", s.revision,
                       s.kind == EntryKind::kDocumentTimestamp ? "Document time-stamp by"
                                                               : "Signed by",
                       s.signer_subject.empty() ? "(unknown)" : s.signer_subject, s.field);
    out += fmt::format("    {}\n", headline(s));
    if (s.docmdp) {
      out += fmt::format("    Certification signature, DocMDP P={}\n", *s.docmdp);
    }
    out += "    Signature Details\n";
    if (!s.claimed_time.empty()) {
      out += fmt::format("      Signing time (claimed, /M): {}\n", s.claimed_time);
    }
    if (!s.timestamp_time.empty()) {
      out += fmt::format("      Time-stamped time: {} by {}\n", s.timestamp_time,
                         s.timestamp_authority);
    } else if (s.kind == EntryKind::kSignature) {
      out += "      Time-stamped time: none (the signing time is the signer's own claim)\n";
    }
    if (!s.proven_time.empty()) {
      out += fmt::format("      Proven to exist at: {}\n", s.proven_time);
    }
    out += fmt::format("      Integrity: {}\n", integrity(s));
    out += fmt::format("      Coverage: {}\n",
                       s.covers_whole_file
                           ? std::string("the whole file")
                           : fmt::format("revision {} of {}", s.signed_revision, report.revisions));
    out += fmt::format("      Changes after: {}\n", changes_summary(s));
    out += fmt::format("      Revocation: {}{}\n", s.revocation,
                       s.revocation_fetched ? " (data fetched online, not in the file)" : "");
    out += fmt::format("      LTV (all validation data in the file): {}\n", s.ltv ? "yes" : "no");
    if (!s.reason.empty()) {
      out += fmt::format("      Reason: {}\n", s.reason);
    }
    if (!s.location.empty()) {
      out += fmt::format("      Location: {}\n", s.location);
    }
    if (!s.signer_issuer.empty()) {
      out += fmt::format("      Issuer: {}\n", s.signer_issuer);
    }
    for (std::size_t k = 1; k < s.chain.size(); ++k) {
      out += fmt::format("      Chain: {}\n", s.chain[k]);
    }
    out += fmt::format("      SubFilter: {}, digest {}\n",
                       s.sub_filter.empty() ? "(none)" : s.sub_filter,
                       s.digest_algorithm.empty() ? "(unknown)" : s.digest_algorithm);
    std::string range;
    for (const long long v : s.byte_range) {
      range += fmt::format("{}{}", range.empty() ? "" : " ", v);
    }
    out += fmt::format("      ByteRange: [{}]{}\n", range,
                       s.covers_whole_file ? " (covers the whole file)" : "");
    out += "    Checks\n";
    findings_text(out, s.findings);
    out += "    Changes after signing\n";
    findings_text(out, s.changes);
  }
  return out;
}

std::string render_validation_json(const ValidationReport& report) {
  nlohmann::json j;
  j["verdict"] = verdict_name(report.verdict);
  j["size"] = report.size;
  j["revisions"] = report.revisions;
  j["document"] = findings_json(report.document);
  j["signatures"] = nlohmann::json::array();
  for (const SignatureReport& s : report.signatures) {
    nlohmann::json sj = {{"verdict", verdict_name(s.verdict)},
                         {"kind", s.kind == EntryKind::kDocumentTimestamp ? "document_timestamp"
                                                                         : "signature"},
                         {"field", s.field},
                         {"revision", s.revision},
                         {"signed_revision", s.signed_revision},
                         {"covers_whole_file", s.covers_whole_file},
                         {"in_final_form", s.in_final_form},
                         {"sub_filter", s.sub_filter},
                         {"byte_range", s.byte_range},
                         {"claimed_time", s.claimed_time},
                         {"timestamp_time", s.timestamp_time},
                         {"timestamp_authority", s.timestamp_authority},
                         {"proven_time", s.proven_time},
                         {"integrity", integrity(s)},
                         {"changes_summary", changes_summary(s)},
                         {"revocation", s.revocation},
                         {"revocation_fetched_online", s.revocation_fetched},
                         {"ltv", s.ltv},
                         {"name", s.name},
                         {"reason", s.reason},
                         {"location", s.location},
                         {"digest_algorithm", s.digest_algorithm},
                         {"signer", s.signer_subject},
                         {"issuer", s.signer_issuer},
                         {"chain", s.chain},
                         {"findings", findings_json(s.findings)},
                         {"changes", findings_json(s.changes)}};
    if (s.docmdp) {
      sj["docmdp"] = *s.docmdp;
    }
    j["signatures"].push_back(sj);
  }
  return j.dump(2);
}

}  // namespace pactum::pdf
