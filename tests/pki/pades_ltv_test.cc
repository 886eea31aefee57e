// PAdES B-LT and B-LTA end to end: the pdf layer's DSS writer, document time-stamp and
// validation-data gathering with pki's in-process CA (revocation source) and TSA.
#include <gtest/gtest.h>
#include <openssl/ocsp.h>

#include <chrono>
#include <optional>
#include <string>

#include "loopback_http_server.h"
#include "pactum/crypto/certificate_urls.h"
#include "pactum/crypto/cms_verifier.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/issuer_chain.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/revocation_check.h"
#include "pactum/pdf/document_timestamp.h"
#include "pactum/pdf/dss.h"
#include "pactum/pdf/inspect.h"
#include "pactum/pdf/long_term_validation.h"
#include "pactum/pdf/pades_signer.h"
#include "pactum/pki/ca_revocation_source.h"
#include "pactum/pki/crl.h"
#include "pactum/pki/in_process_timestamper.h"
#include "pactum/pki/ocsp_request.h"
#include "pactum/pki/ocsp_responder.h"
#include "pactum/pki/online_revocation_source.h"
#include "pactum/pki/tsa_certificate.h"
#include "pactum/pki/tsa_client.h"
#include "pdf_fixtures.h"
#include "pki_test_support.h"
#include "test_pki.h"

namespace pactum::pki {
namespace {

using std::chrono::system_clock;
using namespace std::chrono_literals;

Bytes concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes whole_file(const pdf::SignedPdf& s) {
  Bytes original(static_cast<std::size_t>(s.document->source().size()));
  EXPECT_TRUE(s.document->source().read(0, original));
  return concat(original, s.update.bytes);
}

std::optional<pdf::Dss> dss_of(const Bytes& pdf) {
  QPDF qpdf;
  qpdf.setAttemptRecovery(false);
  qpdf.processMemoryFile("pdf", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  auto dss = pdf::read_dss(qpdf);
  EXPECT_TRUE(dss.has_value());
  return dss ? *dss : std::nullopt;
}

// Signature is one signature value as inspect_pdf and the byte range find it.
struct Signature {
  std::string sub_filter;
  Bytes contents;      // the whole /Contents string
  Bytes signed_bytes;  // what the byte range covers
};

std::vector<Signature> signatures_of(const Bytes& pdf) {
  auto report = pdf::inspect_pdf(*view_source(pdf));
  EXPECT_TRUE(report.has_value());
  std::vector<Signature> out;
  for (const auto& sig : report->signatures) {
    const auto& r = sig.byte_range;
    if (r.size() != 4) {
      ADD_FAILURE() << "no byte range";
      continue;
    }
    const auto at = [&](long long i) { return pdf.begin() + static_cast<std::ptrdiff_t>(i); };
    Signature s{sig.sub_filter, {}, Bytes(pdf.begin(), at(r[1]))};
    s.signed_bytes.insert(s.signed_bytes.end(), at(r[2]), at(r[2] + r[3]));
    const std::string hex(at(r[1] + 1), at(r[2] - 1));
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      s.contents.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// der_prefix returns the DER value at the start of padded (a /Contents string holds zero padding
// after it).
Bytes der_prefix(const Bytes& padded) {
  if (padded.size() < 2) {
    return {};
  }
  std::size_t length = padded[1];
  std::size_t header = 2;
  if ((length & 0x80U) != 0) {
    const std::size_t count = length & 0x7FU;
    length = 0;
    for (std::size_t i = 0; i < count && header < padded.size(); ++i, ++header) {
      length = (length << 8U) | padded[header];
    }
  }
  return Bytes(padded.begin(), padded.begin() + static_cast<std::ptrdiff_t>(
                                                    std::min(padded.size(), header + length)));
}

// ocsp_status returns V_OCSP_CERTSTATUS_* of cert in a DER OCSP response, or -1.
int ocsp_status(const Bytes& der, const crypto::Certificate& cert,
                const crypto::Certificate& issuer) {
  const unsigned char* cursor = der.data();
  const crypto::UniquePtr<OCSP_RESPONSE> response(
      d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(der.size())));
  if (!response) {
    return -1;
  }
  const crypto::UniquePtr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(response.get()));
  const crypto::UniquePtr<OCSP_CERTID> id(
      OCSP_cert_to_id(EVP_sha1(), cert.native(), issuer.native()));
  int status = -1;
  int reason = 0;
  if (!basic || !id ||
      OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, nullptr, nullptr, nullptr) !=
          1) {
    return -1;
  }
  return status;
}

class PadesLtvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_temp_dir();
    now_ = testing::judge_now();
    const auto fixed = now_;
    pki_.emplace(pactum::testing::make_test_pki(
        dir_ + "/ca", now_, [fixed] { return fixed; }, std::string(testing::kBaseUrl)));
    timestamper_.emplace(pki_->tsa);
    source_.emplace(pki_->ca, [fixed] { return fixed; });
  }

  Bytes sign(const Bytes& pdf, bool timestamp = true) {
    pdf::SignatureRequest r;
    r.key = &pki_->signer_key;
    r.certificate = &pki_->signer;
    r.chain = {pki_->ca.issuing_certificate()};
    r.signing_time = now_;
    r.timestamper = timestamp ? &*timestamper_ : nullptr;
    auto signed_pdf = pdf::sign_pdf(memory_source(pdf), r);
    EXPECT_TRUE(signed_pdf) << signed_pdf.error().describe();
    return signed_pdf ? whole_file(*signed_pdf) : Bytes{};
  }

  pdf::LtvRequest ltv_request(bool lta) {
    return {.revocation = &*source_,
            .extra_certificates = {pki_->ca.root_certificate()},
            .now = now_,
            .document_timestamper = lta ? &*timestamper_ : nullptr};
  }

  [[nodiscard]] TimeStampTrust trust() const {
    return {{pki_->ca.root_certificate()}, {pki_->ca.issuing_certificate()}, std::nullopt};
  }

  std::string dir_;
  system_clock::time_point now_;
  std::optional<pactum::testing::TestPki> pki_;
  std::optional<InProcessTimestamper> timestamper_;
  std::optional<CaRevocationSource> source_;
};

TEST_F(PadesLtvTest, DocumentTimestampImprintsTheByteRange) {
  for (const std::optional<std::size_t> capacity :
       {std::optional<std::size_t>{}, {std::size_t{64}}}) {
    const Bytes signed_pdf = sign(fixtures::classic_pdf(1), false);
    auto stamped = pdf::add_document_timestamp(
        view_source(signed_pdf),
        {.timestamper = &*timestamper_, .contents_capacity_for_test = capacity});
    ASSERT_TRUE(stamped) << stamped.error().describe();
    const Bytes out = whole_file(*stamped);
    const auto sigs = signatures_of(out);
    ASSERT_EQ(sigs.size(), 2U);
    EXPECT_EQ(sigs[1].sub_filter, "/ETSI.RFC3161");
    // The byte range ends where the file ends and starts at 0: the whole revision is covered.
    auto token = crypto::CmsSignature::parse(sigs[1].contents);
    ASSERT_TRUE(token);
    auto info = verify_timestamp_token(
        der_prefix(sigs[1].contents), crypto::DigestAlgorithm::kSha256,
        crypto::digest_of(crypto::DigestAlgorithm::kSha256, sigs[1].signed_bytes), std::nullopt,
        trust());
    EXPECT_TRUE(info) << (info ? "" : info.error().describe());
  }
}

TEST_F(PadesLtvTest, CaSourceAnswersWithOcspForItsCertificatesAndACrlOtherwise) {
  const auto& issuing = pki_->ca.issuing_certificate();
  auto signer = source_->revocation_data(pki_->signer, issuing);
  ASSERT_TRUE(signer) << signer.error().describe();
  ASSERT_EQ(signer->ocsp_responses.size(), 1U);
  EXPECT_TRUE(signer->crls.empty());
  EXPECT_EQ(ocsp_status(signer->ocsp_responses[0], pki_->signer, issuing), V_OCSP_CERTSTATUS_GOOD);
  EXPECT_FALSE(signer->revoked_at);

  // A certificate the issuing CA signed without recording it: only a CRL can speak for it.
  auto other_key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
  auto unrecorded = issue_tsa_certificate(pki_->ca.issuing_key(), issuing, other_key,
                                          {"Unrecorded", "", now_ - 1h, now_ + 24h})
                        .value();
  auto crl = source_->revocation_data(unrecorded, issuing);
  ASSERT_TRUE(crl) << crl.error().describe();
  EXPECT_TRUE(crl->ocsp_responses.empty());
  EXPECT_EQ(crl->crls.size(), 1U);

  // The issuing CA itself: the root's CRL, signed by the root, which it names.
  auto ca = source_->revocation_data(issuing, pki_->ca.root_certificate());
  ASSERT_TRUE(ca) << ca.error().describe();
  EXPECT_TRUE(ca->ocsp_responses.empty());
  ASSERT_EQ(ca->crls.size(), 1U);
  auto checked = crypto::check_crl(ca->crls[0], issuing, pki_->ca.root_certificate());
  ASSERT_TRUE(checked) << checked.error().describe();
  EXPECT_EQ(checked->state, crypto::RevocationState::kGood);
  EXPECT_EQ(crypto::crl_distribution_urls(issuing),
            std::vector<std::string>{pki_->ca.urls().root_crl_url});

  // The root is where chains end: nobody answers for it.
  auto root = source_->revocation_data(pki_->ca.root_certificate(), pki_->ca.root_certificate());
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(
      pki_->ca.revoke(pki_->signer.serial_hex(), RevocationReason::kKeyCompromise, now_ - 1min));
  auto revoked = source_->revocation_data(pki_->signer, issuing);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(ocsp_status(revoked->ocsp_responses[0], pki_->signer, issuing),
            V_OCSP_CERTSTATUS_REVOKED);
  EXPECT_EQ(revoked->revoked_at, now_ - 1min);
}

TEST_F(PadesLtvTest, BltPutsEveryChainAndItsRevocationDataIntoTheDss) {
  const Bytes bt = sign(fixtures::classic_pdf(2));
  auto ltv = pdf::add_long_term_validation(bt, ltv_request(false));
  ASSERT_TRUE(ltv) << ltv.error().describe();
  EXPECT_EQ(ltv->signatures, 1U);
  EXPECT_EQ(ltv->document_timestamps, 0U);
  EXPECT_FALSE(ltv->document_timestamp_field);
  EXPECT_TRUE(ltv->revoked.empty());
  // Every certificate below the root has revocation data: nothing to note.
  EXPECT_TRUE(ltv->notes.empty()) << ltv->notes.front();

  const Bytes out = concat(bt, ltv->appended);
  auto dss = dss_of(out);
  ASSERT_TRUE(dss);
  // signer, issuing CA, root, TSA; stored once each though two chains share the CA certificates.
  EXPECT_EQ(dss->certs.size(), 4U);
  EXPECT_EQ(dss->ocsps.size(), 2U);  // the signer's and the TSA's
  ASSERT_EQ(dss->crls.size(), 1U);   // the root's, about the issuing CA
  EXPECT_TRUE(
      crypto::check_crl(dss->crls[0], pki_->ca.issuing_certificate(), pki_->ca.root_certificate()));
  const auto sigs = signatures_of(out);
  ASSERT_EQ(sigs.size(), 1U);
  ASSERT_TRUE(dss->vri.contains(pdf::vri_key(sigs[0].contents)));
  const pdf::VriEntry& vri = dss->vri.at(pdf::vri_key(sigs[0].contents));
  EXPECT_EQ(vri.certs.size(), 4U);
  EXPECT_EQ(vri.ocsps, dss->ocsps);
  EXPECT_EQ(vri.crls, dss->crls);
  EXPECT_TRUE(vri.tu.has_value());
  EXPECT_EQ(ocsp_status(dss->ocsps[0], pki_->signer, pki_->ca.issuing_certificate()),
            V_OCSP_CERTSTATUS_GOOD);

  // Again on the B-LT file: nothing new but the VRI entry written again.
  auto again = pdf::add_long_term_validation(out, ltv_request(false));
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->added.certs, 0U);
  auto dss2 = dss_of(concat(out, again->appended));
  ASSERT_TRUE(dss2);
  EXPECT_EQ(dss2->certs.size(), 4U);
}

TEST_F(PadesLtvTest, AnIssuerCacheBuildsTheSameChainsAndAnswersLikeIssuedBy) {
  const crypto::Certificate& root = pki_->ca.root_certificate();
  const crypto::Certificate& issuing = pki_->ca.issuing_certificate();
  const std::vector<crypto::Certificate> pool = {pki_->tsa_certificate, root, issuing,
                                                 pki_->signer};
  crypto::IssuerCache cache;
  for (const crypto::Certificate* leaf : {&pki_->signer, &pki_->tsa_certificate}) {
    auto plain = crypto::build_issuer_chain(*leaf, pool);
    auto cached = crypto::build_issuer_chain(*leaf, pool, &cache);
    ASSERT_TRUE(plain && cached);
    EXPECT_TRUE(plain->complete && cached->complete);
    ASSERT_EQ(cached->certificates.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(cached->certificates[i].der(), plain->certificates[i].der());
    }
  }
  for (int round = 0; round < 2; ++round) {  // asked again: answered from memory, the same
    EXPECT_TRUE(cache.issued_by(pki_->signer, issuing));
    EXPECT_TRUE(cache.issued_by(root, root));
    EXPECT_FALSE(cache.issued_by(pki_->signer, root));
    EXPECT_FALSE(cache.issued_by(issuing, pki_->signer));
  }
}

TEST_F(PadesLtvTest, BltFetchesTheRootWhenNotGivenSoTheIssuingCaIsCoveredToo) {
  const Bytes bt = sign(fixtures::classic_pdf(1));
  pdf::LtvRequest request = ltv_request(false);
  request.extra_certificates.clear();  // the file carries the issuing CA, not the root
  auto without = pdf::add_long_term_validation(bt, request);
  ASSERT_TRUE(without) << without.error().describe();
  EXPECT_FALSE(without->notes.empty()) << "the chain ends at the issuing CA";
  EXPECT_TRUE(dss_of(concat(bt, without->appended))->crls.empty());

  std::vector<std::string> asked;
  request.fetch_issuer = [&](const crypto::Certificate& cert) {
    asked.push_back(cert.subject_common_name());
    return std::vector<crypto::Certificate>{pki_->ca.root_certificate()};
  };
  auto with = pdf::add_long_term_validation(bt, request);
  ASSERT_TRUE(with) << with.error().describe();
  EXPECT_TRUE(with->notes.empty()) << with->notes.front();
  EXPECT_EQ(asked, std::vector<std::string>{"Pactum Issuing CA"}) << "asked once, for both chains";
  auto dss = dss_of(concat(bt, with->appended));
  ASSERT_TRUE(dss);
  ASSERT_EQ(dss->crls.size(), 1U);
  EXPECT_TRUE(
      crypto::check_crl(dss->crls[0], pki_->ca.issuing_certificate(), pki_->ca.root_certificate()));
}

TEST_F(PadesLtvTest, BltaAddsADocumentTimestampAndRenewalCoversThePreviousOne) {
  Bytes file = sign(fixtures::classic_pdf(1));
  const Bytes original = file;
  for (int round = 1; round <= 3; ++round) {
    auto ltv = pdf::add_long_term_validation(file, ltv_request(true));
    ASSERT_TRUE(ltv) << ltv.error().describe();
    EXPECT_EQ(ltv->document_timestamps, static_cast<std::size_t>(round - 1));
    ASSERT_TRUE(ltv->document_timestamp_field);
    const Bytes next = concat(file, ltv->appended);
    ASSERT_TRUE(std::equal(original.begin(), original.end(), next.begin()));
    file = next;
    const auto sigs = signatures_of(file);
    ASSERT_EQ(sigs.size(), static_cast<std::size_t>(1 + round));
    auto dss = dss_of(file);
    ASSERT_TRUE(dss);
    // Every value but the newest time-stamp has its VRI entry; the newest is covered next time.
    EXPECT_EQ(dss->vri.size(), static_cast<std::size_t>(round));
    for (std::size_t i = 0; i + 1 < sigs.size(); ++i) {
      EXPECT_TRUE(dss->vri.contains(pdf::vri_key(sigs[i].contents))) << "round " << round;
    }
    EXPECT_FALSE(dss->vri.contains(pdf::vri_key(sigs.back().contents)));
    EXPECT_EQ(sigs.back().sub_filter, "/ETSI.RFC3161");
    EXPECT_TRUE(verify_timestamp_token(
        der_prefix(sigs.back().contents), crypto::DigestAlgorithm::kSha256,
        crypto::digest_of(crypto::DigestAlgorithm::kSha256, sigs.back().signed_bytes), std::nullopt,
        trust()));
    EXPECT_EQ(dss->certs.size(), 4U);  // the TSA's chain was there already
  }
}

TEST_F(PadesLtvTest, ACertificateWithoutRevocationServiceIsAClearError) {
  const std::string dev = dir_ + "/dev";
  ASSERT_TRUE(crypto::write_dev_ca(dev));
  auto key = crypto::PrivateKey::from_pem(read_file(dev + "/ec.key.pem").value()).value();
  auto cert = crypto::Certificate::from_pem(read_file(dev + "/ec.cert.pem").value()).value();
  auto root = crypto::Certificate::from_pem(read_file(dev + "/root.pem").value()).value();
  pdf::SignatureRequest r;
  r.key = &key;
  r.certificate = &cert;
  r.signing_time = now_;
  auto signed_pdf = pdf::sign_pdf(memory_source(fixtures::classic_pdf(1)), r);
  ASSERT_TRUE(signed_pdf);
  pdf::LtvRequest request = ltv_request(false);
  request.extra_certificates.push_back(root);
  auto ltv = pdf::add_long_term_validation(whole_file(*signed_pdf), request);
  ASSERT_FALSE(ltv);
  EXPECT_EQ(ltv.error().code, ErrorCode::kNotFound);
  EXPECT_NE(ltv.error().message.find("no revocation data for the certificate of"),
            std::string::npos)
      << ltv.error().message;

  request.extra_certificates = {};  // and without its root: the issuer is named
  ltv = pdf::add_long_term_validation(whole_file(*signed_pdf), request);
  ASSERT_FALSE(ltv);
  EXPECT_NE(ltv.error().message.find("cannot find the certificate of"), std::string::npos)
      << ltv.error().message;
}

TEST_F(PadesLtvTest, AnUnsignedDocumentIsRefused) {
  auto ltv = pdf::add_long_term_validation(fixtures::classic_pdf(1), ltv_request(true));
  ASSERT_FALSE(ltv);
  EXPECT_EQ(ltv.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PadesLtvTest, RevokedSignerIsReported) {
  const Bytes bt = sign(fixtures::classic_pdf(1));
  ASSERT_TRUE(pki_->ca.revoke(pki_->signer.serial_hex(), RevocationReason::kKeyCompromise, now_));
  auto ltv = pdf::add_long_term_validation(bt, ltv_request(false));
  ASSERT_TRUE(ltv) << ltv.error().describe();
  ASSERT_EQ(ltv->revoked.size(), 1U);
  EXPECT_TRUE(ltv->revoked[0].signer);
  EXPECT_EQ(ltv->revoked[0].subject, "Test Signer");
}

// OnlineSourceTest runs a CA whose certificates point at a loopback HTTP server that plays its
// OCSP responder and CRL distribution point, answering with the handlers a test sets.
class OnlineSourceTest : public ::testing::Test {
 protected:
  using Server = pactum::testing::LoopbackHttpServer;

  // serve starts a server for `connections` requests: POST bodies go to ocsp, GETs to crl.
  void serve(int connections, std::function<std::string(const std::string&)> ocsp,
             std::function<std::string()> crl) {
    server_ = std::make_unique<Server>(
        [ocsp = std::move(ocsp), crl = std::move(crl)](const std::string& body) {
          return body.empty() ? crl() : ocsp(body);
        },
        connections);
    dir_ = testing::fresh_temp_dir();
    now_ = testing::judge_now();
    const auto fixed = now_;
    pki_.emplace(pactum::testing::make_test_pki(
        dir_ + "/ca", now_, [fixed] { return fixed; }, server_->url("")));
  }

  std::string ocsp_answer(const std::string& request, system_clock::time_point at) {
    auto response = respond_ocsp(as_bytes(request), pki_->ca, at, std::chrono::hours(24));
    return Server::http_response(200, "application/ocsp-response",
                                 std::string(as_chars(response.value_or(Bytes{}))));
  }

  std::string crl_answer(system_clock::time_point at) {
    auto crl = generate_crl(pki_->ca, at, std::chrono::hours(24));
    return Server::http_response(200, "application/pkix-crl",
                                 std::string(as_chars(crl ? crl->der : Bytes{})));
  }

  Result<crypto::RevocationData> fetch(const crypto::Certificate& cert) {
    const auto fixed = now_;
    const OnlineRevocationSource source([fixed] { return fixed; });
    return source.revocation_data(cert, pki_->ca.issuing_certificate());
  }

  std::unique_ptr<Server> server_;
  std::string dir_;
  system_clock::time_point now_;
  std::optional<pactum::testing::TestPki> pki_;
};

TEST_F(OnlineSourceTest, AsksTheOcspResponderTheCertificateNames) {
  serve(
      1, [this](const std::string& body) { return ocsp_answer(body, now_); },
      [] { return std::string(); });
  auto data = fetch(pki_->signer);
  ASSERT_TRUE(data) << data.error().describe();
  ASSERT_EQ(data->ocsp_responses.size(), 1U);
  EXPECT_TRUE(data->crls.empty());
  EXPECT_FALSE(data->revoked_at);
  EXPECT_EQ(ocsp_status(data->ocsp_responses[0], pki_->signer, pki_->ca.issuing_certificate()),
            V_OCSP_CERTSTATUS_GOOD);
  const std::string head = server_->last_request_head();
  EXPECT_NE(head.find("POST /pki/ocsp HTTP/1.1"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Type: application/ocsp-request"), std::string::npos) << head;
}

TEST_F(OnlineSourceTest, FallsBackToTheCrlWhenOcspFails) {
  serve(
      2, [](const std::string&) { return Server::http_response(503, "text/plain", "down"); },
      [this] { return crl_answer(now_); });
  auto data = fetch(pki_->signer);
  ASSERT_TRUE(data) << data.error().describe();
  EXPECT_TRUE(data->ocsp_responses.empty());
  ASSERT_EQ(data->crls.size(), 1U);
  const std::string head = server_->last_request_head();
  EXPECT_NE(head.find("GET /pki/crl HTTP/1.1"), std::string::npos) << head;
}

TEST_F(OnlineSourceTest, ReportsARevokedCertificate) {
  serve(
      1, [this](const std::string& body) { return ocsp_answer(body, now_); },
      [] { return std::string(); });
  ASSERT_TRUE(
      pki_->ca.revoke(pki_->signer.serial_hex(), RevocationReason::kKeyCompromise, now_ - 1h));
  auto data = fetch(pki_->signer);
  ASSERT_TRUE(data) << data.error().describe();
  EXPECT_EQ(data->revoked_at, now_ - 1h);
}

TEST_F(OnlineSourceTest, RefusesStaleAnswers) {
  serve(
      2, [this](const std::string& body) { return ocsp_answer(body, now_ - 48h); },
      [this] { return crl_answer(now_ - 48h); });
  auto data = fetch(pki_->signer);
  ASSERT_FALSE(data);
  EXPECT_EQ(data.error().code, ErrorCode::kRefused);
  EXPECT_NE(data.error().message.find("out of date"), std::string::npos) << data.error().message;
  EXPECT_NE(data.error().message.find("/pki/ocsp"), std::string::npos) << data.error().message;
  EXPECT_NE(data.error().message.find("/pki/crl"), std::string::npos) << data.error().message;
}

TEST_F(OnlineSourceTest, RefusesAnAnswerAboutAnotherCertificate) {
  serve(
      2,
      [this](const std::string&) {
        // A well-signed answer, but about the TSA's certificate.
        const Bytes other =
            make_ocsp_request(pki_->tsa_certificate, pki_->ca.issuing_certificate()).value();
        return ocsp_answer(std::string(as_chars(other)), now_);
      },
      [] { return Server::http_response(404, "text/plain", "none"); });
  auto data = fetch(pki_->signer);
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().code, ErrorCode::kInternal) << data.error().describe();
}

TEST_F(OnlineSourceTest, ACertificateWithoutAddressesIsNotFound) {
  serve(
      0, [](const std::string&) { return std::string(); }, [] { return std::string(); });
  // The root names no OCSP responder or CRL distribution point.
  const auto fixed = now_;
  const OnlineRevocationSource source([fixed] { return fixed; });
  auto data = source.revocation_data(pki_->ca.root_certificate(), pki_->ca.root_certificate());
  ASSERT_FALSE(data);
  EXPECT_EQ(data.error().code, ErrorCode::kNotFound);
}

TEST_F(OnlineSourceTest, TheIssuingCaIsCheckedAgainstTheRootsCrl) {
  serve(
      1, [](const std::string&) { return std::string(); },
      [this] {
        auto root_key = pki_->ca.load_root_key(crypto::plaintext_pem_sealer());
        auto crl = generate_root_crl(pki_->ca, root_key.value(), now_, std::chrono::hours(24));
        return Server::http_response(200, "application/pkix-crl",
                                     std::string(as_chars(crl ? crl->der : Bytes{})));
      });
  const auto fixed = now_;
  const OnlineRevocationSource source([fixed] { return fixed; });
  auto data = source.revocation_data(pki_->ca.issuing_certificate(), pki_->ca.root_certificate());
  ASSERT_TRUE(data) << data.error().describe();
  ASSERT_EQ(data->crls.size(), 1U);
  EXPECT_FALSE(data->revoked_at);
  const std::string head = server_->last_request_head();
  EXPECT_NE(head.find("GET /pki/root-crl HTTP/1.1"), std::string::npos) << head;
}

}  // namespace
}  // namespace pactum::pki
