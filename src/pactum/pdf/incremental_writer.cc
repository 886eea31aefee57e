#include "pactum/pdf/incremental_writer.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>

#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

struct XrefEntry {
  int number = 0;
  int generation = 0;
  std::uint64_t offset = 0;
};

// subsections groups sorted entries into runs of consecutive object numbers.
std::vector<std::pair<std::size_t, std::size_t>> subsections(const std::vector<XrefEntry>& entries) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // (first index, count)
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (runs.empty() || entries.at(i).number != entries.at(i - 1).number + 1) {
      runs.emplace_back(i, 0);
    }
    ++runs.back().second;
  }
  return runs;
}

std::string trailer_keys(QPDF& qpdf, std::uint64_t prev, int size) {
  QPDFObjectHandle trailer = qpdf.getTrailer();
  std::string keys = fmt::format("/Size {} /Root {} /Prev {}", size, qpdf.getRoot().unparse(), prev);
  QPDFObjectHandle info = trailer.getKey("/Info");
  if (info.isIndirect() && info.isDictionary()) {
    keys += fmt::format(" /Info {}", info.unparse());
  }
  QPDFObjectHandle id = trailer.getKey("/ID");
  if (id.isArray()) {
    keys += fmt::format(" /ID {}", id.unparseResolved());
  }
  return keys;
}

void write_object(IncrementalUpdate& update, QPDFObjectHandle object, const std::string* raw_body) {
  const QPDFObjGen og = object.getObjGen();
  append_text(update.bytes, fmt::format("{} {} obj\n", og.getObj(), og.getGen()));
  update.body_offsets[og] = update.bytes.size();
  if (raw_body != nullptr) {
    append_text(update.bytes, *raw_body);
  } else if (object.isStream()) {
    const std::shared_ptr<Buffer> data = object.getRawStreamData();
    QPDFObjectHandle dict = object.getDict().shallowCopy();
    dict.replaceKey("/Length", QPDFObjectHandle::newInteger(static_cast<long long>(data->getSize())));
    append_text(update.bytes, dict.unparseResolved());
    append_text(update.bytes, "\nstream\n");
    const unsigned char* bytes = data->getBuffer();
    update.bytes.insert(update.bytes.end(), bytes, bytes + data->getSize());
    append_text(update.bytes, "\nendstream");
  } else {
    append_text(update.bytes, object.unparseResolved());
  }
  append_text(update.bytes, "\nendobj\n");
}

void write_xref_table(IncrementalUpdate& update, const std::vector<XrefEntry>& entries,
                      const std::string& keys) {
  const std::uint64_t xref_offset = update.base_offset + update.bytes.size();
  append_text(update.bytes, "xref\n");
  for (const auto& [first, count] : subsections(entries)) {
    append_text(update.bytes, fmt::format("{} {}\n", entries.at(first).number, count));
    for (std::size_t i = first; i < first + count; ++i) {
      append_text(update.bytes,
                  fmt::format("{:010} {:05} n\r\n", entries.at(i).offset, entries.at(i).generation));
    }
  }
  append_text(update.bytes, fmt::format("trailer\n<< {} >>\nstartxref\n{}\n%%EOF\n", keys, xref_offset));
}

void write_xref_stream(IncrementalUpdate& update, std::vector<XrefEntry> entries, int stream_number,
                       const std::string& keys) {
  const std::uint64_t xref_offset = update.base_offset + update.bytes.size();
  entries.push_back({stream_number, 0, xref_offset});
  int width = 1;
  while (width < 8 && (xref_offset >> (8U * static_cast<unsigned>(width))) != 0) {
    ++width;
  }
  Bytes data;
  std::string index;
  for (const auto& [first, count] : subsections(entries)) {
    index += fmt::format("{}{} {}", index.empty() ? "" : " ", entries.at(first).number, count);
    for (std::size_t i = first; i < first + count; ++i) {
      const XrefEntry& e = entries.at(i);
      data.push_back(1);
      for (int b = width - 1; b >= 0; --b) {
        data.push_back(static_cast<std::uint8_t>(e.offset >> (8U * static_cast<unsigned>(b))));
      }
      data.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(e.generation) >> 8U));
      data.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(e.generation) & 0xFFU));
    }
  }
  append_text(update.bytes,
              fmt::format("{} 0 obj\n<< /Type /XRef {} /Index [{}] /W [1 {} 2] /Length {} >>\nstream\n",
                          stream_number, keys, index, width, data.size()));
  update.bytes.insert(update.bytes.end(), data.begin(), data.end());
  append_text(update.bytes, fmt::format("\nendstream\nendobj\nstartxref\n{}\n%%EOF\n", xref_offset));
}

}  // namespace

void IncrementalWriter::mark_changed(const QPDFObjectHandle& object) {
  if (!object.isIndirect()) {
    marked_direct_ = true;
    return;
  }
  changed_.insert(object.getObjGen());
}

void IncrementalWriter::set_raw_body(QPDFObjGen og, std::string body) {
  raw_bodies_[og] = std::move(body);
}

Result<IncrementalUpdate> IncrementalWriter::build() {
  if (marked_direct_) {
    return fail(ErrorCode::kInternal, "a direct object was marked as changed");
  }
  QPDF& qpdf = document_.qpdf();
  const ByteSource& source = document_.source();
  return guarded(ErrorCode::kMalformed, "cannot write the incremental update", [&] {
    IncrementalUpdate update;
    update.base_offset = source.size();
    // The update must start on a new line: the original may end right after %%EOF.
    if (auto last = read_tail(source, 1); last && !last->empty() && last->back() != '\n' &&
                                           last->back() != '\r') {
      append_text(update.bytes, "\n");
    }
    std::set<QPDFObjGen> to_write = changed_;
    int max_number = document_.max_original_object_id();
    for (QPDFObjectHandle& object : qpdf.getAllObjects()) {
      const QPDFObjGen og = object.getObjGen();
      max_number = std::max(max_number, og.getObj());
      if (!document_.is_original(og)) {
        to_write.insert(og);
      }
    }
    for (const auto& [og, body] : raw_bodies_) {
      to_write.insert(og);
    }

    std::vector<XrefEntry> entries;
    for (const QPDFObjGen& og : to_write) {
      const auto raw = raw_bodies_.find(og);
      entries.push_back({og.getObj(), og.getGen(), update.base_offset + update.bytes.size()});
      write_object(update, qpdf.getObjectByObjGen(og),
                   raw == raw_bodies_.end() ? nullptr : &raw->second);
    }

    const std::uint64_t prev = document_.tail().startxref;
    if (document_.tail().kind == XrefKind::kTable) {
      write_xref_table(update, entries, trailer_keys(qpdf, prev, max_number + 1));
    } else {
      const int stream_number = max_number + 1;
      write_xref_stream(update, entries, stream_number, trailer_keys(qpdf, prev, stream_number + 1));
    }
    return update;
  });
}

}  // namespace pactum::pdf
