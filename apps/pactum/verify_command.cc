#include "verify_command.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/base/byte_source.h"
#include "pactum/crypto/certificate.h"
#include "pactum/pdf/validator.h"
#include "pactum/pki/issuer_fetch.h"
#include "pactum/pki/online_revocation_source.h"

namespace pactum::cli {
namespace {

constexpr int kToolFailure = 3;

int tool_failure(const Error& error) {
  fmt::print(stderr, "pactum: error: {}\n", error.describe());
  return kToolFailure;
}

// parse_at reads "YYYY-MM-DDTHH:MM:SSZ".
Result<std::chrono::system_clock::time_point> parse_at(const std::string& text) {
  std::tm tm{};
  char zone = 0;
  if (text.size() != 20 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,  // NOLINT
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &zone) != 7 ||
      zone != 'Z' || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--at must look like 2026-01-02T03:04:05Z, not \"{}\"", text));
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

CLI::App* add_verify_command(CLI::App& app, VerifyOptions& options) {
  auto* verify = app.add_subcommand(
      "verify", "validate every signature (exit 0 valid, 1 invalid or altered, 2 indeterminate)");
  verify->add_option("IN", options.in, "PDF to validate")->required();
  verify->add_option("--trust", options.trust_paths, "PEM file of trusted root certificates")
      ->take_all();
  verify->add_option("--at", options.at,
                     "validate certificates at this time, e.g. 2026-01-02T03:04:05Z "
                     "(default: each signature's claimed time)");
  verify->add_flag("--json", options.json, "print JSON");
  verify->add_flag("--online", options.online,
                   "fetch revocation data the file lacks from the OCSP responders and CRL "
                   "distribution points the certificates name, and missing issuer "
                   "certificates from their CA issuers addresses");
  return verify;
}

int run_verify(const VerifyOptions& options) {
  pdf::ValidationOptions validation;
  validation.now = std::chrono::system_clock::now();
  if (options.at) {
    auto at = parse_at(*options.at);
    if (!at) {
      return tool_failure(at.error());
    }
    validation.at = *at;
  }
  for (const std::string& path : options.trust_paths) {
    auto pem = read_file(path);
    if (!pem) {
      return tool_failure(pem.error());
    }
    auto certs = crypto::Certificate::all_from_pem(*pem);
    if (!certs) {
      return tool_failure(Error{certs.error().code,
                                fmt::format("{}: {}", path, certs.error().message), std::nullopt});
    }
    validation.trust_anchors.insert(validation.trust_anchors.end(), certs->begin(), certs->end());
  }
  // Only when asked: validation is offline by default, so a verdict never depends on the network.
  std::shared_ptr<const pki::OnlineRevocationSource> online;
  if (options.online) {
    online = std::make_shared<const pki::OnlineRevocationSource>(
        [] { return std::chrono::system_clock::now(); });
    validation.fetch_revocation = [online](const crypto::Certificate& cert,
                                           const crypto::Certificate& issuer) {
      std::vector<Bytes> found;
      if (auto data = online->revocation_data(cert, issuer)) {
        found = std::move(data->ocsp_responses);
        found.insert(found.end(), data->crls.begin(), data->crls.end());
      }
      return found;
    };
    validation.fetch_issuer = [](const crypto::Certificate& cert) {
      return pki::fetch_issuer_certificates(cert).value_or(std::vector<crypto::Certificate>{});
    };
  }
  auto source = open_file_source(options.in);
  if (!source) {
    return tool_failure(source.error());
  }
  auto report = pdf::validate_pdf(**source, validation);
  if (!report) {
    return tool_failure(report.error());
  }
  fmt::print("{}\n", options.json ? pdf::render_validation_json(*report)
                                  : pdf::render_validation_text(*report));
  switch (report->verdict) {
    case pdf::Verdict::kValid:
      return 0;
    case pdf::Verdict::kInvalid:
      return 1;
    case pdf::Verdict::kIndeterminate:
      return 2;
  }
  return 1;
}

}  // namespace pactum::cli
