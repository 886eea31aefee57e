#include "timestamp_options.h"

#include <chrono>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/certificate.h"
#include "pactum/pki/http_timestamper.h"
#include "pactum/pki/in_process_timestamper.h"
#include "pactum/pki/tsa_files.h"

namespace pactum::cli {
namespace {

Result<std::unique_ptr<crypto::SignatureTimestamper>> remote(const TimestampOptions& o) {
  if (o.tsa_trust_paths.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "--tsa needs --tsa-trust ROOT.pem: the root the TSA's certificate chains to, so "
                "that its answer can be checked");
  }
  pki::TimeStampTrust trust;
  for (const std::string& path : o.tsa_trust_paths) {
    auto bytes = read_file(path);
    if (!bytes) {
      return std::unexpected(bytes.error());
    }
    auto certs = crypto::Certificate::all_from_pem(*bytes);
    if (!certs) {
      return fail(ErrorCode::kMalformed,
                  fmt::format("TSA trust anchor {}: {}", path, certs.error().message));
    }
    trust.anchors.insert(trust.anchors.end(), certs->begin(), certs->end());
  }
  return std::make_unique<pki::HttpTimestamper>(*o.tsa_url, std::move(trust));
}

Result<std::unique_ptr<crypto::SignatureTimestamper>> in_process(const TimestampOptions& o) {
  if (!o.tsa_key_path || !o.tsa_cert_path) {
    return fail(ErrorCode::kInvalidArgument,
                "the in-process TSA needs both --tsa-key and --tsa-cert");
  }
  auto tsa = pki::open_tsa_from_files({.key_path = *o.tsa_key_path,
                                       .certificate_path = *o.tsa_cert_path,
                                       .chain_paths = {},
                                       .serial_dir = o.tsa_state_dir,
                                       .policy_oid = std::string(pki::kPactumTestTsaPolicy)},
                                      [] { return std::chrono::system_clock::now(); });
  if (!tsa) {
    return std::unexpected(tsa.error());
  }
  return std::make_unique<pki::InProcessTimestamper>(std::move(*tsa));
}

}  // namespace

void add_timestamp_options(CLI::App& command, TimestampOptions& o,
                           const std::vector<std::string>& levels) {
  o.level = levels.front();
  std::string names;
  for (const std::string& level : levels) {
    names += (names.empty() ? "" : ", ") + level;
  }
  command.add_option("--level", o.level, fmt::format("PAdES baseline level: {} (default {})",
                                                     names, levels.front()))
      ->check(CLI::IsMember(levels));
  command.add_option("--tsa", o.tsa_url, "URL of an RFC 3161 time-stamping authority");
  command.add_option("--tsa-trust", o.tsa_trust_paths,
                     "with --tsa: root certificate(s) the TSA must chain to (PEM)");
  command.add_option("--tsa-key", o.tsa_key_path,
                     "TSA in process: its private key (PEM), e.g. dev-ca's tsa.key.pem");
  command.add_option("--tsa-cert", o.tsa_cert_path,
                     "TSA in process: its certificate (PEM), e.g. dev-ca's tsa.cert.pem");
  command.add_option("--tsa-state", o.tsa_state_dir,
                     "TSA in process: directory of its serial counter (default: random serials)");
}

bool level_needs_tsa(const std::string& level) { return level != "B-B"; }

bool level_is_ltv(const std::string& level) { return level == "B-LT" || level == "B-LTA"; }

Result<std::unique_ptr<crypto::SignatureTimestamper>> make_timestamper_if(
    const TimestampOptions& o, bool needed, const std::string& why_not) {
  const bool any_tsa_option = o.tsa_url || !o.tsa_trust_paths.empty() || o.tsa_key_path ||
                              o.tsa_cert_path || o.tsa_state_dir;
  if (!needed) {
    if (any_tsa_option) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("the --tsa options are not used here: {}", why_not));
    }
    return nullptr;
  }
  if (o.tsa_url) {
    if (o.tsa_key_path || o.tsa_cert_path || o.tsa_state_dir) {
      return fail(ErrorCode::kInvalidArgument,
                  "give either --tsa URL or --tsa-key and --tsa-cert, not both");
    }
    return remote(o);
  }
  if (!o.tsa_key_path && !o.tsa_cert_path) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--level {} needs a time-stamping authority: --tsa URL --tsa-trust "
                            "ROOT.pem, or --tsa-key KEY --tsa-cert CERT for one in process "
                            "(pactum dev-ca writes tsa.key.pem and tsa.cert.pem)",
                            o.level));
  }
  if (!o.tsa_trust_paths.empty()) {
    return fail(ErrorCode::kInvalidArgument, "--tsa-trust is for a remote TSA (--tsa URL)");
  }
  return in_process(o);
}

Result<std::unique_ptr<crypto::SignatureTimestamper>> make_timestamper(const TimestampOptions& o) {
  if (o.level != "B-B" && o.level != "B-T" && !level_is_ltv(o.level)) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--level must be B-B, B-T, B-LT or B-LTA, not \"{}\"", o.level));
  }
  return make_timestamper_if(o, level_needs_tsa(o.level),
                             "a B-B signature has no time-stamp; use --level B-T or higher");
}

}  // namespace pactum::cli
