#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pactum/base/error.h"
#include "pactum/crypto/timestamper.h"

namespace pactum::cli {

// TimestampOptions is how `pactum sign` and `pactum ltv add` choose the PAdES level and the TSA.
struct TimestampOptions {
  std::string level = "B-B";
  std::optional<std::string> tsa_url;        // remote RFC 3161 TSA
  std::vector<std::string> tsa_trust_paths;  // anchors for the remote TSA's tokens
  std::optional<std::string> tsa_key_path;   // in-process TSA: key ...
  std::optional<std::string> tsa_cert_path;  // ... and certificate
  std::optional<std::string> tsa_state_dir;  // in-process TSA: serial counter directory
};

// add_timestamp_options declares --level (one of levels, the first being the default), --tsa,
// --tsa-trust, --tsa-key, --tsa-cert and --tsa-state on a subcommand.
void add_timestamp_options(CLI::App& command, TimestampOptions& options,
                           const std::vector<std::string>& levels);

// level_needs_tsa reports whether signing at level makes a time-stamp: B-T, B-LT and B-LTA do.
bool level_needs_tsa(const std::string& level);

// level_is_ltv reports whether level adds validation data: B-LT and B-LTA.
bool level_is_ltv(const std::string& level);

// make_timestamper returns the timestamper `pactum sign` needs: none (nullptr) for --level B-B,
// else an HTTP client of --tsa checked against --tsa-trust, or an in-process TSA made of
// --tsa-key and --tsa-cert (serials in --tsa-state, else random). Fails with kInvalidArgument
// for an unknown level, a time-stamped level without a TSA or with both kinds, TSA options with
// B-B, --tsa without --tsa-trust; with the error of a file that cannot be read or used otherwise.
Result<std::unique_ptr<crypto::SignatureTimestamper>> make_timestamper(
    const TimestampOptions& options);

// make_timestamper_if returns the TSA of the options when `needed` (failing like
// make_timestamper when none is named), and nullptr when not (failing with kInvalidArgument if
// TSA options were given anyway, naming `why_not`).
Result<std::unique_ptr<crypto::SignatureTimestamper>> make_timestamper_if(
    const TimestampOptions& options, bool needed, const std::string& why_not);

}  // namespace pactum::cli
