#include "pactum/pdf/validator.h"

#include <algorithm>

#include <fmt/format.h>

#include "pactum/pdf/dss.h"
#include "pactum/pdf/qpdf_guard.h"
#include "pactum/pdf/validator_internal.h"

namespace pactum::pdf {
namespace {

using validation::add;
using validation::SignatureDict;

Verdict verdict_of(const SignatureReport& report) {
  Verdict verdict = Verdict::kValid;
  for (const auto* list : {&report.findings, &report.changes}) {
    for (const Finding& f : *list) {
      if (f.severity == Severity::kError) {
        return Verdict::kInvalid;
      }
      if (f.severity == Severity::kIndeterminate) {
        verdict = Verdict::kIndeterminate;
      }
    }
  }
  return verdict;
}

// Revisions holds every revision opened with qpdf, and every signature found in any of them.
struct Revisions {
  std::vector<validation::OpenedRevision> opened;
  std::vector<SignatureDict> signatures;         // each once, in order of appearance
  std::vector<std::vector<SignatureDict>> seen;  // per revision, the signatures it holds
};

Revisions open_all(ByteView file, const RevisionChain& chain, ValidationReport& report) {
  Revisions out;
  for (std::size_t i = 0; i < chain.revisions.size(); ++i) {
    const int number = static_cast<int>(i);
    out.opened.push_back(validation::open_revision(file.subspan(0, chain.revisions[i].end)));
    out.seen.emplace_back();
    const auto& opened = out.opened.back();
    if (!opened.qpdf) {
      add(report.document, Severity::kError, "revision.unreadable",
          fmt::format("revision {}: {}", i + 1, opened.error));
      continue;
    }
    for (const std::string& warning : opened.warnings) {
      add(report.document, Severity::kWarning, "revision.damaged",
          fmt::format("revision {}: {}", i + 1, warning));
    }
    auto sigs = validation::signature_dicts(*opened.qpdf, number);
    if (!sigs) {
      add(report.document, Severity::kError, "revision.form_unreadable",
          fmt::format("revision {}: {}", i + 1, sigs.error().describe()));
      continue;
    }
    for (SignatureDict& sig : *sigs) {
      const bool known = std::any_of(out.signatures.begin(), out.signatures.end(),
                                     [&](const auto& s) { return same_signature(s, sig); });
      if (!known) {
        out.signatures.push_back(sig);
      }
      out.seen.back().push_back(std::move(sig));
    }
  }
  return out;
}

// check_removal flags a signature that a later revision no longer holds.
void check_removal(const Revisions& revisions, const SignatureDict& sig, SignatureReport& report) {
  for (std::size_t i = static_cast<std::size_t>(sig.revision) + 1; i < revisions.seen.size(); ++i) {
    if (!revisions.opened[i].qpdf) {
      continue;
    }
    const auto& held = revisions.seen[i];
    const bool present = std::any_of(held.begin(), held.end(),
                                     [&](const auto& s) { return same_signature(s, sig); });
    if (!present) {
      report.in_final_form = false;
      add(report.changes, Severity::kError, "change.signature_removed",
          fmt::format("revision {} removed or replaced this signature in the form", i + 1));
      return;
    }
  }
}

Status validate_signature(ByteView file, const RevisionChain& chain, Revisions& revisions,
                          const SignatureDict& sig, std::optional<int> docmdp,
                          ValidationReport& document, SignatureReport& report,
                          validation::Evidence& evidence) {
  const bool document_timestamp =
      sig.type == "/DocTimeStamp" || sig.sub_filter == "/ETSI.RFC3161";
  report.kind = document_timestamp ? EntryKind::kDocumentTimestamp : EntryKind::kSignature;
  report.field = sig.field;
  report.revision = sig.revision + 1;
  report.sub_filter = sig.sub_filter;
  report.claimed_time = sig.claimed_time;
  report.name = sig.name;
  report.reason = sig.reason;
  report.location = sig.location;
  report.docmdp = sig.docmdp;
  QPDF& introduced = *revisions.opened.at(static_cast<std::size_t>(sig.revision)).qpdf;
  auto xref = guarded(ErrorCode::kMalformed, "cannot read the cross-reference table",
                      [&] { return introduced.getXRefTable(); });
  if (!xref) {
    add(report.findings, Severity::kError, "revision.unreadable", xref.error().describe());
    return {};
  }
  auto ranges = validation::check_byte_range(file, chain, *xref, sig, report);
  evidence.signed_revision = report.signed_revision;
  if (document_timestamp && sig.sub_filter != "/ETSI.RFC3161") {
    add(report.findings, Severity::kError, "sub_filter.unsupported",
        fmt::format("a document time-stamp has /SubFilter {}, not ETSI.RFC3161",
                    sig.sub_filter.empty() ? "(none)" : sig.sub_filter));
  } else if (ranges) {
    auto st = document_timestamp
                  ? validation::check_document_timestamp(file, *ranges, sig, report, evidence)
                  : validation::check_cms(file, *ranges, sig, report, evidence);
    if (!st) {
      return st;
    }
  }
  check_removal(revisions, sig, report);
  const auto& last = revisions.opened.back();
  const auto signed_index = static_cast<std::size_t>(sig.revision);
  if (signed_index + 1 < revisions.opened.size() && last.qpdf) {
    validation::classify_changes(introduced, *last.qpdf, docmdp, sig.lock, report.changes);
  } else if (signed_index + 1 == revisions.opened.size()) {
    add(report.changes, Severity::kInfo, "change.none", "no revision follows this signature");
  }
  for (const Finding& f : document.document) {
    if (f.severity == Severity::kError) {
      report.changes.push_back(f);
    }
  }
  return {};
}

// validation_data reads the /DSS of the last revision: every certificate, OCSP response and CRL
// it holds (what is not needed is never matched).
validation::ValidationData validation_data(const Revisions& revisions, ValidationReport& report) {
  validation::ValidationData out;
  const auto& last = revisions.opened.back();
  if (!last.qpdf) {
    return out;
  }
  auto dss = read_dss(*last.qpdf);
  if (!dss) {
    add(report.document, Severity::kWarning, "dss.unreadable",
        fmt::format("the document security store cannot be read: {}", dss.error().describe()));
    return out;
  }
  if (!*dss) {
    return out;
  }
  for (const std::string& problem : (*dss)->problems) {
    add(report.document, Severity::kWarning, "dss.damaged", problem);
  }
  for (const Bytes& der : (*dss)->certs) {
    if (auto cert = crypto::Certificate::from_der(der)) {
      out.certs.push_back(std::move(*cert));
    } else {
      add(report.document, Severity::kWarning, "dss.damaged",
          "a certificate in the document security store does not parse");
    }
  }
  out.ocsps = (*dss)->ocsps;
  out.crls = (*dss)->crls;
  for (const auto& [key, vri] : (*dss)->vri) {
    for (const Bytes& der : vri.certs) {
      if (auto cert = crypto::Certificate::from_der(der)) {
        out.certs.push_back(std::move(*cert));
      }
    }
    out.ocsps.insert(out.ocsps.end(), vri.ocsps.begin(), vri.ocsps.end());
    out.crls.insert(out.crls.end(), vri.crls.begin(), vri.crls.end());
  }
  return out;
}

}  // namespace

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return "valid";
    case Verdict::kIndeterminate:
      return "indeterminate";
    case Verdict::kInvalid:
      return "invalid";
  }
  return "invalid";
}

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kIndeterminate:
      return "indeterminate";
    case Severity::kError:
      return "error";
  }
  return "error";
}

Result<ValidationReport> validate_pdf(const ByteSource& source, const ValidationOptions& options) {
  ValidationReport report;
  report.size = source.size();
  Bytes owned;
  ByteView file = source.memory();
  if (!source.file_path().empty()) {
    owned.resize(static_cast<std::size_t>(source.size()));
    if (auto st = source.read(0, owned); !st) {
      return std::unexpected(st.error());
    }
    file = owned;
  }
  auto chain = find_revision_chain(source);
  if (!chain) {
    if (chain.error().code == ErrorCode::kIo) {
      return std::unexpected(chain.error());
    }
    add(report.document, Severity::kError, "document.structure",
        fmt::format("the file's revision structure cannot be read: {}", chain.error().describe()));
    return report;
  }
  report.revisions = static_cast<int>(chain->revisions.size());
  for (const std::string& problem : chain->problems) {
    add(report.document, Severity::kError, "document.unaccounted_data", problem);
  }
  Revisions revisions = open_all(file, *chain, report);
  if (revisions.signatures.empty()) {
    add(report.document, Severity::kError, "document.unsigned", "the document has no signature");
  }
  // A certification signature limits what may change after it for every later signature too.
  std::optional<int> docmdp;
  std::vector<validation::Evidence> evidence(revisions.signatures.size());
  for (std::size_t i = 0; i < revisions.signatures.size(); ++i) {
    const SignatureDict& sig = revisions.signatures[i];
    if (sig.docmdp && !docmdp) {
      docmdp = sig.docmdp;
    }
    SignatureReport signature;
    if (auto st = validate_signature(file, *chain, revisions, sig, docmdp, report, signature,
                                     evidence[i]);
        !st) {
      return std::unexpected(st.error());
    }
    report.signatures.push_back(std::move(signature));
  }
  const validation::ValidationData data = validation_data(revisions, report);
  if (auto st = validation::judge_trust(evidence, data, options, report.signatures); !st) {
    return std::unexpected(st.error());
  }
  for (SignatureReport& signature : report.signatures) {
    signature.verdict = verdict_of(signature);
  }
  report.verdict = report.signatures.empty() ? Verdict::kInvalid : Verdict::kValid;
  for (const SignatureReport& s : report.signatures) {
    report.verdict = std::max(report.verdict, s.verdict);
  }
  for (const Finding& f : report.document) {
    if (f.severity == Severity::kError) {
      report.verdict = Verdict::kInvalid;
    }
  }
  return report;
}

}  // namespace pactum::pdf
