// Trust in every signature and document time-stamp: the time each is proven to have existed,
// its chain to the trust anchors at the validation time (or, for certificates that have expired
// since, at that proven time: past-signature validation), and revocation from the data the file
// carries (or fetched, when asked).
//
// A time-stamp proves a time only when its own integrity held and its TSA chain was valid at
// its genTime. The earliest such proof covering an entry is its proven time: its signature
// time-stamp, or any document time-stamp in a later revision (whose byte range includes it).

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "pactum/crypto/certificate_urls.h"
#include "pactum/crypto/cms_verifier.h"
#include "pactum/crypto/issuer_chain.h"
#include "pactum/crypto/revocation_check.h"
#include "pactum/pdf/validator_internal.h"

namespace pactum::pdf::validation {
namespace {

using TimePoint = std::chrono::system_clock::time_point;
using crypto::ChainStatus;
using crypto::RevocationEvidence;
using crypto::RevocationState;

// Revocation is what the data says about one certificate.
struct Revocation {
  std::vector<RevocationEvidence> evidence;  // verified, about this certificate
  std::vector<std::string> rejected;         // data about it that did not verify
  bool fetched = false;                      // came from --online, not from the file
};

// names_revocation_source reports whether cert names an OCSP responder or a CRL distribution
// point: only then can its revocation be checked, and must be for long-term validation.
bool names_revocation_source(const crypto::Certificate& cert) {
  return !crypto::ocsp_responder_urls(cert).empty() ||
         !crypto::crl_distribution_urls(cert).empty();
}

class TrustJudge {
 public:
  TrustJudge(const std::vector<Evidence>& evidence, const ValidationData& data,
             const ValidationOptions& options)
      : evidence_(evidence), data_(data), options_(options),
        at_(options.at.value_or(options.now)) {
    pool_ = data.certs;
    for (const Evidence& e : evidence) {
      pool_.insert(pool_.end(), e.certificates.begin(), e.certificates.end());
      if (e.timestamp) {
        pool_.insert(pool_.end(), e.timestamp->certificates.begin(),
                     e.timestamp->certificates.end());
      }
    }
    if (options_.fetch_issuer) {
      for (const Evidence& e : evidence) {
        if (e.signer) {
          fetch_missing_issuers(*e.signer);
        }
        if (e.timestamp) {
          fetch_missing_issuers(e.timestamp->tsa);
        }
      }
    }
  }

  Status run(std::vector<SignatureReport>& reports) {
    // Which time-stamps prove their time: integrity held and the TSA chain held at genTime.
    proves_.assign(evidence_.size(), false);
    timestamp_chains_.assign(evidence_.size(), std::nullopt);
    for (std::size_t i = 0; i < evidence_.size(); ++i) {
      const Evidence& e = evidence_[i];
      if (!e.timestamp || (e.is_document_timestamp && !e.intact)) {
        continue;
      }
      auto chain = chain_at(e.timestamp->tsa, e.timestamp->gen_time);
      if (!chain) {
        return std::unexpected(chain.error());
      }
      proves_[i] = chain->status == ChainStatus::kTrusted;
      if (!e.is_document_timestamp) {
        note_signature_timestamp(*chain, e, reports[i]);
        if (proves_[i]) {
          timestamp_chains_[i] = std::move(*chain);
        }
      }
    }
    for (std::size_t i = 0; i < evidence_.size(); ++i) {
      if (auto st = judge(i, reports[i]); !st) {
        return st;
      }
    }
    return {};
  }

 private:
  // fetch_missing_issuers completes leaf's chain in the pool from the CA issuers addresses of
  // its certificates (--online): up the chain as far as the file and the anchors reach, then
  // one fetch per missing issuer, at most kMaxFetchedIssuers times; a certificate is asked
  // about once, so addresses that point at each other end.
  void fetch_missing_issuers(const crypto::Certificate& leaf) {
    for (int fetched = 0; fetched < kMaxFetchedIssuers; ++fetched) {
      std::vector<crypto::Certificate> known = pool_;
      known.insert(known.end(), options_.trust_anchors.begin(), options_.trust_anchors.end());
      auto built = crypto::build_issuer_chain(leaf, known);
      if (!built || built->complete) {
        return;
      }
      const crypto::Certificate& last = built->certificates.back();
      if (std::any_of(options_.trust_anchors.begin(), options_.trust_anchors.end(),
                      [&](const auto& anchor) { return anchor.der() == last.der(); }) ||
          !asked_issuer_.insert(last.der()).second) {
        return;
      }
      const std::vector<crypto::Certificate> found = options_.fetch_issuer(last);
      const auto issuer = std::find_if(found.begin(), found.end(), [&](const auto& candidate) {
        return crypto::issued_by(last, candidate);
      });
      if (issuer == found.end()) {
        return;
      }
      fetched_issuers_.insert(issuer->der());
      pool_.insert(pool_.end(), found.begin(), found.end());
    }
  }

  Result<crypto::ChainResult> chain_at(const crypto::Certificate& leaf, TimePoint time) const {
    return crypto::verify_chain(leaf, pool_, options_.trust_anchors, time);
  }

  static void note_signature_timestamp(const crypto::ChainResult& chain, const Evidence& e,
                                       SignatureReport& report) {
    const std::string when = iso_time(e.timestamp->gen_time);
    switch (chain.status) {
      case ChainStatus::kTrusted:
        add(report.findings, Severity::kInfo, "timestamp.trusted",
            fmt::format("the signature time-stamp proves the signature existed at {} (TSA {} "
                        "chains to a trust anchor)",
                        when, e.timestamp->tsa.subject()));
        return;
      case ChainStatus::kNoAnchors:
        add(report.findings, Severity::kIndeterminate, "timestamp.no_anchors",
            "no trust anchor was given, so the signature time-stamp's TSA is unknown");
        return;
      case ChainStatus::kInvalid:
        add(report.findings, Severity::kError, "timestamp.chain_invalid",
            fmt::format("the signature time-stamp's TSA certificate chain is broken: {}",
                        chain.detail));
        return;
      case ChainStatus::kNotTrusted:
      case ChainStatus::kOutOfPeriod:
        add(report.findings, Severity::kIndeterminate, "timestamp.not_trusted",
            fmt::format("the signature time-stamp's TSA does not chain to a trust anchor valid "
                        "at {}: {}",
                        when, chain.detail));
        return;
    }
  }

  // proven_time is the earliest time a trusted time-stamp proves entry i existed.
  [[nodiscard]] std::optional<TimePoint> proven_time(std::size_t i,
                                                     const SignatureReport& report) const {
    std::optional<TimePoint> best;
    auto consider = [&](TimePoint t) {
      if (!best || t < *best) {
        best = t;
      }
    };
    if (proves_[i]) {
      consider(evidence_[i].timestamp->gen_time);
    }
    for (std::size_t j = 0; j < evidence_.size(); ++j) {
      if (j != i && proves_[j] && evidence_[j].is_document_timestamp &&
          evidence_[j].signed_revision > report.signed_revision && report.signed_revision > 0) {
        consider(evidence_[j].timestamp->gen_time);
      }
    }
    return best;
  }

  // covered_later reports whether a trusted document time-stamp in a later revision covers i.
  [[nodiscard]] bool covered_later(std::size_t i) const {
    for (std::size_t j = 0; j < evidence_.size(); ++j) {
      if (j != i && proves_[j] && evidence_[j].is_document_timestamp &&
          evidence_[j].signed_revision > evidence_[i].signed_revision) {
        return true;
      }
    }
    return false;
  }

  Status judge(std::size_t i, SignatureReport& report) {
    const Evidence& e = evidence_[i];
    if (!e.signer) {
      return {};
    }
    const std::optional<TimePoint> proven = proven_time(i, report);
    if (proven) {
      report.proven_time = iso_time(*proven);
    }
    if (e.is_document_timestamp) {
      return judge_document_timestamp(i, report);
    }
    auto chain = chain_at(*e.signer, at_);
    if (!chain) {
      return std::unexpected(chain.error());
    }
    report.chain = chain->subjects;
    note_fetched_issuers(*chain, report);
    bool past = false;  // relies on the proven time: a certificate expired by the validation time
    const std::string at_text = iso_time(at_);
    switch (chain->status) {
      case ChainStatus::kTrusted:
        add(report.findings, Severity::kInfo, "chain.trusted",
            fmt::format("the signer's certificate chains to a trust anchor, valid at {}",
                        at_text));
        if (proven && !e.signer->valid_at(*proven)) {
          add(report.findings, Severity::kIndeterminate, "chain.not_valid_at_proven_time",
              fmt::format("the signer's certificate was not valid at the time-stamped signing "
                          "time {}",
                          iso_time(*proven)));
        }
        break;
      case ChainStatus::kNoAnchors:
        add(report.findings, Severity::kIndeterminate, "chain.no_anchors",
            "no trust anchor was given (--trust), so the signer's identity is unknown");
        break;
      case ChainStatus::kNotTrusted:
        add(report.findings, Severity::kIndeterminate, "chain.not_trusted",
            fmt::format("the signer's certificate does not chain to any given trust anchor (an "
                        "incomplete chain or another root): {}",
                        chain->detail));
        break;
      case ChainStatus::kInvalid:
        add(report.findings, Severity::kError, "chain.invalid",
            fmt::format("the signer's certificate chain is broken: {}", chain->detail));
        break;
      case ChainStatus::kOutOfPeriod: {
        if (!proven) {
          add(report.findings, Severity::kIndeterminate, "chain.out_of_period",
              fmt::format("a certificate of the chain is not valid at {} ({}), and no trusted "
                          "time-stamp proves the signature existed while it was",
                          at_text, chain->detail));
          break;
        }
        auto then = chain_at(*e.signer, *proven);
        if (!then) {
          return std::unexpected(then.error());
        }
        if (then->status != ChainStatus::kTrusted) {
          add(report.findings, Severity::kIndeterminate, "chain.out_of_period",
              fmt::format("a certificate of the chain is not valid at {} nor at the proven "
                          "signing time {}: {}",
                          at_text, iso_time(*proven), then->detail));
          break;
        }
        chain = std::move(then);
        report.chain = chain->subjects;
        note_fetched_issuers(*chain, report);
        past = true;
        add(report.findings, Severity::kInfo, "chain.valid_at_proven_time",
            fmt::format("a certificate of the chain has expired by {}, but the chain was valid "
                        "at {}, when a trusted time-stamp proves the signature existed",
                        at_text, iso_time(*proven)));
        break;
      }
    }
    if (chain->status == ChainStatus::kTrusted) {
      check_revocation(i, *chain, proven, past, false, report);
      if (timestamp_chains_[i]) {
        check_timestamp_revocation(i, *timestamp_chains_[i], report);
      }
    }
    if (proves_[i] && e.timestamp->tsa.not_after() < at_ && !covered_later(i)) {
      add(report.findings, Severity::kWarning, "timestamp.renew",
          fmt::format("the signature time-stamp's TSA certificate expired on {} and no document "
                      "time-stamp preserves it: add one with `pactum ltv add`",
                      iso_time(e.timestamp->tsa.not_after())));
    }
    return {};
  }

  Status judge_document_timestamp(std::size_t i, SignatureReport& report) {
    const Evidence& e = evidence_[i];
    const TimePoint gen_time = e.timestamp->gen_time;
    auto chain = chain_at(e.timestamp->tsa, gen_time);
    if (!chain) {
      return std::unexpected(chain.error());
    }
    report.chain = chain->subjects;
    switch (chain->status) {
      case ChainStatus::kTrusted:
        add(report.findings, Severity::kInfo, "doc_timestamp.trusted",
            fmt::format("the TSA certificate chains to a trust anchor, valid at the time-stamp's "
                        "time {}",
                        iso_time(gen_time)));
        break;
      case ChainStatus::kNoAnchors:
        add(report.findings, Severity::kIndeterminate, "chain.no_anchors",
            "no trust anchor was given (--trust), so the TSA is unknown");
        return {};
      case ChainStatus::kNotTrusted:
      case ChainStatus::kOutOfPeriod:
        add(report.findings, Severity::kIndeterminate, "chain.not_trusted",
            fmt::format("the TSA certificate does not chain to a trust anchor valid at {}: {}",
                        iso_time(gen_time), chain->detail));
        return {};
      case ChainStatus::kInvalid:
        add(report.findings, Severity::kError, "chain.invalid",
            fmt::format("the TSA certificate chain is broken: {}", chain->detail));
        return {};
    }
    const auto expired = std::find_if(chain->certificates.begin(), chain->certificates.end(),
                                      [&](const auto& c) { return c.not_after() < at_; });
    if (expired != chain->certificates.end()) {
      if (covered_later(i)) {
        add(report.findings, Severity::kInfo, "doc_timestamp.expired_covered",
            fmt::format("the TSA certificate {} expired on {}; a later document time-stamp "
                        "preserves this one",
                        expired->subject(), iso_time(expired->not_after())));
      } else {
        add(report.findings, Severity::kWarning, "doc_timestamp.renew",
            fmt::format("the TSA certificate {} of the latest document time-stamp expired on "
                        "{}: the proof still holds, but renew it with `pactum ltv add` while "
                        "its algorithms are still strong",
                        expired->subject(), iso_time(expired->not_after())));
      }
    }
    check_revocation(i, *chain, gen_time, false, true, report);
    return {};
  }

  // revocation_of gathers what the file (and, when asked, the network) says about cert; data
  // that does not verify is named in report's findings.
  Revocation revocation_of(std::size_t i, const crypto::Certificate& cert,
                           const crypto::Certificate& issuer, SignatureReport& report) const {
    Revocation out;
    const Evidence& e = evidence_[i];
    auto take = [&](const Result<RevocationEvidence>& checked) {
      if (checked) {
        out.evidence.push_back(*checked);
      } else if (checked.error().code != ErrorCode::kNotFound) {
        out.rejected.push_back(checked.error().message);
      }
    };
    for (const auto* list : {&e.ocsps, &data_.ocsps}) {
      for (const Bytes& der : *list) {
        take(crypto::check_ocsp_response(der, cert, issuer, pool_));
      }
    }
    for (const auto* list : {&e.crls, &data_.crls}) {
      for (const Bytes& der : *list) {
        take(crypto::check_crl(der, cert, issuer));
      }
    }
    if (out.evidence.empty() && options_.fetch_revocation && names_revocation_source(cert)) {
      for (const Bytes& der : options_.fetch_revocation(cert, issuer)) {
        auto ocsp = crypto::check_ocsp_response(der, cert, issuer, pool_);
        take(ocsp || ocsp.error().code != ErrorCode::kMalformed ? ocsp
                                                                : crypto::check_crl(der, cert,
                                                                                    issuer));
      }
      out.fetched = !out.evidence.empty();
      report.revocation_fetched = report.revocation_fetched || out.fetched;
    }
    for (const std::string& why : out.rejected) {
      add(report.findings, Severity::kWarning, "revocation.data_invalid",
          fmt::format("revocation data about {} was ignored: {}", cert.subject(), why));
    }
    return out;
  }

  // check_revocation judges the revocation of every certificate of chain below its anchor, at
  // the proven time (or the claimed one, or the validation time). past: the chain was accepted
  // only at the proven time, so missing data makes the result unknown. timestamp: the entry is
  // a document time-stamp, whose missing data is only noted. ltv turns false unless the file
  // holds verified data about every certificate that names a revocation source, and about the
  // signer in any case.
  void check_revocation(std::size_t i, const crypto::ChainResult& chain,
                        std::optional<TimePoint> proven, bool past, bool timestamp,
                        SignatureReport& report) {
    const auto& certs = chain.certificates;
    if (certs.size() < 2) {
      report.revocation = "good";
      report.ltv = true;
      return;
    }
    bool ltv = true;
    std::string overall = "good";
    for (std::size_t k = 0; k + 1 < certs.size(); ++k) {
      const bool leaf = k == 0;
      const Revocation found = revocation_of(i, certs[k], certs[k + 1], report);
      const std::string state = judge_one(certs[k], found, proven, past,
                                          timestamp ? Role::kTimestamp : Role::kSigner, leaf,
                                          report);
      if (!in_file(found) && (leaf || names_revocation_source(certs[k]))) {
        ltv = false;
      }
      if (leaf || state == "revoked" || state == "unknown") {
        if (overall == "good" || state == "revoked" ||
            (state == "unknown" && overall != "revoked")) {
          overall = state;
        }
      }
    }
    report.revocation = overall;
    report.ltv = ltv && !has_fetched(chain);
  }

  // check_timestamp_revocation judges the chain of entry i's signature time-stamp below its
  // anchor at the time-stamp's genTime: a TSA certificate revoked by then voids the proof; data
  // missing for a certificate that names a source keeps the entry from LTV, and is noted.
  void check_timestamp_revocation(std::size_t i, const crypto::ChainResult& chain,
                                  SignatureReport& report) {
    const auto& certs = chain.certificates;
    const TimePoint gen_time = evidence_[i].timestamp->gen_time;
    for (std::size_t k = 0; k + 1 < certs.size(); ++k) {
      const Revocation found = revocation_of(i, certs[k], certs[k + 1], report);
      judge_one(certs[k], found, gen_time, false, Role::kSignatureTimestamp, k == 0, report);
      if (!in_file(found) && names_revocation_source(certs[k])) {
        report.ltv = false;
      }
    }
  }

  // note_fetched_issuers names the certificates of chain that came from a CA issuers address
  // (--online), not from the file.
  void note_fetched_issuers(const crypto::ChainResult& chain, SignatureReport& report) const {
    for (const crypto::Certificate& cert : chain.certificates) {
      if (fetched_issuers_.contains(cert.der()) &&
          !std::any_of(report.findings.begin(), report.findings.end(), [&](const Finding& f) {
            return f.code == "chain.issuer_fetched" &&
                   f.message.find(cert.subject()) != std::string::npos;
          })) {
        add(report.findings, Severity::kInfo, "chain.issuer_fetched",
            fmt::format("the certificate of {} is not in the file: it was fetched from the CA "
                        "issuers address of the certificate it issued (fetched online)",
                        cert.subject()));
      }
    }
  }

  [[nodiscard]] bool has_fetched(const crypto::ChainResult& chain) const {
    return std::any_of(chain.certificates.begin(), chain.certificates.end(),
                       [&](const auto& c) { return fetched_issuers_.contains(c.der()); });
  }

  static bool in_file(const Revocation& found) {
    return !found.evidence.empty() && !found.fetched;
  }

  // Role is what the chain being judged vouches for: a signature, a document time-stamp, or
  // the signature time-stamp of a signature.
  enum class Role : std::uint8_t { kSigner, kTimestamp, kSignatureTimestamp };

  // judge_one decides for one certificate and returns "good", "revoked",
  // "revoked_after_signing", "unknown" or "not_checked". proven is the time the entry is proven
  // to have existed (for kSignatureTimestamp: the time-stamp's genTime).
  std::string judge_one(const crypto::Certificate& cert, const Revocation& found,
                        std::optional<TimePoint> proven, bool past, Role role, bool leaf,
                        SignatureReport& report) const {
    const std::string who = cert.subject();
    const bool signer_chain = role == Role::kSigner;
    const auto revoked =
        std::find_if(found.evidence.begin(), found.evidence.end(),
                     [](const auto& r) { return r.state == RevocationState::kRevoked; });
    if (revoked != found.evidence.end()) {
      const TimePoint when = revoked->revocation_time.value_or(TimePoint{});
      const std::string reason = revoked->reason.empty() ? "" : fmt::format(" ({})", revoked->reason);
      std::optional<TimePoint> signing = proven;
      const char* basis = role == Role::kSignatureTimestamp ? "the signature time-stamp's time"
                                                            : "the time-stamped signing time";
      if (!signing) {
        signing = parse_pdf_date(report.claimed_time);
        basis = "the claimed signing time";
      }
      if (signing && when <= *signing) {
        add(report.findings, Severity::kError, "revocation.revoked_before_signing",
            fmt::format("{} was revoked on {}{}, before {} {}", who, iso_time(when), reason,
                        basis, iso_time(*signing)));
        return "revoked";
      }
      if (proven) {
        add(report.findings, Severity::kInfo, "revocation.revoked_after_signing",
            fmt::format("{} was revoked on {}{}, after {} {}; the signature stays valid", who,
                        iso_time(when), reason, basis, iso_time(*proven)));
        return "revoked_after_signing";
      }
      add(report.findings, Severity::kIndeterminate, "revocation.revoked_no_proof",
          fmt::format("{} was revoked on {}{}, and no time-stamp proves the signature was made "
                      "before that",
                      who, iso_time(when), reason));
      return "revoked";
    }
    const char* fetched = found.fetched ? " (fetched online)" : " (in the file)";
    const auto good = std::max_element(
        found.evidence.begin(), found.evidence.end(), [](const auto& a, const auto& b) {
          return (a.state == RevocationState::kGood ? 1 : 0) <
                     (b.state == RevocationState::kGood ? 1 : 0) ||
                 (a.state == b.state && a.this_update < b.this_update);
        });
    if (good != found.evidence.end() && good->state == RevocationState::kGood) {
      const char* source =
          good->source == RevocationEvidence::Source::kOcsp ? "an OCSP response" : "a CRL";
      add(report.findings, Severity::kInfo, "revocation.good",
          fmt::format("{} is not revoked according to {} of {} signed by {}{}", who, source,
                      iso_time(good->this_update), good->signer, fetched));
      if (leaf && signer_chain && proven && good->this_update < *proven) {
        add(report.findings, Severity::kWarning, "revocation.before_signing",
            fmt::format("the newest revocation data about {} ({}) predates the signing time "
                        "{}",
                        who, iso_time(good->this_update), iso_time(*proven)));
      }
      return "good";
    }
    if (good != found.evidence.end()) {
      add(report.findings, signer_chain ? Severity::kIndeterminate : Severity::kWarning,
          "revocation.unknown",
          fmt::format("the revocation status of {} is unknown to its responder{}", who, fetched));
      return "unknown";
    }
    const bool has_source = names_revocation_source(cert);
    if (!signer_chain) {
      add(report.findings, Severity::kInfo, "revocation.not_checked",
          fmt::format("the file holds no revocation data about {} of the time-stamp's chain{}",
                      who, has_source ? "" : " (it names no revocation service)"));
      return "not_checked";
    }
    if (!found.rejected.empty()) {
      add(report.findings, Severity::kIndeterminate, "revocation.unverifiable",
          fmt::format("the only revocation data about {} does not verify", who));
      return "unknown";
    }
    if (past && leaf) {
      add(report.findings, Severity::kIndeterminate, "revocation.missing",
          fmt::format("{} has expired and the file holds no valid revocation data proving it "
                      "was not revoked when it signed",
                      who));
      return "unknown";
    }
    if (!has_source) {
      // Nothing could ever be fetched or embedded (a dev-ca certificate, an issuing CA made
      // before CAs named their issuer's CRL): worth saying, not a reason to doubt.
      add(report.findings, Severity::kWarning, "revocation.no_source",
          fmt::format("{} names no OCSP responder and no CRL distribution point, so its "
                      "revocation cannot be checked",
                      who));
      return "not_checked";
    }
    add(report.findings, Severity::kIndeterminate, "revocation.missing",
        fmt::format("the file holds no revocation data about {}, which names a revocation "
                    "service{}: long-term validation is not reached (add it with `pactum ltv "
                    "add`, or check with `pactum verify --online`)",
                    who, options_.fetch_revocation ? ", and none could be fetched" : ""));
    return "unknown";
  }

  const std::vector<Evidence>& evidence_;
  const ValidationData& data_;
  const ValidationOptions& options_;
  TimePoint at_;
  std::vector<crypto::Certificate> pool_;
  std::vector<bool> proves_;
  std::set<Bytes> asked_issuer_;             // certificates fetch_issuer was asked about
  std::set<Bytes> fetched_issuers_;          // the issuers it supplied
  // timestamp_chains_[i] is the trusted chain of entry i's signature time-stamp, if any.
  std::vector<std::optional<crypto::ChainResult>> timestamp_chains_;
};

}  // namespace

Status judge_trust(const std::vector<Evidence>& evidence, const ValidationData& data,
                   const ValidationOptions& options, std::vector<SignatureReport>& reports) {
  return TrustJudge(evidence, data, options).run(reports);
}

}  // namespace pactum::pdf::validation
