#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pactum/base/error.h"
#include "pactum/crypto/timestamper.h"

namespace pactum::cli {

// TimestampOptions is how `pactum sign` chooses the PAdES level and, for B-T, the TSA.
struct TimestampOptions {
  std::string level = "B-B";
  std::optional<std::string> tsa_url;        // remote RFC 3161 TSA
  std::vector<std::string> tsa_trust_paths;  // anchors for the remote TSA's tokens
  std::optional<std::string> tsa_key_path;   // in-process TSA: key ...
  std::optional<std::string> tsa_cert_path;  // ... and certificate
  std::optional<std::string> tsa_state_dir;  // in-process TSA: serial counter directory
};

// add_timestamp_options declares --level, --tsa, --tsa-trust, --tsa-key, --tsa-cert and
// --tsa-state on a subcommand.
void add_timestamp_options(CLI::App& command, TimestampOptions& options);

// make_timestamper returns the timestamper the options ask for: none (nullptr) for --level B-B,
// an HTTP client of --tsa checked against --tsa-trust, or an in-process TSA made of --tsa-key and
// --tsa-cert (serials in --tsa-state, else random) for --level B-T. Fails with kInvalidArgument
// for a level other than B-B or B-T, B-T without a TSA or with both kinds, TSA options with B-B,
// --tsa without --tsa-trust; with the error of a file that cannot be read or used otherwise.
Result<std::unique_ptr<crypto::SignatureTimestamper>> make_timestamper(
    const TimestampOptions& options);

}  // namespace pactum::cli
