#include "ltv_command.h"

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/pem_files.h"
#include "pactum/pki/ca_revocation_source.h"
#include "pactum/pki/issuer_fetch.h"
#include "pactum/pki/online_revocation_source.h"

namespace pactum::cli {
namespace {

std::chrono::system_clock::time_point wall_clock() { return std::chrono::system_clock::now(); }

// ca_directory returns where the CA of dir lives: dir itself, or dir/ca for a platform PKI.
std::string ca_directory(const std::string& dir) {
  const std::filesystem::path nested = std::filesystem::path(dir) / "ca" / "index.txt";
  std::error_code ignored;
  return std::filesystem::exists(nested, ignored) ? (std::filesystem::path(dir) / "ca").string()
                                                  : dir;
}

int report(const Error& error) {
  fmt::print(stderr, "pactum: error: {}\n", error.describe());
  return 1;
}

}  // namespace

Result<std::unique_ptr<RevocationMaterial>> load_revocation_material(
    const std::optional<std::string>& ca_dir, const std::vector<std::string>& chain_paths) {
  auto material = std::make_unique<RevocationMaterial>();
  for (const auto& path : chain_paths) {
    auto chain = crypto::read_pem_file<std::vector<crypto::Certificate>>(
        path, "certificate chain", &crypto::Certificate::all_from_pem);
    if (!chain) {
      return std::unexpected(chain.error());
    }
    material->extra_certificates.insert(material->extra_certificates.end(), chain->begin(),
                                        chain->end());
  }
  if (!ca_dir) {
    material->source = std::make_unique<pki::OnlineRevocationSource>(wall_clock);
    material->fetch_issuer = [](const crypto::Certificate& cert) {
      return pki::fetch_issuer_certificates(cert).value_or(std::vector<crypto::Certificate>{});
    };
    return material;
  }
  // The URLs only go into certificates the CA issues; a revocation source issues none.
  auto urls = pki::PkiUrls::from_base_url("http://localhost");
  if (!urls) {
    return std::unexpected(urls.error());
  }
  auto ca = pki::CertificateAuthority::open(ca_directory(*ca_dir), *urls);
  if (!ca) {
    return fail(ca.error().code,
                fmt::format("--ca-dir {}: {}", *ca_dir, ca.error().message));
  }
  material->ca = std::make_unique<pki::CertificateAuthority>(std::move(*ca));
  material->extra_certificates.push_back(material->ca->issuing_certificate());
  material->extra_certificates.push_back(material->ca->root_certificate());
  material->source = std::make_unique<pki::CaRevocationSource>(*material->ca, wall_clock);
  return material;
}

Result<pdf::LtvResult> add_validation_data(ByteView pdf, const RevocationMaterial& material,
                                           const crypto::SignatureTimestamper* timestamper,
                                           bool refuse_revoked_signer) {
  auto result = pdf::add_long_term_validation(
      pdf, {.revocation = material.source.get(),
            .extra_certificates = material.extra_certificates,
            .fetch_issuer = material.fetch_issuer,
            .now = wall_clock(),
            .document_timestamper = timestamper});
  if (!result) {
    return std::unexpected(result.error());
  }
  for (const auto& revoked : result->revoked) {
    if (refuse_revoked_signer && revoked.signer) {
      return fail(ErrorCode::kRefused,
                  fmt::format("the certificate of {} is revoked: it cannot make a B-LT signature",
                              revoked.subject));
    }
  }
  return result;
}

std::string describe_ltv(const pdf::LtvResult& r) {
  std::string text = fmt::format(
      "validation data for {} signature(s) and {} document time-stamp(s): {} certificate(s), {} "
      "OCSP response(s), {} CRL(s) added",
      r.signatures, r.document_timestamps, r.added.certs, r.added.ocsps, r.added.crls);
  if (r.document_timestamp_field) {
    text += fmt::format("; document time-stamp in field {}", *r.document_timestamp_field);
  }
  for (const auto& revoked : r.revoked) {
    text += fmt::format("\nnote: the certificate of {} is revoked", revoked.subject);
  }
  for (const auto& note : r.notes) {
    text += "\nnote: " + note;
  }
  return text;
}

CLI::App* add_ltv_command(CLI::App& app, LtvAddOptions& o) {
  auto* ltv = app.add_subcommand("ltv", "long-term validation of signed PDFs");
  ltv->require_subcommand(1);
  auto* add = ltv->add_subcommand(
      "add", "raise a signed PDF to B-LT (DSS) or B-LTA (DSS and a new document time-stamp)");
  add->add_option("FILE", o.file, "signed PDF")->required();
  add->add_option("-o,--out", o.out, "where to write the result (default: FILE, atomically)");
  add->add_option("--ca-dir", o.ca_dir,
                  "revocation data from the platform CA in DIR, in process (default: online, "
                  "from the URLs in the certificates)");
  add->add_option("--chain", o.chain_paths,
                  "certificates (PEM) that issued certificates the document does not carry");
  add_timestamp_options(*add, o.timestamp, {"B-LTA", "B-LT"});
  return add;
}

int run_ltv_add(const LtvAddOptions& o) {
  auto timestamper = make_timestamper_if(o.timestamp, o.timestamp.level == "B-LTA",
                                         "--level B-LT adds no document time-stamp");
  if (!timestamper) {
    return report(timestamper.error());
  }
  auto material = load_revocation_material(o.ca_dir, o.chain_paths);
  if (!material) {
    return report(material.error());
  }
  auto bytes = read_file(o.file);
  if (!bytes) {
    return report(bytes.error());
  }
  auto result = add_validation_data(*bytes, **material, timestamper->get(), false);
  if (!result) {
    return report(Error{result.error().code,
                        fmt::format("{}: {}", o.file, result.error().message),
                        result.error().offset});
  }
  const std::string out = o.out.value_or(o.file);
  auto file = AtomicFile::create(out);
  if (!file) {
    return report(file.error());
  }
  if (auto st = file->write(*bytes); !st) {
    return report(st.error());
  }
  if (auto st = file->write(result->appended); !st) {
    return report(st.error());
  }
  if (auto st = file->commit(); !st) {
    return report(st.error());
  }
  fmt::print("{} -> {} ({}): {}\n", o.file, out, o.timestamp.level, describe_ltv(*result));
  return 0;
}

}  // namespace pactum::cli
