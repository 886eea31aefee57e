#include "pactum/crypto/aead.h"

#include <gtest/gtest.h>

#include "pactum/crypto/random.h"

namespace pactum::crypto {
namespace {

Bytes key_of(std::uint8_t fill) { return Bytes(kAeadKeySize, fill); }

TEST(Aead, RoundTripsWithAssociatedData) {
  const Bytes key = *random_bytes(kAeadKeySize);
  for (std::size_t size : {0U, 1U, 15U, 16U, 17U, 1000U}) {
    const Bytes plain(size, 0x5a);
    auto sealed = aead_seal(key, plain, as_bytes("context"));
    ASSERT_TRUE(sealed) << sealed.error().message;
    EXPECT_EQ(sealed->size(), size + kAeadSealedOverhead);
    EXPECT_EQ((*sealed)[0], kAeadFormatV1);
    auto opened = aead_open(key, *sealed, as_bytes("context"));
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, plain);
  }
}

TEST(Aead, FreshNonceEachTime) {
  const Bytes key = key_of(1);
  const Bytes plain(32, 7);
  EXPECT_NE(*aead_seal(key, plain, {}), *aead_seal(key, plain, {}));
}

TEST(Aead, EveryFlippedByteFails) {
  const Bytes key = key_of(2);
  const Bytes sealed = *aead_seal(key, as_bytes("a contract worth keeping"), as_bytes("ad"));
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    Bytes altered = sealed;
    altered[i] ^= 0x01;
    auto opened = aead_open(key, altered, as_bytes("ad"));
    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().code, i == 0 ? ErrorCode::kMalformed : ErrorCode::kCrypto);
  }
}

TEST(Aead, WrongKeyAssociatedDataOrLengthFails) {
  const Bytes sealed = *aead_seal(key_of(3), as_bytes("x"), as_bytes("ad"));
  EXPECT_EQ(aead_open(key_of(4), sealed, as_bytes("ad")).error().code, ErrorCode::kCrypto);
  EXPECT_EQ(aead_open(key_of(3), sealed, as_bytes("other")).error().code, ErrorCode::kCrypto);
  EXPECT_EQ(aead_open(key_of(3), ByteView(sealed).first(10), as_bytes("ad")).error().code,
            ErrorCode::kMalformed);
  EXPECT_EQ(aead_seal(Bytes(16, 0), as_bytes("x"), {}).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(AeadChunks, BoundToIndexAndLastFlag) {
  const Bytes key = key_of(5);
  const Bytes sealed = *seal_chunk(key, as_bytes("blob"), 3, false, as_bytes("chunk three"));
  EXPECT_EQ(sealed.size(), 11 + kAeadTagSize);
  auto opened = open_chunk(key, as_bytes("blob"), 3, false, sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(as_chars(*opened), "chunk three");
  EXPECT_EQ(open_chunk(key, as_bytes("blob"), 2, false, sealed).error().code, ErrorCode::kCrypto);
  EXPECT_EQ(open_chunk(key, as_bytes("blob"), 3, true, sealed).error().code, ErrorCode::kCrypto);
  EXPECT_EQ(open_chunk(key, as_bytes("other"), 3, false, sealed).error().code,
            ErrorCode::kCrypto);
  EXPECT_EQ(open_chunk(key, {}, 0, true, ByteView(sealed).first(5)).error().code,
            ErrorCode::kMalformed);
}

}  // namespace
}  // namespace pactum::crypto
