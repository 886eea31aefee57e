#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum {

// ByteSource is random access to an immutable sequence of bytes: a file on disk or a buffer in
// memory. Signing reads the original document through it in bounded chunks, so a 200 MB file is
// never held in memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // size returns the number of bytes in the source.
  [[nodiscard]] virtual std::uint64_t size() const = 0;

  // read fills out with the bytes at [offset, offset + out.size()); fails with kIo if the range
  // is not entirely inside the source or the read fails.
  [[nodiscard]] virtual Status read(std::uint64_t offset, std::span<std::uint8_t> out) const = 0;

  // file_path returns the path of a file-backed source, or an empty string for memory.
  [[nodiscard]] virtual const std::string& file_path() const = 0;

  // memory returns the whole content of a memory-backed source, or an empty view for a file.
  [[nodiscard]] virtual ByteView memory() const = 0;
};

// open_file_source opens path for reading; fails with kNotFound or kIo.
Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path);

// memory_source wraps a buffer that the source then owns.
std::unique_ptr<ByteSource> memory_source(Bytes bytes);

// view_source reads bytes it does not own: the caller keeps them alive and unchanged for the
// source's lifetime (used to sign one in-memory file many times without copying it).
std::unique_ptr<ByteSource> view_source(ByteView bytes);

// read_tail returns the last min(n, size) bytes of the source.
Result<Bytes> read_tail(const ByteSource& source, std::uint64_t n);

// for_each_chunk calls fn with consecutive chunks of [offset, offset + length). A file is read
// through one reusable buffer of chunk_size bytes; memory is handed over as a single view, since
// it is already there. Fails with kIo, after calling fn for what was read, if the range is not
// inside the source or a read fails.
Status for_each_chunk(const ByteSource& source, std::uint64_t offset, std::uint64_t length,
                      const std::function<void(ByteView)>& fn, std::size_t chunk_size = 1U << 20U);

}  // namespace pactum
