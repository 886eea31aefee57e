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
std::vector<std::pair<std::size_t, std::size_t>> subsections(
    const std::vector<XrefEntry>& entries) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // (first index, count)
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (runs.empty() || entries.at(i).number != entries.at(i - 1).number + 1) {
      runs.emplace_back(i, 0);
    }
    ++runs.back().second;
  }
  return runs;
}

// append_serialized writes object as PDF syntax. Indirect children are written as references
// without being resolved: qpdf's unparse resolves every child (to drop null values), and
// resolving one object of an object stream parses the whole stream, milliseconds on real files.
void append_serialized(std::string& out, QPDFObjectHandle object, int depth) {
  constexpr int kMaxDepth = 256;
  if (depth > kMaxDepth) {
    throw std::runtime_error("an object nests too deeply to be written");
  }
  if (depth > 0 && object.isIndirect()) {
    out += fmt::format("{} {} R", object.getObjectID(), object.getGeneration());
    return;
  }
  if (object.isDictionary()) {
    out += "<<";
    for (auto& [key, value] : object.ditems()) {
      if (!value.isIndirect() && value.isNull()) {
        continue;  // a null value means the key is absent
      }
      out += ' ';
      out += QPDFObjectHandle::newName(key).unparse();
      out += ' ';
      append_serialized(out, value, depth + 1);
    }
    out += " >>";
  } else if (object.isArray()) {
    out += '[';
    bool first = true;
    for (auto& item : object.aitems()) {
      out += first ? "" : " ";
      first = false;
      append_serialized(out, item, depth + 1);
    }
    out += ']';
  } else {
    out += object.unparse();
  }
}

std::string serialized(QPDFObjectHandle object) {
  std::string out;
  append_serialized(out, object, 0);
  return out;
}

std::string trailer_keys(QPDF& qpdf, std::uint64_t prev, int size) {
  QPDFObjectHandle trailer = qpdf.getTrailer();
  std::string keys =
      fmt::format("/Size {} /Root {} /Prev {}", size, qpdf.getRoot().unparse(), prev);
  QPDFObjectHandle info = trailer.getKey("/Info");
  if (info.isIndirect()) {  // kept as it is, without resolving it
    keys += fmt::format(" /Info {}", info.unparse());
  }
  QPDFObjectHandle id = trailer.getKey("/ID");
  if (id.isArray()) {
    keys += fmt::format(" /ID {}", serialized(id));
  }
  return keys;
}

void write_header(IncrementalUpdate& update, QPDFObjGen og) {
  append_text(update.bytes, fmt::format("{} {} obj\n", og.getObj(), og.getGen()));
  update.body_offsets[og] = update.bytes.size();
}

void write_stream_body(IncrementalUpdate& update, QPDFObjectHandle dict, ByteView data) {
  QPDFObjectHandle copy = dict.shallowCopy();
  copy.replaceKey("/Length", QPDFObjectHandle::newInteger(static_cast<long long>(data.size())));
  append_text(update.bytes, serialized(copy));
  append_text(update.bytes, "\nstream\n");
  update.bytes.insert(update.bytes.end(), data.begin(), data.end());
  append_text(update.bytes, "\nendstream");
}

void write_object(IncrementalUpdate& update, QPDFObjectHandle object) {
  if (object.isStream()) {
    const std::shared_ptr<Buffer> data = object.getRawStreamData();
    write_stream_body(update, object.getDict(), ByteView(data->getBuffer(), data->getSize()));
  } else {
    append_text(update.bytes, serialized(object));
  }
}

void write_xref_table(IncrementalUpdate& update, const std::vector<XrefEntry>& entries,
                      const std::string& keys) {
  const std::uint64_t xref_offset = update.base_offset + update.bytes.size();
  append_text(update.bytes, "xref\n");
  for (const auto& [first, count] : subsections(entries)) {
    append_text(update.bytes, fmt::format("{} {}\n", entries.at(first).number, count));
    for (std::size_t i = first; i < first + count; ++i) {
      append_text(update.bytes, fmt::format("{:010} {:05} n\r\n", entries.at(i).offset,
                                            entries.at(i).generation));
    }
  }
  append_text(update.bytes,
              fmt::format("trailer\n<< {} >>\nstartxref\n{}\n%%EOF\n", keys, xref_offset));
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
  append_text(
      update.bytes,
      fmt::format("{} 0 obj\n<< /Type /XRef {} /Index [{}] /W [1 {} 2] /Length {} >>\nstream\n",
                  stream_number, keys, index, width, data.size()));
  update.bytes.insert(update.bytes.end(), data.begin(), data.end());
  append_text(update.bytes,
              fmt::format("\nendstream\nendobj\nstartxref\n{}\n%%EOF\n", xref_offset));
}

}  // namespace

IncrementalWriter::IncrementalWriter(PdfDocument& document)
    : document_(document), next_number_(document.max_original_object_id() + 1) {}

QPDFObjGen IncrementalWriter::reserve() {
  const QPDFObjGen og(next_number_++, 0);
  added_.insert(og);
  return og;
}

QPDFObjectHandle IncrementalWriter::add_object(QPDFObjectHandle object) {
  const QPDFObjGen og = reserve();
  document_.qpdf().replaceObject(og, object);
  return document_.qpdf().getObject(og);
}

void IncrementalWriter::replace_new_object(const QPDFObjectHandle& reference,
                                           QPDFObjectHandle value) {
  document_.qpdf().replaceObject(reference.getObjGen(), std::move(value));
}

QPDFObjectHandle IncrementalWriter::add_stream(QPDFObjectHandle dict, Bytes data) {
  // qpdf holds an empty dictionary under the number, so references to it stay valid; the
  // stream itself is written from here.
  QPDFObjectHandle reference = add_object(QPDFObjectHandle::newDictionary());
  streams_[reference.getObjGen()] = NewStream{std::move(dict), std::move(data)};
  return reference;
}

void IncrementalWriter::mark_changed(const QPDFObjectHandle& object) {
  if (!object.isIndirect()) {
    marked_direct_ = true;
    return;
  }
  if (!added_.contains(object.getObjGen())) {
    changed_.insert(object.getObjGen());
  }
}

void IncrementalWriter::edit_original(const QPDFObjectHandle& object, DictEdit edit) {
  if (!object.isIndirect()) {
    marked_direct_ = true;
    return;
  }
  edits_[object.getObjGen()].push_back(std::move(edit));
}

void IncrementalWriter::set_raw_body(QPDFObjGen og, std::string body) {
  raw_bodies_[og] = std::move(body);
}

Result<IncrementalUpdate> IncrementalWriter::build() {
  if (marked_direct_) {
    return fail(ErrorCode::kInternal, "a direct object was marked as changed");
  }
  for (const auto& [og, body] : raw_bodies_) {
    if (!added_.contains(og)) {
      return fail(ErrorCode::kInternal, "a raw body was given for an object that is not new");
    }
  }
  QPDF& qpdf = document_.qpdf();
  const ByteSource& source = document_.source();
  return guarded(ErrorCode::kMalformed, "cannot write the incremental update", [&] {
    IncrementalUpdate update;
    update.base_offset = source.size();
    // The update must start on a new line: the original may end right after %%EOF.
    if (auto last = read_tail(source, 1);
        last && !last->empty() && last->back() != '\n' && last->back() != '\r') {
      append_text(update.bytes, "\n");
    }
    std::set<QPDFObjGen> to_write = changed_;
    to_write.insert(added_.begin(), added_.end());
    std::map<QPDFObjGen, std::string> edited;
    for (const auto& [og, edits] : edits_) {
      to_write.insert(og);
      if (changed_.contains(og)) {
        continue;  // changed beyond what the edits say: written whole from qpdf's model
      }
      auto text = original_object_text(document_, og);
      if (text) {
        if (auto patched = apply_dict_edits(*text, edits)) {
          edited[og] = std::move(*patched);
        }
      }
    }

    std::vector<XrefEntry> entries;
    for (const QPDFObjGen& og : to_write) {
      entries.push_back({og.getObj(), og.getGen(), update.base_offset + update.bytes.size()});
      write_header(update, og);
      if (const auto raw = raw_bodies_.find(og); raw != raw_bodies_.end()) {
        append_text(update.bytes, raw->second);
      } else if (const auto text = edited.find(og); text != edited.end()) {
        append_text(update.bytes, text->second);
      } else if (const auto stream = streams_.find(og); stream != streams_.end()) {
        write_stream_body(update, stream->second.dict, stream->second.data);
      } else {
        write_object(update, qpdf.getObjectByObjGen(og));
      }
      append_text(update.bytes, "\nendobj\n");
    }

    const int max_number = next_number_ - 1;
    const std::uint64_t prev = document_.tail().startxref;
    if (document_.tail().kind == XrefKind::kTable) {
      write_xref_table(update, entries, trailer_keys(qpdf, prev, max_number + 1));
    } else {
      const int stream_number = max_number + 1;
      write_xref_stream(update, entries, stream_number,
                        trailer_keys(qpdf, prev, stream_number + 1));
    }
    return update;
  });
}

}  // namespace pactum::pdf
