#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pactum/base/byte_source.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/revocation_source.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pdf/long_term_validation.h"
#include "pactum/pki/ca.h"
#include "timestamp_options.h"

namespace pactum::cli {

// RevocationMaterial owns a revocation source, the CA it may read, and the certificates that
// help build chains (the CA's root and issuing certificates, --chain files).
struct RevocationMaterial {
  std::unique_ptr<pki::CertificateAuthority> ca;
  std::unique_ptr<crypto::RevocationSource> source;
  std::vector<crypto::Certificate> extra_certificates;
  // fetch_issuer (online only) fetches a missing issuer from its CA issuers address.
  std::function<std::vector<crypto::Certificate>(const crypto::Certificate&)> fetch_issuer{};
};

// load_revocation_material opens the platform CA in ca_dir (a CA directory, or a platform PKI
// directory holding one in ca/) as an in-process source, or, without ca_dir, the online source
// that asks the OCSP responders and CRL distribution points named in the certificates (and
// fetches missing issuers from their CA issuers addresses). Adds the certificates of
// chain_paths. Fails like CertificateAuthority::open or the PEM files.
Result<std::unique_ptr<RevocationMaterial>> load_revocation_material(
    const std::optional<std::string>& ca_dir, const std::vector<std::string>& chain_paths);

// add_validation_data runs pdf::add_long_term_validation on pdf with the material and, for
// B-LTA, timestamper; refuses (kRefused) when refuse_revoked_signer is set and a signer's
// certificate is revoked.
Result<pdf::LtvResult> add_validation_data(ByteView pdf, const RevocationMaterial& material,
                                           const crypto::SignatureTimestamper* timestamper,
                                           bool refuse_revoked_signer);

// describe_ltv returns one line saying what was added, and the notes on further lines.
std::string describe_ltv(const pdf::LtvResult& result);

// LtvAddOptions is what `pactum ltv add` reads.
struct LtvAddOptions {
  std::string file;
  std::optional<std::string> out;
  std::optional<std::string> ca_dir;
  std::vector<std::string> chain_paths;
  TimestampOptions timestamp;
};

// add_ltv_command declares `pactum ltv add FILE [-o OUT] [--level B-LT|B-LTA] [--ca-dir DIR]
// [--chain PEM...] [TSA options]` and returns the `ltv add` subcommand.
CLI::App* add_ltv_command(CLI::App& app, LtvAddOptions& options);

// run_ltv_add raises FILE to the level: the DSS for every signature and time-stamp in it, and
// for B-LTA a new document time-stamp, written to OUT (default: FILE itself, replaced
// atomically; the original bytes stay a prefix). Returns the exit status; on any error nothing
// is written.
int run_ltv_add(const LtvAddOptions& options);

}  // namespace pactum::cli
