#include "sign_command.h"

#include "pactum/crypto/pem_files.h"

#include <ctime>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"

namespace pactum::cli {
namespace {

Result<pdf::Rect> parse_rect(const std::string& text) {
  pdf::Rect r;
  char tail = 0;
  // NOLINTNEXTLINE(cert-err34-c): the count and the trailing character are checked.
  if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf%c", &r.x, &r.y, &r.width, &r.height, &tail) != 4) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--rect must be x,y,width,height in points, not \"{}\"", text));
  }
  return r;
}

Result<std::chrono::system_clock::time_point> parse_time(const std::string& text) {
  std::tm tm{};
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tail) != 6) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--time must look like 2026-01-02T03:04:05Z, not \"{}\"", text));
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

void add_sign_options(CLI::App& command, SignOptions& o) {
  command.add_option("--key", o.key_path, "signer's private key (PEM)")->required();
  command.add_option("--cert", o.cert_path, "signer's certificate (PEM)")->required();
  command.add_option("--chain", o.chain_paths, "intermediate certificates to embed (PEM)");
  auto* field =
      command.add_option("--field", o.field, "sign the existing empty signature field NAME");
  auto* page = command.add_option("--page", o.page, "page (1-based) of a new visible signature");
  auto* rect =
      command.add_option("--rect", o.rect, "x,y,w,h of a new visible signature, in points");
  page->needs(rect);
  rect->needs(page);
  field->excludes(page);
  command.add_option("--image", o.image_path, "seal or handwriting PNG for the appearance");
  command.add_option("--reason", o.reason, "reason for signing");
  command.add_option("--location", o.location, "where it was signed");
  command.add_option("--name", o.name, "signer's name (default: the certificate's CN)");
  command.add_option("--contact", o.contact, "signer's contact information");
  command.add_option("--certify", o.certify, "certify the document with DocMDP P=1, 2 or 3")
      ->check(CLI::Range(1, 3));
  command.add_option("--digest", o.digest, "sha256 or sha384 (default: matches the key)");
  command.add_option("--time", o.time, "signing time, e.g. 2026-01-02T03:04:05Z (default: now)");
  add_timestamp_options(command, o.timestamp, {"B-B", "B-T", "B-LT", "B-LTA"});
  command.add_option("--ca-dir", o.ca_dir,
                     "B-LT/B-LTA: revocation data from the platform CA in DIR, in process "
                     "(default: online, from the URLs in the certificates)");
}

Result<std::unique_ptr<SigningMaterial>> load_signing_material(const SignOptions& o) {
  auto key = crypto::read_pem_file<crypto::PrivateKey>(o.key_path, "private key",
                                                       &crypto::PrivateKey::from_pem);
  if (!key) {
    return std::unexpected(key.error());
  }
  auto cert = crypto::read_pem_file<crypto::Certificate>(o.cert_path, "certificate",
                                                         &crypto::Certificate::from_pem);
  if (!cert) {
    return std::unexpected(cert.error());
  }
  auto timestamper = make_timestamper(o.timestamp);
  if (!timestamper) {
    return std::unexpected(timestamper.error());
  }
  auto material = std::make_unique<SigningMaterial>(
      SigningMaterial{std::move(*key), std::move(*cert), std::move(*timestamper), {}});
  pdf::SignatureRequest& r = material->request;
  r.key = &material->key;
  r.certificate = &material->certificate;
  r.timestamper = material->timestamper.get();
  for (const auto& path : o.chain_paths) {
    auto chain = crypto::read_pem_file<std::vector<crypto::Certificate>>(
        path, "certificate chain", &crypto::Certificate::all_from_pem);
    if (!chain) {
      return std::unexpected(chain.error());
    }
    r.chain.insert(r.chain.end(), chain->begin(), chain->end());
  }
  if (o.digest) {
    auto digest = crypto::parse_digest_name(*o.digest);
    if (!digest) {
      return std::unexpected(digest.error());
    }
    r.digest = *digest;
  }
  r.field.existing_field = o.field;
  r.field.page = o.page;
  if (o.rect) {
    auto rect = parse_rect(*o.rect);
    if (!rect) {
      return std::unexpected(rect.error());
    }
    r.field.rect = *rect;
  }
  if (o.image_path) {
    auto image = read_file(*o.image_path);
    if (!image) {
      return std::unexpected(image.error());
    }
    r.image_png = std::move(*image);
  }
  r.name = o.name;
  r.reason = o.reason;
  r.location = o.location;
  r.contact_info = o.contact;
  r.certify_level = o.certify;
  r.signing_time = std::chrono::system_clock::now();
  if (o.time) {
    auto time = parse_time(*o.time);
    if (!time) {
      return std::unexpected(time.error());
    }
    r.signing_time = *time;
  }
  return material;
}

}  // namespace pactum::cli
