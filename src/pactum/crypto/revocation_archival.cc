// The Adobe revocationInfoArchival attribute (revocation_check.h), read with a minimal DER
// walker: OpenSSL has no type for it.

#include <optional>

#include "pactum/crypto/revocation_check.h"

namespace pactum::crypto {
namespace {

// Tlv is one DER element: its tag byte, the whole encoding and the content.
struct Tlv {
  std::uint8_t tag = 0;
  ByteView whole;
  ByteView content;
};

// next_tlv reads the element at the start of in (definite lengths of up to 4 bytes) and
// advances in past it; nullopt when in does not start with a complete element.
std::optional<Tlv> next_tlv(ByteView& in) {
  if (in.size() < 2) {
    return std::nullopt;
  }
  std::size_t header = 2;
  std::size_t length = in[1];
  if ((length & 0x80U) != 0U) {
    const std::size_t count = length & 0x7FU;
    if (count == 0 || count > 4 || in.size() < 2 + count) {
      return std::nullopt;
    }
    length = 0;
    for (std::size_t i = 0; i < count; ++i) {
      length = (length << 8U) | in[2 + i];
    }
    header += count;
  }
  if (in.size() - header < length) {
    return std::nullopt;
  }
  Tlv out{in[0], in.subspan(0, header + length), in.subspan(header, length)};
  in = in.subspan(header + length);
  return out;
}

constexpr std::uint8_t kSequence = 0x30;
constexpr std::uint8_t kCrls = 0xA0;
constexpr std::uint8_t kOcsps = 0xA1;

// elements returns the elements of `[n] EXPLICIT SEQUENCE OF X`.
std::optional<std::vector<Bytes>> elements(ByteView explicit_content) {
  auto sequence = next_tlv(explicit_content);
  if (!sequence || sequence->tag != kSequence || !explicit_content.empty()) {
    return std::nullopt;
  }
  std::vector<Bytes> out;
  ByteView rest = sequence->content;
  while (!rest.empty()) {
    auto item = next_tlv(rest);
    if (!item || item->tag != kSequence) {
      return std::nullopt;
    }
    out.emplace_back(item->whole.begin(), item->whole.end());
  }
  return out;
}

}  // namespace

Result<ArchivedRevocation> split_revocation_archival(ByteView der) {
  auto outer = next_tlv(der);
  if (!outer || outer->tag != kSequence || !der.empty()) {
    return fail(ErrorCode::kMalformed, "a RevocationInfoArchival is one DER SEQUENCE");
  }
  ArchivedRevocation out;
  ByteView rest = outer->content;
  while (!rest.empty()) {
    auto field = next_tlv(rest);
    if (!field) {
      return fail(ErrorCode::kMalformed, "a RevocationInfoArchival field is truncated");
    }
    if (field->tag != kCrls && field->tag != kOcsps) {
      continue;  // otherRevInfo: nothing we can check
    }
    auto items = elements(field->content);
    if (!items) {
      return fail(ErrorCode::kMalformed, "a RevocationInfoArchival list is not a SEQUENCE OF");
    }
    auto& target = field->tag == kCrls ? out.crls : out.ocsps;
    target.insert(target.end(), items->begin(), items->end());
  }
  return out;
}

}  // namespace pactum::crypto
