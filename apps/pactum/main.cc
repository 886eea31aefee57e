// pactum: the command-line face of the signing engine. It parses arguments and calls the
// library; all behaviour lives in libpactum.
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "init_command.h"
#include "keys_command.h"
#include "ltv_command.h"
#include "pactum/base/atomic_file.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/pdf/inspect.h"
#include "pactum/pdf/pades_signer.h"
#include "pactum/pki/dev_tsa.h"
#include "pki_commands.h"
#include "sign_command.h"
#include "sign_requests_command.h"
#include "verify_command.h"

namespace {

using pactum::Error;

int report(const Error& error) {
  fmt::print(stderr, "pactum: error: {}\n", error.describe());
  return 1;
}

// run_sign_ltv finishes a B-LT or B-LTA signature: the DSS (and document time-stamp) goes after
// the signature's update, and all of it is written at once.
int run_sign_ltv(const pactum::pdf::SignedPdf& signed_pdf, const std::string& out,
                 const pactum::cli::SignOptions& o, const pactum::cli::SigningMaterial& material) {
  auto revocation = pactum::cli::load_revocation_material(o.ca_dir, o.chain_paths);
  if (!revocation) {
    return report(revocation.error());
  }
  pactum::Bytes whole(static_cast<std::size_t>(signed_pdf.document->source().size()));
  if (auto st = signed_pdf.document->source().read(0, whole); !st) {
    return report(st.error());
  }
  whole.insert(whole.end(), signed_pdf.update.bytes.begin(), signed_pdf.update.bytes.end());
  auto ltv = pactum::cli::add_validation_data(
      whole, **revocation, o.timestamp.level == "B-LTA" ? material.timestamper.get() : nullptr,
      true);
  if (!ltv) {
    return report(ltv.error());
  }
  auto file = pactum::AtomicFile::create(out);
  if (!file) {
    return report(file.error());
  }
  if (auto st = file->write(whole); !st) {
    return report(st.error());
  }
  if (auto st = file->write(ltv->appended); !st) {
    return report(st.error());
  }
  if (auto st = file->commit(); !st) {
    return report(st.error());
  }
  fmt::print("signed {} (field {}, {}, {} bytes): {}\n", out, signed_pdf.field_name,
             o.timestamp.level, whole.size() + ltv->appended.size(),
             pactum::cli::describe_ltv(*ltv));
  return 0;
}

int run_sign(const std::string& in, const std::string& out, const pactum::cli::SignOptions& o) {
  if (o.ca_dir && !pactum::cli::level_is_ltv(o.timestamp.level)) {
    return report(pactum::Error{pactum::ErrorCode::kInvalidArgument,
                                "--ca-dir is for --level B-LT or B-LTA", std::nullopt});
  }
  auto material = pactum::cli::load_signing_material(o);
  if (!material) {
    return report(material.error());
  }
  auto source = pactum::open_file_source(in);
  if (!source) {
    return report(source.error());
  }
  auto signed_pdf = pactum::pdf::sign_pdf(std::move(*source), (*material)->request);
  if (!signed_pdf) {
    return report(signed_pdf.error());
  }
  if (pactum::cli::level_is_ltv(o.timestamp.level)) {
    return run_sign_ltv(*signed_pdf, out, o, **material);
  }
  if (auto st = pactum::pdf::write_signed_pdf(*signed_pdf, out); !st) {
    return report(st.error());
  }
  fmt::print("signed {} -> {} (field {}, {} bytes{})\n", in, out, signed_pdf->field_name,
             signed_pdf->size(), signed_pdf->document->normalised() ? ", repaired first" : "");
  return 0;
}

int run_inspect(const std::string& in, bool json) {
  auto source = pactum::open_file_source(in);
  if (!source) {
    return report(source.error());
  }
  auto inspected = pactum::pdf::inspect_pdf(**source);
  if (!inspected) {
    return report(inspected.error());
  }
  fmt::print("{}\n", json ? pactum::pdf::render_inspect_json(*inspected)
                          : pactum::pdf::render_inspect_text(*inspected));
  return 0;
}

int run_bench_sign(const std::string& in, const std::optional<std::string>& out, int iterations,
                   const pactum::cli::SignOptions& o) {
  if (pactum::cli::level_is_ltv(o.timestamp.level)) {
    return report(pactum::Error{pactum::ErrorCode::kInvalidArgument,
                                "bench sign measures B-B and B-T; B-LT and B-LTA are measured by "
                                "bench/engine_bench",
                                std::nullopt});
  }
  auto material = pactum::cli::load_signing_material(o);
  if (!material) {
    return report(material.error());
  }
  auto bytes = pactum::read_file(in);
  if (!bytes) {
    return report(bytes.error());
  }
  std::optional<pactum::pdf::SignedPdf> last;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    auto signed_pdf = pactum::pdf::sign_pdf(pactum::view_source(*bytes), (*material)->request);
    if (!signed_pdf) {
      return report(signed_pdf.error());
    }
    last = std::move(*signed_pdf);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (out) {
    if (auto st = pactum::pdf::write_signed_pdf(*last, *out); !st) {
      return report(st.error());
    }
  }
  fmt::print("{:.1f} signatures/s ({} signatures of {} bytes in {:.3f} s, {:.3f} ms each)\n",
             iterations / elapsed.count(), iterations, bytes->size(), elapsed.count(),
             1000 * elapsed.count() / iterations);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pactum: sign, inspect and verify PDF contracts; run the platform CA and TSA"};
  app.require_subcommand(1);

  std::string in;
  std::string out;
  pactum::cli::SignOptions sign_options;
  auto* sign = app.add_subcommand("sign", "add a PAdES signature as an incremental update");
  sign->add_option("IN", in, "PDF to sign")->required();
  sign->add_option("OUT", out, "where to write the signed PDF")->required();
  pactum::cli::add_sign_options(*sign, sign_options);

  std::string ca_dir;
  auto* dev_ca = app.add_subcommand("dev-ca", "write a throwaway root and signer certificates");
  dev_ca->add_option("DIR", ca_dir, "directory to write into")->required();

  bool json = false;
  auto* inspect = app.add_subcommand("inspect", "show revisions, fields and signatures");
  inspect->add_option("IN", in, "PDF to inspect")->required();
  inspect->add_flag("--json", json, "print JSON");

  pactum::cli::VerifyOptions verify_options;
  auto* verify = pactum::cli::add_verify_command(app, verify_options);

  pactum::cli::LtvAddOptions ltv_options;
  auto* ltv_add = pactum::cli::add_ltv_command(app, ltv_options);

  auto* bench = app.add_subcommand("bench", "measure the engine");
  bench->require_subcommand(1);
  int iterations = 100;
  std::optional<std::string> bench_out;
  pactum::cli::SignOptions bench_options;
  auto* bench_sign = bench->add_subcommand("sign", "sign IN in memory N times in one process");
  bench_sign->add_option("IN", in, "PDF to sign")->required();
  bench_sign->add_option("-n", iterations, "number of signatures")->check(CLI::Range(1, 10000000));
  bench_sign->add_option("--out", bench_out, "write the last signed PDF here");
  pactum::cli::add_sign_options(*bench_sign, bench_options);
  pactum::node::InitOptions init_options;
  auto* init = pactum::cli::add_init_command(app, init_options);
  pactum::cli::SignRequestsOptions sign_requests_options;
  auto* sign_requests = pactum::cli::add_sign_requests_command(*bench, sign_requests_options);

  const pactum::cli::PkiCommands pki_commands(app);
  const pactum::cli::KeysCommands keys_commands(app);

  CLI11_PARSE(app, argc, argv);

  if (pki_commands.parsed()) {
    return pki_commands.run();
  }
  if (keys_commands.parsed()) {
    return keys_commands.run();
  }

  if (sign->parsed()) {
    return run_sign(in, out, sign_options);
  }
  if (dev_ca->parsed()) {
    if (auto st = pactum::crypto::write_dev_ca(ca_dir); !st) {
      return report(st.error());
    }
    if (auto st = pactum::pki::write_dev_tsa(ca_dir, std::chrono::system_clock::now()); !st) {
      return report(st.error());
    }
    fmt::print(
        "wrote {0}/root.pem, {0}/rsa.key.pem, {0}/rsa.cert.pem, {0}/ec.key.pem, "
        "{0}/ec.cert.pem, {0}/tsa.key.pem, {0}/tsa.cert.pem\n",
        ca_dir);
    return 0;
  }
  if (inspect->parsed()) {
    return run_inspect(in, json);
  }
  if (verify->parsed()) {
    return pactum::cli::run_verify(verify_options);
  }
  if (ltv_add->parsed()) {
    return pactum::cli::run_ltv_add(ltv_options);
  }
  if (bench_sign->parsed()) {
    return run_bench_sign(in, bench_out, iterations, bench_options);
  }
  if (init->parsed()) {
    return pactum::cli::run_init(init_options);
  }
  if (sign_requests->parsed()) {
    return pactum::cli::run_sign_requests(sign_requests_options);
  }
  return 2;
}
