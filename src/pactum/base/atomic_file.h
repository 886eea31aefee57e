#pragma once

#include <optional>
#include <string>

#include "pactum/base/byte_source.h"
#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum {

// AtomicFile writes a file that appears under its final name complete or not at all: bytes go to
// a temporary file in the same directory, commit() flushes it to disk and renames it into place,
// and destroying an uncommitted AtomicFile removes the temporary file. A crash leaves at most a
// stray temporary file, never a half-written output.
class AtomicFile {
 public:
  // create opens a temporary file next to path. With a mode, the committed file has exactly those
  // permissions whatever the umask (0600 for secrets); without, 0666 less the umask, as any
  // program's output. Fails with kIo.
  static Result<AtomicFile> create(const std::string& path,
                                   std::optional<unsigned> mode = std::nullopt);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // write appends bytes.
  Status write(ByteView bytes);

  // copy_from appends all bytes of source, in bounded chunks.
  Status copy_from(const ByteSource& source);

  // commit makes the file durable and visible under its final name; nothing may be written after.
  Status commit();

 private:
  AtomicFile(std::string path, std::string temp_path, int fd);

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  std::optional<unsigned> mode_;
};

// write_file_atomically writes bytes to path through an AtomicFile created with mode.
Status write_file_atomically(const std::string& path, ByteView bytes,
                             std::optional<unsigned> mode = std::nullopt);

// read_file returns the whole content of a (small) file: keys, certificates, images.
Result<Bytes> read_file(const std::string& path);

}  // namespace pactum
