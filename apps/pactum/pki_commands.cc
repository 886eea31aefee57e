#include "pki_commands.h"

#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/keyring.h"
#include "pactum/crypto/master_key_sealer.h"
#include "pactum/node/data_dir.h"
#include "pactum/pki/csr.h"
#include "pactum/pki/file_timestamp.h"
#include "pactum/pki/platform_pki.h"
#include "pactum/pki/revocation.h"

namespace pactum::cli {

struct PkiCommands::Options {
  CLI::App* ca_init = nullptr;
  CLI::App* ca_issue = nullptr;
  CLI::App* ca_revoke = nullptr;
  CLI::App* ca_crl = nullptr;
  CLI::App* tsa_stamp = nullptr;
  CLI::App* tsa_verify = nullptr;

  std::string dir;
  std::optional<std::string> data_dir;  // --data: the sealed DATA_DIR/pki of `pactum init`
  std::string base_url;
  std::string organization = "Pactum";
  crypto::KeyType key_type = crypto::KeyType::kEcP256;

  bool person = false;
  bool enterprise = false;
  std::string name;
  std::string id;
  std::string country = "CN";
  int days = 365;
  std::optional<std::string> csr_path;
  std::optional<std::string> key_out;
  std::string out;

  std::string serial;
  std::string reason = "unspecified";
  bool pem = false;
  bool root = false;  // ca crl --root: the root's CRL instead of the issuing CA's

  std::string file;
  std::string token;
  std::optional<std::string> tsa_url;
  std::optional<std::string> pki_dir;
  std::vector<std::string> trust_paths;
};

namespace {

constexpr int kFailure = 1;
constexpr int kToolFailure = 3;

int report(const Error& error, int status = kFailure) {
  fmt::print(stderr, "pactum: error: {}\n", error.describe());
  return status;
}

const std::map<std::string, crypto::KeyType>& key_types() {
  static const std::map<std::string, crypto::KeyType> types = {
      {"ec-p256", crypto::KeyType::kEcP256},
      {"ec-p384", crypto::KeyType::kEcP384},
      {"rsa-2048", crypto::KeyType::kRsa}};
  return types;
}

Clock system_clock() {
  return [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

Result<std::vector<crypto::Certificate>> read_anchors(const std::vector<std::string>& paths) {
  std::vector<crypto::Certificate> anchors;
  for (const std::string& path : paths) {
    auto pem = read_file(path);
    if (!pem) {
      return std::unexpected(pem.error());
    }
    auto certs = crypto::Certificate::all_from_pem(*pem);
    if (!certs) {
      return fail(certs.error().code, fmt::format("{}: {}", path, certs.error().message));
    }
    anchors.insert(anchors.end(), certs->begin(), certs->end());
  }
  return anchors;
}

// OpenedPki is a platform PKI and, for --data, the data directory that holds it and the
// master keyring that unseals its keys.
struct OpenedPki {
  std::unique_ptr<node::DataDir> data;
  std::unique_ptr<pki::PlatformPki> own;  // a plaintext PKI directory's
  pki::PlatformPki* pki = nullptr;
  const crypto::KeySealer* sealer = nullptr;  // --data only
};

// open_pki opens the PKI the command names: DIR (keys in plaintext PEM, as `pactum ca init`
// writes them) or --data DATA_DIR (the data directory's PKI, keys sealed under its master key,
// as `pactum init` writes them). Fails with kInvalidArgument unless exactly one is given, and
// like node::DataDir::open and open_platform_pki; a sealed PKI given as DIR is refused with a
// hint.
Result<OpenedPki> open_pki(const PkiCommands::Options& o) {
  if (o.dir.empty() == !o.data_dir.has_value()) {
    return fail(ErrorCode::kInvalidArgument,
                "give either the PKI directory DIR or --data DATA_DIR (a `pactum init` data "
                "directory), not both");
  }
  OpenedPki opened;
  if (!o.data_dir) {
    auto pki = pki::open_platform_pki(o.dir, system_clock());
    if (!pki) {
      if (pki.error().code == ErrorCode::kInvalidArgument) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} (if it is the pki/ of a `pactum init` data directory, give "
                                "--data DATA_DIR instead)",
                                pki.error().message));
      }
      return std::unexpected(pki.error());
    }
    opened.own = std::move(*pki);
    opened.pki = opened.own.get();
    return opened;
  }
  auto data = node::DataDir::open(
      *o.data_dir, {.database = false, .pki = true, .services = false, .clock = system_clock()});
  if (!data) {
    return fail(data.error().code, fmt::format("--data {}: {}", *o.data_dir, data.error().message));
  }
  opened.data = std::move(*data);
  opened.pki = &opened.data->pki();
  opened.sealer = &opened.data->key_sealer();
  return opened;
}

int run_ca_init(const PkiCommands::Options& o) {
  pki::PlatformPkiSettings settings;
  settings.base_url = o.base_url;
  settings.ca.organization = o.organization;
  settings.ca.key_type = o.key_type;
  auto pki = pki::create_platform_pki(o.dir, settings, system_clock());
  if (!pki) {
    return report(pki.error());
  }
  fmt::print(
      "created a platform PKI in {}\n  root CA     {} (ca/root.cert.pem: the trust anchor)\n"
      "  issuing CA  {}\n  TSA         {} (policy {})\n  base URL    {} (CRL {}, OCSP {})\n",
      o.dir, (*pki)->root_certificate().subject(), (*pki)->issuing_certificate().subject(),
      (*pki)->tsa_certificate().subject(), (*pki)->settings().tsa_policy_oid,
      (*pki)->urls().base_url, (*pki)->urls().crl_url, (*pki)->urls().ocsp_url);
  return 0;
}

int run_ca_issue(const PkiCommands::Options& o) {
  if (o.person == o.enterprise) {
    return report(Error{ErrorCode::kInvalidArgument,
                        "give exactly one of --person and --enterprise", std::nullopt});
  }
  if (o.csr_path.has_value() == o.key_out.has_value()) {
    return report(Error{ErrorCode::kInvalidArgument,
                        "give either --csr FILE (the requester's key) or --key-out FILE (a new "
                        "key generated here)",
                        std::nullopt});
  }
  auto opened = open_pki(o);
  if (!opened) {
    return report(opened.error());
  }
  pki::PlatformPki* const pki = opened->pki;
  std::optional<crypto::PrivateKey> key;
  Bytes public_key;
  if (o.csr_path) {
    auto csr = read_file(*o.csr_path);
    if (!csr) {
      return report(csr.error());
    }
    auto spki = pki::csr_public_key(*csr);
    if (!spki) {
      return report(Error{spki.error().code,
                          fmt::format("{}: {}", *o.csr_path, spki.error().message), std::nullopt});
    }
    public_key = std::move(*spki);
  } else {
    auto generated = crypto::PrivateKey::generate(o.key_type);
    if (!generated) {
      return report(generated.error());
    }
    auto spki = pki::subject_public_key_info(*generated);
    if (!spki) {
      return report(spki.error());
    }
    key = std::move(*generated);
    public_key = std::move(*spki);
  }
  const auto now = pki->now();
  const pki::IssueRequest request{std::move(public_key),
                                  o.person ? pki::person_subject(o.name, o.id, o.country)
                                           : pki::enterprise_subject(o.name, o.id, o.country),
                                  now, now + std::chrono::days(o.days)};
  auto cert = pki->issue(request);
  if (!cert) {
    return report(cert.error());
  }
  auto cert_pem = cert->to_pem();
  if (!cert_pem) {
    return report(cert_pem.error());
  }
  // The key first: a certificate on disk whose key was lost would be useless.
  if (key) {
    auto key_pem = key->to_pem();
    if (!key_pem) {
      return report(key_pem.error());
    }
    if (auto st = write_file_atomically(*o.key_out, as_bytes(*key_pem), 0600); !st) {
      return report(st.error());
    }
  }
  if (auto st = write_file_atomically(o.out, as_bytes(*cert_pem), 0644); !st) {
    return report(st.error());
  }
  fmt::print("issued serial {} to {} -> {}{}\n", cert->serial_hex(), cert->subject(), o.out,
             key ? fmt::format(" (key {})", *o.key_out) : std::string());
  return 0;
}

int run_ca_revoke(const PkiCommands::Options& given) {
  PkiCommands::Options o = given;
  if (o.data_dir && o.serial.empty()) {
    o.serial = std::exchange(o.dir, std::string());  // `ca revoke --data DATA_DIR SERIAL`
  }
  if (o.serial.empty()) {
    return report(Error{ErrorCode::kInvalidArgument, "SERIAL is required", std::nullopt});
  }
  auto reason = pki::parse_revocation_reason(o.reason);
  if (!reason) {
    return report(reason.error());
  }
  auto opened = open_pki(o);
  if (!opened) {
    return report(opened.error());
  }
  std::string serial = o.serial;
  for (char& c : serial) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (serial.starts_with("0x")) {
    serial.erase(0, 2);
  }
  if (auto st = opened->pki->revoke(serial, *reason); !st) {
    return report(st.error());
  }
  fmt::print("revoked serial {} ({})\n", serial, pki::revocation_reason_name(*reason));
  return 0;
}

int run_ca_crl(const PkiCommands::Options& o) {
  auto opened = open_pki(o);
  if (!opened) {
    return report(opened.error());
  }
  // The root key is loaded only here: a root CRL is an operator's act, as for an offline root.
  auto crl = o.root ? opened->pki->issue_root_crl(opened->sealer ? *opened->sealer
                                                                 : crypto::plaintext_pem_sealer())
                    : opened->pki->current_crl();
  if (!crl) {
    return report(crl.error());
  }
  Bytes bytes = (*crl)->der;
  if (o.pem) {
    auto pem = (*crl)->to_pem();
    if (!pem) {
      return report(pem.error());
    }
    bytes.assign(pem->begin(), pem->end());
  }
  if (auto st = write_file_atomically(o.out, bytes, 0644); !st) {
    return report(st.error());
  }
  fmt::print("wrote {}CRL number {} -> {}\n", o.root ? "root " : "", (*crl)->number, o.out);
  return 0;
}

int run_tsa_stamp(const PkiCommands::Options& o) {
  if (int{o.tsa_url.has_value()} + int{o.pki_dir.has_value()} + int{o.data_dir.has_value()} != 1) {
    return report(Error{ErrorCode::kInvalidArgument,
                        "give one of --url URL with --trust ROOT, --dir PKI_DIR or --data DATA_DIR",
                        std::nullopt});
  }
  Result<pki::FileTimestamp> stamped = fail(ErrorCode::kInternal, "no TSA");
  if (o.tsa_url) {
    if (o.trust_paths.empty()) {
      return report(Error{ErrorCode::kInvalidArgument,
                          "--url needs --trust ROOT.pem to check the reply", std::nullopt});
    }
    auto anchors = read_anchors(o.trust_paths);
    if (!anchors) {
      return report(anchors.error());
    }
    stamped = pki::stamp_file_over_http(o.file, *o.tsa_url,
                                        pki::TimeStampTrust{*anchors, {}, std::nullopt});
  } else {
    // The same opening as `pactum ca`: a plaintext PKI directory, or the sealed pki/ of a data
    // directory (its TSA key unsealed with the master key).
    PkiCommands::Options which = o;
    which.dir = o.pki_dir.value_or("");
    auto opened = open_pki(which);
    if (!opened) {
      return report(opened.error());
    }
    stamped = pki::stamp_file_in_process(o.file, *opened->pki);
  }
  if (!stamped) {
    return report(stamped.error());
  }
  if (auto st = write_file_atomically(o.out, stamped->reply, 0644); !st) {
    return report(st.error());
  }
  fmt::print("time-stamped {} at {} (serial {}, policy {}) -> {}\n", o.file,
             stamped->info.gen_time_text, to_hex(stamped->info.serial), stamped->info.policy_oid,
             o.out);
  return 0;
}

int run_tsa_verify(const PkiCommands::Options& o) {
  auto anchors = read_anchors(o.trust_paths);
  if (!anchors) {
    return report(anchors.error(), kToolFailure);
  }
  auto token = read_file(o.token);
  if (!token) {
    return report(token.error(), kToolFailure);
  }
  auto info =
      pki::verify_file_timestamp(*token, o.file, pki::TimeStampTrust{*anchors, {}, std::nullopt});
  if (!info) {
    const bool tool =
        info.error().code == ErrorCode::kIo || info.error().code == ErrorCode::kNotFound;
    if (!tool) {
      fmt::print("time-stamp NOT valid for {}: {}\n", o.file, info.error().describe());
      return kFailure;
    }
    return report(info.error(), kToolFailure);
  }
  fmt::print("time-stamp valid: {} existed at {} (TSA {}, serial {}, policy {})\n", o.file,
             info->gen_time_text, info->signer.subject(), to_hex(info->serial), info->policy_oid);
  return 0;
}

}  // namespace

PkiCommands::PkiCommands(CLI::App& app) : options_(std::make_shared<Options>()) {
  Options& o = *options_;
  auto* ca = app.add_subcommand("ca", "run the platform CA (certificates, revocation, CRLs)");
  ca->require_subcommand(1);

  o.ca_init = ca->add_subcommand("init", "create a platform PKI (root + issuing CA + TSA) in DIR");
  o.ca_init->add_option("DIR", o.dir, "directory of the new PKI (e.g. DATA_DIR/pki)")->required();
  o.ca_init
      ->add_option("--base-url", o.base_url,
                   "URL where pactumd serves /pki (written into every certificate)")
      ->required();
  o.ca_init->add_option("--name", o.organization, "organization named in the CA certificates")
      ->capture_default_str();
  o.ca_init->add_option("--key-type", o.key_type, "CA key: ec-p256 or ec-p384")
      ->transform(CLI::CheckedTransformer(key_types(), CLI::ignore_case));

  o.ca_issue = ca->add_subcommand("issue", "issue a person or enterprise certificate");
  o.ca_issue->add_option("DIR", o.dir, "the PKI directory (or --data)");
  o.ca_issue->add_option("--data", o.data_dir,
                         "the data directory of `pactum init` (its pki/, sealed under its master "
                         "key) instead of DIR");
  o.ca_issue->add_flag("--person", o.person, "for a person: --name NAME --id ID_NUMBER");
  o.ca_issue->add_flag("--enterprise", o.enterprise,
                       "for an enterprise: --name REGISTERED_NAME --id CREDIT_CODE");
  o.ca_issue->add_option("--name", o.name, "common name")->required();
  o.ca_issue->add_option("--id", o.id, "identity number or unified social credit code")->required();
  o.ca_issue->add_option("--country", o.country, "two-letter country")->capture_default_str();
  o.ca_issue->add_option("--days", o.days, "validity in days")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  o.ca_issue->add_option("--csr", o.csr_path, "PKCS#10 request (PEM or DER) holding the key");
  o.ca_issue->add_option("--key-out", o.key_out, "generate the key here and write it (0600)");
  o.ca_issue->add_option("--key-type", o.key_type, "generated key: ec-p256, ec-p384, rsa-2048")
      ->transform(CLI::CheckedTransformer(key_types(), CLI::ignore_case));
  o.ca_issue->add_option("-o,--out", o.out, "where to write the certificate (PEM)")->required();

  o.ca_revoke = ca->add_subcommand("revoke", "revoke a certificate by serial");
  o.ca_revoke->add_option("DIR", o.dir, "the PKI directory (or --data)");
  o.ca_revoke->add_option("--data", o.data_dir,
                          "the data directory of `pactum init` instead of DIR");
  // Not required() here: with --data, SERIAL is the only positional and CLI11 hands it to DIR.
  o.ca_revoke->add_option("SERIAL", o.serial, "serial number in hex (required)");
  o.ca_revoke
      ->add_option("--reason", o.reason,
                   "RFC 5280 reason: unspecified, keyCompromise, cACompromise, "
                   "affiliationChanged, superseded, cessationOfOperation, "
                   "privilegeWithdrawn, aACompromise")
      ->capture_default_str();

  o.ca_crl = ca->add_subcommand("crl", "write a fresh CRL of the issuing CA");
  o.ca_crl->add_option("DIR", o.dir, "the PKI directory (or --data)");
  o.ca_crl->add_option("--data", o.data_dir, "the data directory of `pactum init` instead of DIR");
  o.ca_crl->add_flag("--root", o.root,
                     "sign the root's next CRL with the root key (about the issuing CA; pactumd "
                     "serves the latest at /pki/root-crl)");
  o.ca_crl->add_option("-o,--out", o.out, "where to write the CRL (DER)")->required();
  o.ca_crl->add_flag("--pem", o.pem, "write PEM instead of DER");

  auto* tsa = app.add_subcommand("tsa", "RFC 3161 time-stamps of files");
  tsa->require_subcommand(1);
  o.tsa_stamp = tsa->add_subcommand("stamp", "time-stamp FILE (SHA-256) and write the reply");
  o.tsa_stamp->add_option("FILE", o.file, "file to time-stamp")->required();
  o.tsa_stamp->add_option("--url", o.tsa_url, "RFC 3161 TSA URL (ours: BASE/tsa)");
  o.tsa_stamp->add_option("--trust", o.trust_paths, "PEM roots the TSA must chain to")->take_all();
  o.tsa_stamp->add_option("--dir", o.pki_dir, "use the TSA of this PKI directory in process");
  o.tsa_stamp->add_option("--data", o.data_dir,
                          "use the TSA of this `pactum init` data directory in process");
  o.tsa_stamp->add_option("-o,--out", o.out, "where to write the reply (.tsr, DER)")->required();

  o.tsa_verify = tsa->add_subcommand(
      "verify", "check that TOKEN time-stamps FILE (exit 0 valid, 1 not valid, 3 tool failure)");
  o.tsa_verify->add_option("TOKEN", o.token, "reply (.tsr) or bare token (DER)")->required();
  o.tsa_verify->add_option("FILE", o.file, "the time-stamped file")->required();
  o.tsa_verify->add_option("--trust", o.trust_paths, "PEM roots the TSA must chain to")
      ->required()
      ->take_all();
}

bool PkiCommands::parsed() const {
  const Options& o = *options_;
  for (const CLI::App* command :
       {o.ca_init, o.ca_issue, o.ca_revoke, o.ca_crl, o.tsa_stamp, o.tsa_verify}) {
    if (command->parsed()) {
      return true;
    }
  }
  return false;
}

int PkiCommands::run() const {
  const Options& o = *options_;
  if (o.ca_init->parsed()) {
    return run_ca_init(o);
  }
  if (o.ca_issue->parsed()) {
    return run_ca_issue(o);
  }
  if (o.ca_revoke->parsed()) {
    return run_ca_revoke(o);
  }
  if (o.ca_crl->parsed()) {
    return run_ca_crl(o);
  }
  if (o.tsa_stamp->parsed()) {
    return run_tsa_stamp(o);
  }
  return run_tsa_verify(o);
}

}  // namespace pactum::cli
