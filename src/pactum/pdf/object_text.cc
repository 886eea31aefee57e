#include "pactum/pdf/object_text.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <qpdf/BufferInputSource.hh>
#include <qpdf/QPDFTokenizer.hh>
#include <qpdf/QUtil.hh>

#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

constexpr std::size_t kFirstWindow = 4 * 1024;  // most dictionaries fit; grown when not
constexpr std::size_t kMaxWindow = 16 * 1024 * 1024;
constexpr int kMaxDepth = 256;

using Token = QPDFTokenizer::Token;

// Lexer reads PDF tokens from a piece of text with qpdf's tokenizer, which knows strings,
// comments, hex strings and names, and keeps the offsets.
class Lexer {
 public:
  explicit Lexer(std::string_view text)
      : input_(std::make_shared<BufferInputSource>("object text", std::string(text))) {}

  Token next() { return tokenizer_.readToken(input_, "object text", true); }
  [[nodiscard]] std::size_t position() const { return static_cast<std::size_t>(input_->tell()); }
  [[nodiscard]] std::size_t token_start() const {
    return static_cast<std::size_t>(input_->getLastOffset());
  }
  void seek(std::size_t offset) { input_->seek(static_cast<qpdf_offset_t>(offset), SEEK_SET); }

 private:
  std::shared_ptr<InputSource> input_;
  QPDFTokenizer tokenizer_;
};

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// read_value reads one complete value and returns where it lies; nullopt when the text ends
// first or is not PDF syntax.
std::optional<Span> read_value(Lexer& lexer) {
  Token token = lexer.next();
  const std::size_t begin = lexer.token_start();
  switch (token.getType()) {
    case QPDFTokenizer::tt_dict_open:
    case QPDFTokenizer::tt_array_open: {
      int depth = 1;
      while (depth > 0) {
        token = lexer.next();
        switch (token.getType()) {
          case QPDFTokenizer::tt_dict_open:
          case QPDFTokenizer::tt_array_open:
            if (++depth > kMaxDepth) {
              return std::nullopt;
            }
            break;
          case QPDFTokenizer::tt_dict_close:
          case QPDFTokenizer::tt_array_close:
            --depth;
            break;
          case QPDFTokenizer::tt_eof:
          case QPDFTokenizer::tt_bad:
            return std::nullopt;
          default:
            break;
        }
      }
      return Span{begin, lexer.position()};
    }
    case QPDFTokenizer::tt_integer: {
      // Maybe the start of a reference "N G R".
      const std::size_t after_first = lexer.position();
      if (lexer.next().getType() == QPDFTokenizer::tt_integer) {
        const Token r = lexer.next();
        if (r.getType() == QPDFTokenizer::tt_word && r.getValue() == "R") {
          return Span{begin, lexer.position()};
        }
      }
      lexer.seek(after_first);
      return Span{begin, after_first};
    }
    case QPDFTokenizer::tt_name:
    case QPDFTokenizer::tt_real:
    case QPDFTokenizer::tt_string:
    case QPDFTokenizer::tt_null:
    case QPDFTokenizer::tt_bool:
      return Span{begin, lexer.position()};
    default:
      return std::nullopt;
  }
}

struct Entry {
  std::string key;
  Span value;
};

struct DictLayout {
  std::size_t after_open = 0;  // just after "<<"
  std::vector<Entry> entries;
};

std::optional<DictLayout> scan_dict(std::string_view text) {
  Lexer lexer(text);
  if (lexer.next().getType() != QPDFTokenizer::tt_dict_open) {
    return std::nullopt;
  }
  DictLayout layout;
  layout.after_open = lexer.position();
  for (;;) {
    const Token token = lexer.next();
    if (token.getType() == QPDFTokenizer::tt_dict_close) {
      return layout;
    }
    if (token.getType() != QPDFTokenizer::tt_name) {
      return std::nullopt;
    }
    auto value = read_value(lexer);
    if (!value) {
      return std::nullopt;
    }
    layout.entries.push_back({token.getValue(), *value});
  }
}

// one_value returns the text of the single value at the start of text (after skipping header
// tokens already consumed by the caller), or nullopt if it is incomplete.
std::optional<std::string> value_at(std::string_view text, std::size_t skip_tokens) {
  Lexer lexer(text);
  for (std::size_t i = 0; i < skip_tokens; ++i) {
    const Token token = lexer.next();
    if (token.getType() == QPDFTokenizer::tt_eof || token.getType() == QPDFTokenizer::tt_bad) {
      return std::nullopt;
    }
  }
  auto span = read_value(lexer);
  if (!span) {
    return std::nullopt;
  }
  return std::string(text.substr(span->begin, span->end - span->begin));
}

Result<std::string> text_in_file(const ByteSource& source, const QPDFXRefEntry& entry,
                                 QPDFObjGen og) {
  const auto offset = static_cast<std::uint64_t>(entry.getOffset());
  for (std::size_t window = kFirstWindow; window <= kMaxWindow; window *= 4) {
    const auto n =
        static_cast<std::size_t>(std::min<std::uint64_t>(window, source.size() - offset));
    Bytes bytes(n);
    if (auto st = source.read(offset, bytes); !st) {
      return std::unexpected(st.error());
    }
    if (auto text = value_at(as_chars(bytes), 3)) {  // skip "N G obj"
      return *text;
    }
    if (offset + n >= source.size()) {
      break;
    }
  }
  return fail(ErrorCode::kMalformed,
              fmt::format("object {} {} is not one complete value", og.getObj(), og.getGen()));
}

Result<std::string> text_in_object_stream(QPDF& qpdf, const QPDFXRefEntry& entry, QPDFObjGen og) {
  auto found =
      guarded(ErrorCode::kMalformed, "cannot read an object stream", [&]() -> Result<std::string> {
        QPDFObjectHandle stream = qpdf.getObjectByObjGen(QPDFObjGen(entry.getObjStreamNumber(), 0));
        QPDFObjectHandle n = stream.getDict().getKey("/N");
        QPDFObjectHandle first = stream.getDict().getKey("/First");
        if (!stream.isStream() || !n.isInteger() || !first.isInteger()) {
          return fail(ErrorCode::kMalformed, "not an object stream");
        }
        const std::shared_ptr<Buffer> data = stream.getStreamData();
        const std::string_view text(reinterpret_cast<const char*>(data->getBuffer()),  // NOLINT
                                    data->getSize());
        Lexer header(text);
        for (long long i = 0; i < n.getIntValue(); ++i) {
          const Token number = header.next();
          const Token offset = header.next();
          if (number.getType() != QPDFTokenizer::tt_integer ||
              offset.getType() != QPDFTokenizer::tt_integer) {
            break;
          }
          if (QUtil::string_to_ll(number.getValue().c_str()) != og.getObj()) {
            continue;
          }
          const long long at = first.getIntValue() + QUtil::string_to_ll(offset.getValue().c_str());
          if (at < 0 || static_cast<std::size_t>(at) >= text.size()) {
            break;
          }
          if (auto value = value_at(text.substr(static_cast<std::size_t>(at)), 0)) {
            return *value;
          }
          break;
        }
        return fail(ErrorCode::kMalformed,
                    fmt::format("object {} is not in its object stream", og.getObj()));
      });
  if (!found) {
    return std::unexpected(found.error());
  }
  return *found;
}

}  // namespace

Result<std::string> original_object_text(PdfDocument& document, QPDFObjGen og) {
  const auto xref = document.qpdf().getXRefTable();
  const auto it = xref.find(og);
  if (it == xref.end()) {
    return fail(ErrorCode::kMalformed,
                fmt::format("object {} {} is not in the file", og.getObj(), og.getGen()));
  }
  Result<std::string> text = it->second.getType() == 2
                                 ? text_in_object_stream(document.qpdf(), it->second, og)
                                 : text_in_file(document.source(), it->second, og);
  if (text && !text->starts_with("<<")) {
    return fail(ErrorCode::kUnsupported, "only dictionaries are edited as text");
  }
  return text;
}

Result<std::string> apply_dict_edits(std::string_view dict_text, std::span<const DictEdit> edits) {
  auto layout = scan_dict(dict_text);
  if (!layout) {
    return fail(ErrorCode::kUnsupported, "the object is not a dictionary we can edit as text");
  }
  // Edits are applied from the end of the text backwards so earlier offsets stay valid.
  struct Insertion {
    std::size_t at;
    std::string text;
  };
  std::vector<Insertion> insertions;
  for (const DictEdit& edit : edits) {
    const Entry* existing = nullptr;
    for (const Entry& entry : layout->entries) {
      if (entry.key == edit.key) {
        existing = &entry;
      }
    }
    if (edit.kind == DictEdit::Kind::kInsertKey) {
      if (existing != nullptr) {
        return fail(ErrorCode::kUnsupported, fmt::format("{} is already there", edit.key));
      }
      insertions.push_back({layout->after_open, fmt::format(" {} {}", edit.key, edit.value)});
    } else {
      if (existing == nullptr || dict_text.at(existing->value.begin) != '[') {
        return fail(ErrorCode::kUnsupported, fmt::format("{} is not a direct array", edit.key));
      }
      insertions.push_back({existing->value.end - 1, fmt::format(" {}", edit.value)});
    }
  }
  std::string out(dict_text);
  // Inserting at one place pushes earlier insertions right, so those come last; edits at one
  // place then appear in the order given.
  std::reverse(insertions.begin(), insertions.end());
  std::stable_sort(insertions.begin(), insertions.end(),
                   [](const Insertion& a, const Insertion& b) { return a.at > b.at; });
  for (const Insertion& insertion : insertions) {
    out.insert(insertion.at, insertion.text);
  }
  return out;
}

}  // namespace pactum::pdf
