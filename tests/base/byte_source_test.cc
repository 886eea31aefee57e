#include "pactum/base/byte_source.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "pactum/base/atomic_file.h"

namespace pactum {
namespace {

Bytes counting(std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<std::uint8_t>(i * 7U);
  }
  return out;
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "pactum-base-" + std::to_string(::getpid()) + "-" + name;
}

TEST(ByteSource, MemoryReadsInsideAndRefusesOutside) {
  const auto source = memory_source(counting(100));
  EXPECT_EQ(source->size(), 100U);
  Bytes out(10);
  ASSERT_TRUE(source->read(90, out));
  EXPECT_EQ(out[0], static_cast<std::uint8_t>(90 * 7));
  EXPECT_FALSE(source->read(91, out));
  EXPECT_FALSE(source->read(1000, out));
  Bytes none;
  EXPECT_TRUE(source->read(100, none));
}

TEST(ByteSource, FileAndMemoryAgreeChunkByChunk) {
  const Bytes data = counting(3'000'001);
  const std::string path = temp_path("chunks");
  ASSERT_TRUE(write_file_atomically(path, data));
  auto file = open_file_source(path);
  ASSERT_TRUE(file);
  EXPECT_TRUE((*file)->memory().empty());
  EXPECT_EQ((*file)->file_path(), path);
  const auto view = view_source(data);
  for (const ByteSource* source : {file->get(), view.get()}) {
    Bytes seen;
    ASSERT_TRUE(for_each_chunk(*source, 5, data.size() - 10, [&](ByteView chunk) {
      if (source == file->get()) {
        EXPECT_LE(chunk.size(), 1U << 20U);  // a file is read through one bounded buffer
      }
      seen.insert(seen.end(), chunk.begin(), chunk.end());
    }));
    EXPECT_EQ(seen, Bytes(data.begin() + 5, data.end() - 5));
  }
  std::filesystem::remove(path);
}

TEST(ByteSource, ChunksOfAFileAreBounded) {
  const Bytes data = counting(10'000);
  const std::string path = temp_path("bounded");
  ASSERT_TRUE(write_file_atomically(path, data));
  auto file = open_file_source(path);
  ASSERT_TRUE(file);
  std::size_t calls = 0;
  ASSERT_TRUE(for_each_chunk(
      **file, 0, data.size(),
      [&](ByteView chunk) {
        EXPECT_LE(chunk.size(), 1000U);
        ++calls;
      },
      1000));
  EXPECT_EQ(calls, 10U);
  EXPECT_FALSE(for_each_chunk(**file, 9000, 2000, [](ByteView) {}));
  std::filesystem::remove(path);
}

TEST(ByteSource, ReadTailTakesWhatThereIs) {
  const Bytes data = counting(10);
  const auto source = memory_source(data);
  auto tail = read_tail(*source, 4);
  ASSERT_TRUE(tail);
  EXPECT_EQ(*tail, Bytes(data.begin() + 6, data.end()));
  auto all = read_tail(*source, 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 10U);
}

TEST(ByteSource, MissingFileIsNotFound) {
  auto file = open_file_source(temp_path("does-not-exist"));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kNotFound);
  auto directory = open_file_source(::testing::TempDir());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, ErrorCode::kIo);
}

TEST(Bytes, HexEncoding) {
  const Bytes data = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(to_hex(data), "000fa5ff");
  Bytes out(12, '0');
  write_hex(data, out);
  EXPECT_EQ(std::string(out.begin(), out.end()), "000fa5ff0000");
  Bytes small(3, 'x');
  write_hex(data, small);  // room for one byte only
  EXPECT_EQ(std::string(small.begin(), small.end()), "00x");
}

}  // namespace
}  // namespace pactum
