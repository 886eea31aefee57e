#include "pactum/pdf/long_term_validation.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "pactum/crypto/cms_verifier.h"
#include "pactum/crypto/issuer_chain.h"
#include "pactum/pdf/document_timestamp.h"
#include "pactum/pdf/dss.h"
#include "pactum/pdf/form_fields.h"
#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

// SignedValue is one signature or document time-stamp of the form.
struct SignedValue {
  std::string field;
  bool document_timestamp = false;
  Bytes contents;  // the /Contents string as stored, padding included
};

// Party is one certificate that signed something in the document (a signer or a TSA) and what
// it signed, for messages.
struct Party {
  crypto::Certificate certificate;
  std::string role;
  bool signer = false;
};

Result<std::vector<SignedValue>> signed_values(QPDF& qpdf) {
  return guarded(ErrorCode::kMalformed, "cannot read the signature fields", [&] {
    std::vector<SignedValue> out;
    for (FormField& field : terminal_fields(qpdf)) {
      if (field.type != "/Sig" || !field.value.isDictionary()) {
        continue;
      }
      QPDFObjectHandle contents = field.value.getKey("/Contents");
      if (!contents.isString()) {
        continue;  // nothing a DSS could refer to; the validator reports it
      }
      const std::string bytes = contents.getStringValue();
      out.push_back({field.name,
                     field.value.getKey("/SubFilter").isNameAndEquals("/ETSI.RFC3161") ||
                         field.value.getKey("/Type").isNameAndEquals("/DocTimeStamp"),
                     Bytes(bytes.begin(), bytes.end())});
    }
    return out;
  });
}

void add_unique(std::vector<crypto::Certificate>& pool, const std::vector<crypto::Certificate>& more) {
  for (const auto& cert : more) {
    const Bytes der = cert.der();
    if (std::none_of(pool.begin(), pool.end(), [&](const auto& c) { return c.der() == der; })) {
      pool.push_back(cert);
    }
  }
}

void add_unique(std::vector<Bytes>& items, const Bytes& item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) {
    items.push_back(item);
  }
}

// parties_of parses one value and returns who signed it: the signer and the TSA of each of its
// signature time-stamps, or the TSA of a document time-stamp. The certificates they carry join
// pool.
Result<std::vector<Party>> parties_of(const SignedValue& value,
                                      std::vector<crypto::Certificate>& pool) {
  auto cms = crypto::CmsSignature::parse(value.contents);
  if (!cms) {
    return fail(ErrorCode::kMalformed,
                fmt::format("{} {}: {}",
                            value.document_timestamp ? "document time-stamp" : "signature",
                            value.field, cms.error().message));
  }
  add_unique(pool, cms->certificates());
  auto signer = cms->signer_certificate(pool);
  if (!signer) {
    return fail(ErrorCode::kNotFound,
                fmt::format("{}: the certificate that made it is neither in it nor given",
                            value.field));
  }
  std::vector<Party> parties;
  if (value.document_timestamp) {
    parties.push_back({*signer, fmt::format("TSA of document time-stamp {}", value.field), false});
    return parties;
  }
  parties.push_back({*signer, fmt::format("signer of {}", value.field), true});
  for (const Bytes& token : cms->signature_timestamp_tokens()) {
    auto stamp = crypto::CmsSignature::parse(token);
    if (!stamp) {
      return fail(ErrorCode::kMalformed, fmt::format("the signature time-stamp of {}: {}",
                                                     value.field, stamp.error().message));
    }
    add_unique(pool, stamp->certificates());
    auto tsa = stamp->signer_certificate(pool);
    if (!tsa) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("the signature time-stamp of {}: the TSA certificate is neither in "
                              "it nor given",
                              value.field));
    }
    parties.push_back({*tsa, fmt::format("TSA of the signature time-stamp of {}", value.field),
                       false});
  }
  return parties;
}

// complete_chain adds to pool the issuers fetch finds for the last certificate of leaf's chain
// until the chain reaches a root, an answer holds no issuer, or the bound is reached; asked
// remembers who was asked about, so addresses that point at each other end.
void complete_chain(const crypto::Certificate& leaf, std::vector<crypto::Certificate>& pool,
                    const LtvRequest& request, std::set<Bytes>& asked) {
  for (std::size_t round = 0; round < crypto::kMaxIssuerChain; ++round) {
    auto built = crypto::build_issuer_chain(leaf, pool);
    if (!built || built->complete) {
      return;
    }
    const crypto::Certificate& last = built->certificates.back();
    if (!asked.insert(last.der()).second) {
      return;
    }
    const std::vector<crypto::Certificate> found = request.fetch_issuer(last);
    if (std::none_of(found.begin(), found.end(),
                     [&](const auto& candidate) { return crypto::issued_by(last, candidate); })) {
      return;
    }
    add_unique(pool, found);
  }
}

// Gatherer asks the source about each certificate once and collects the DSS addition.
class Gatherer {
 public:
  Gatherer(const crypto::RevocationSource& source, LtvResult& result)
      : source_(source), result_(result) {}

  // add_chain adds party's chain and its revocation data to entry and to the document arrays.
  Status add_chain(const Party& party, const std::vector<crypto::Certificate>& pool,
                   VriEntry& entry, DssAddition& addition) {
    auto built = crypto::build_issuer_chain(party.certificate, pool, &issuers_);
    if (!built) {
      return fail(built.error().code, fmt::format("{}: {}", party.role, built.error().message));
    }
    const std::vector<crypto::Certificate>& chain = built->certificates;
    if (!built->complete) {
      // Revocation data is asked of a certificate's issuer, so an end-entity certificate needs
      // its issuer; a CA certificate without one ends the chain below the trust anchor.
      if (!crypto::is_ca_certificate(chain.back())) {
        return fail(ErrorCode::kNotFound,
                    fmt::format("{}: cannot find the certificate of {}, which issued the "
                                "certificate of {} (give it with --chain)",
                                party.role, built->missing_issuer,
                                chain.back().subject_common_name()));
      }
      add_note(fmt::format("the chain of {} ends at {}: its issuer {} was not given (it needs "
                           "no revocation data if it is the trust anchor)",
                           party.certificate.subject_common_name(),
                           chain.back().subject_common_name(), built->missing_issuer));
    }
    for (std::size_t i = 0; i < chain.size(); ++i) {
      const crypto::Certificate& cert = chain.at(i);
      const Bytes der = cert.der();
      add_unique(entry.certs, der);
      add_unique(addition.certs, der);
      if (i + 1 == chain.size()) {
        break;  // the root, or the last certificate found: nothing to ask its issuer about
      }
      auto data = lookup(cert, chain.at(i + 1), i == 0 && party.signer, party.role);
      if (!data) {
        return std::unexpected(data.error());
      }
      if (*data == nullptr) {
        continue;
      }
      for (const Bytes& ocsp : (*data)->ocsp_responses) {
        add_unique(entry.ocsps, ocsp);
        add_unique(addition.ocsps, ocsp);
      }
      for (const Bytes& crl : (*data)->crls) {
        add_unique(entry.crls, crl);
        add_unique(addition.crls, crl);
      }
    }
    return {};
  }

 private:
  // add_note records a note once.
  void add_note(std::string note) {
    if (std::find(result_.notes.begin(), result_.notes.end(), note) == result_.notes.end()) {
      result_.notes.push_back(std::move(note));
    }
  }

  // lookup returns the cached or fresh data about cert, or nullptr for a CA certificate the
  // source knows nothing about.
  Result<const crypto::RevocationData*> lookup(const crypto::Certificate& cert,
                                               const crypto::Certificate& issuer, bool signer,
                                               const std::string& role) {
    const Bytes der = cert.der();
    if (const auto it = cache_.find(der); it != cache_.end()) {
      return it->second ? &*it->second : nullptr;
    }
    auto data = source_.revocation_data(cert, issuer);
    if (!data) {
      if (data.error().code == ErrorCode::kNotFound && crypto::is_ca_certificate(cert)) {
        add_note(fmt::format("no revocation data for the CA certificate of {}: {}",
                                            cert.subject_common_name(), data.error().message));
        cache_.emplace(der, std::nullopt);
        return nullptr;
      }
      return fail(data.error().code,
                  fmt::format("no revocation data for the certificate of {} ({}): {}{}",
                              cert.subject_common_name(), role, data.error().message,
                              data.error().code == ErrorCode::kNotFound
                                  ? " (B-LT needs certificates whose CA answers OCSP or "
                                    "publishes CRLs, e.g. a platform CA; pactum dev-ca "
                                    "certificates name neither)"
                                  : ""));
    }
    if (data->ocsp_responses.empty() && data->crls.empty()) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("no revocation data for the certificate of {} ({})",
                              cert.subject_common_name(), role));
    }
    if (data->revoked_at) {
      result_.revoked.push_back({cert.subject_common_name(), *data->revoked_at, signer});
    }
    return &*cache_.emplace(der, std::move(*data)).first->second;
  }

  const crypto::RevocationSource& source_;
  LtvResult& result_;
  std::map<Bytes, std::optional<crypto::RevocationData>> cache_;
  crypto::IssuerCache issuers_;  // the chains share their upper part: verify it once
};

Result<Bytes> dss_update(ByteView pdf, const LtvRequest& request, LtvResult& result) {
  auto document = PdfDocument::open(view_source(pdf), OpenOptions{.allow_normalise = false});
  if (!document) {
    return std::unexpected(document.error());
  }
  PdfDocument& doc = **document;
  auto values = signed_values(doc.qpdf());
  if (!values) {
    return std::unexpected(values.error());
  }
  if (values->empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "the document has no signature to add validation data for");
  }
  std::vector<crypto::Certificate> pool = request.extra_certificates;
  auto existing = read_dss(doc.qpdf());
  if (!existing) {
    return std::unexpected(existing.error());
  }
  if (*existing) {
    for (const Bytes& der : (*existing)->certs) {
      if (auto cert = crypto::Certificate::from_der(der)) {
        add_unique(pool, {*cert});
      }
    }
  }
  std::vector<std::vector<Party>> parties;
  for (const SignedValue& value : *values) {
    auto found = parties_of(value, pool);
    if (!found) {
      return std::unexpected(found.error());
    }
    parties.push_back(std::move(*found));
  }
  if (request.fetch_issuer) {
    std::set<Bytes> asked;
    for (const std::vector<Party>& list : parties) {
      for (const Party& party : list) {
        complete_chain(party.certificate, pool, request, asked);
      }
    }
  }
  DssAddition addition;
  Gatherer gatherer(*request.revocation, result);
  for (std::size_t i = 0; i < values->size(); ++i) {
    VriEntry entry;
    for (const Party& party : parties[i]) {
      if (auto st = gatherer.add_chain(party, pool, entry, addition); !st) {
        return std::unexpected(st.error());
      }
    }
    addition.vri.insert_or_assign(vri_key(values->at(i).contents), std::move(entry));
    ++(values->at(i).document_timestamp ? result.document_timestamps : result.signatures);
  }
  IncrementalWriter writer(doc);
  auto counts = add_dss(doc, writer, addition, request.now);
  if (!counts) {
    return std::unexpected(counts.error());
  }
  result.added = *counts;
  auto update = writer.build();
  if (!update) {
    return std::unexpected(update.error());
  }
  return std::move(update->bytes);
}

}  // namespace

Result<LtvResult> add_long_term_validation(ByteView pdf, const LtvRequest& request) {
  if (request.revocation == nullptr) {
    return fail(ErrorCode::kInvalidArgument, "no source of revocation data was given");
  }
  LtvResult result;
  auto dss = dss_update(pdf, request, result);
  if (!dss) {
    return std::unexpected(dss.error());
  }
  result.appended = std::move(*dss);
  if (request.document_timestamper == nullptr) {
    return result;
  }
  Bytes whole(pdf.begin(), pdf.end());
  whole.insert(whole.end(), result.appended.begin(), result.appended.end());
  auto stamped = add_document_timestamp(
      view_source(whole), {.timestamper = request.document_timestamper,
                           .digest = request.document_timestamp_digest,
                           .contents_capacity_for_test = std::nullopt});
  if (!stamped) {
    return std::unexpected(stamped.error());
  }
  result.appended.insert(result.appended.end(), stamped->update.bytes.begin(),
                         stamped->update.bytes.end());
  result.document_timestamp_field = stamped->field_name;
  return result;
}

}  // namespace pactum::pdf
