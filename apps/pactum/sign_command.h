#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pactum/base/error.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pdf/pades_signer.h"
#include "timestamp_options.h"

namespace pactum::cli {

// SignOptions is what `pactum sign` and `pactum bench sign` read from the command line.
struct SignOptions {
  std::string key_path;
  std::string cert_path;
  std::vector<std::string> chain_paths;
  std::optional<std::string> field;
  std::optional<int> page;
  std::optional<std::string> rect;
  std::optional<std::string> image_path;
  std::string reason;
  std::string location;
  std::string name;
  std::string contact;
  std::optional<int> certify;
  std::optional<std::string> digest;
  std::optional<std::string> time;
  TimestampOptions timestamp;
  std::optional<std::string> ca_dir;  // B-LT/B-LTA: in-process revocation data from this CA
};

// add_sign_options declares the signing options on a subcommand.
void add_sign_options(CLI::App& command, SignOptions& options);

// SigningMaterial owns what a SignatureRequest points to.
struct SigningMaterial {
  crypto::PrivateKey key;
  crypto::Certificate certificate;
  std::unique_ptr<crypto::SignatureTimestamper> timestamper;  // null for B-B
  pdf::SignatureRequest request;
};

// load_signing_material reads the key, certificates and image named by options, sets up the
// timestamper for B-T (make_timestamper) and builds the request; fails with the error of the
// first file or option that is wrong.
Result<std::unique_ptr<SigningMaterial>> load_signing_material(const SignOptions& options);

}  // namespace pactum::cli
