#include "pactum/base/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace pactum {
namespace {

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "pactum-atomic-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // entries lists the directory, so a stray temporary file shows.
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      out.push_back(e.path().filename().string());
    }
    return out;
  }

  std::string dir_;
};

TEST_F(AtomicFileTest, CommittedFileAppearsWhole) {
  const std::string path = dir_ + "/out.bin";
  auto file = AtomicFile::create(path);
  ASSERT_TRUE(file);
  ASSERT_TRUE(file->write(as_bytes("hello ")));
  EXPECT_FALSE(std::filesystem::exists(path));  // nothing under the final name before commit
  ASSERT_TRUE(file->write(as_bytes("world")));
  ASSERT_TRUE(file->commit());
  auto read = read_file(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(as_chars(*read), "hello world");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.bin"});
}

TEST_F(AtomicFileTest, AbandonedFileLeavesNothing) {
  const std::string path = dir_ + "/out.bin";
  {
    auto file = AtomicFile::create(path);
    ASSERT_TRUE(file);
    ASSERT_TRUE(file->write(as_bytes("half of it")));
  }
  EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicFileTest, ReplacesAnExistingFileOnlyOnCommit) {
  const std::string path = dir_ + "/out.bin";
  ASSERT_TRUE(write_file_atomically(path, as_bytes("old")));
  {
    auto file = AtomicFile::create(path);
    ASSERT_TRUE(file);
    ASSERT_TRUE(file->write(as_bytes("new but abandoned")));
  }
  EXPECT_EQ(as_chars(*read_file(path)), "old");
  ASSERT_TRUE(write_file_atomically(path, as_bytes("new")));
  EXPECT_EQ(as_chars(*read_file(path)), "new");
}

TEST_F(AtomicFileTest, ModeIsExactWhenGivenAndFollowsTheUmaskOtherwise) {
  const mode_t saved = ::umask(077);
  const std::string secret = dir_ + "/secret.pem";
  const std::string certificate = dir_ + "/cert.pem";
  const std::string output = dir_ + "/out.pdf";
  ASSERT_TRUE(write_file_atomically(secret, as_bytes("k"), 0600));
  ASSERT_TRUE(write_file_atomically(certificate, as_bytes("c"), 0644));  // wider than the umask
  ASSERT_TRUE(write_file_atomically(output, as_bytes("o")));
  ::umask(saved);
  const auto mode_of = [](const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 0777U;
  };
  EXPECT_EQ(mode_of(secret), 0600U);
  EXPECT_EQ(mode_of(certificate), 0644U);
  EXPECT_EQ(mode_of(output), 0600U);  // 0666 less the umask 077
}

TEST_F(AtomicFileTest, CopiesASourceInChunks) {
  Bytes data(2'500'000);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::uint8_t>(i % 251U);
  }
  const std::string path = dir_ + "/copy.bin";
  auto file = AtomicFile::create(path);
  ASSERT_TRUE(file);
  ASSERT_TRUE(file->copy_from(*view_source(data)));
  ASSERT_TRUE(file->commit());
  EXPECT_EQ(*read_file(path), data);
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnIoError) {
  auto file = AtomicFile::create(dir_ + "/no/such/dir/out.bin");
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace pactum
