#include "pactum/crypto/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "pactum/crypto/openssl_error.h"

namespace pactum::crypto {
namespace {

// throw_openssl ends an operation that the Digest API cannot report as a value.
[[noreturn]] void throw_openssl(std::string_view what) {
  throw std::runtime_error(openssl_error(what).message);
}

}  // namespace

std::string_view digest_name(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha384 ? "sha384" : "sha256";
}

Result<DigestAlgorithm> parse_digest_name(std::string_view name) {
  if (name == "sha256" || name == "SHA-256" || name == "SHA256") {
    return DigestAlgorithm::kSha256;
  }
  if (name == "sha384" || name == "SHA-384" || name == "SHA384") {
    return DigestAlgorithm::kSha384;
  }
  return fail(ErrorCode::kInvalidArgument,
              "unknown digest algorithm '" + std::string(name) + "' (use sha256 or sha384)");
}

std::size_t digest_size(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha384 ? 48 : 32;
}

const EVP_MD* native_digest(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha384 ? EVP_sha384() : EVP_sha256();
}

struct Digest::State {
  UniquePtr<EVP_MD_CTX> context;
  DigestAlgorithm algorithm;
};

Digest::Digest(DigestAlgorithm algorithm)
    : state_(std::make_unique<State>(State{UniquePtr<EVP_MD_CTX>(EVP_MD_CTX_new()), algorithm})) {
  if (!state_->context ||
      EVP_DigestInit_ex(state_->context.get(), native_digest(algorithm), nullptr) != 1) {
    throw_openssl("starting a digest");
  }
}

Digest::~Digest() = default;
Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;

void Digest::update(ByteView bytes) {
  if (EVP_DigestUpdate(state_->context.get(), bytes.data(), bytes.size()) != 1) {
    throw_openssl("hashing");
  }
}

Bytes Digest::finish() {
  Bytes out(digest_size(state_->algorithm));
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->context.get(), out.data(), &length) != 1 || length != out.size()) {
    throw_openssl("finishing a digest");
  }
  return out;
}

Bytes digest_of(DigestAlgorithm algorithm, ByteView bytes) {
  Digest digest(algorithm);
  digest.update(bytes);
  return digest.finish();
}

Bytes sha1_of(ByteView bytes) {
  Bytes out(20);
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha1(), nullptr) != 1 ||
      size != out.size()) {
    throw_openssl("SHA-1");
  }
  return out;
}

}  // namespace pactum::crypto
