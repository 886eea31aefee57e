// Finding signature dictionaries in one revision, and reading PDF dates.

#include <cctype>
#include <ctime>

#include "pactum/pdf/form_fields.h"
#include "pactum/pdf/qpdf_guard.h"
#include "pactum/pdf/validator_internal.h"

namespace pactum::pdf::validation {
namespace {

constexpr std::size_t kMaxWarnings = 10;

std::string text_of(QPDFObjectHandle value) {
  return value.isString() ? value.getUTF8Value() : std::string();
}

std::string name_of(QPDFObjectHandle value) { return value.isName() ? value.getName() : ""; }

ValueState state_of(QPDFObjectHandle dict, const std::string& key) {
  if (!dict.hasKey(key)) {
    return ValueState::kMissing;
  }
  return dict.getKey(key).isNull() ? ValueState::kNull : ValueState::kPresent;
}

// add_lock merges a FieldMDP parameter dictionary (/Action, /Fields) into lock. Locks only add:
// /All wins, two /Include lists join; an /Exclude next to anything else becomes /All, the
// safe reading.
void add_lock(QPDFObjectHandle params, std::optional<FieldLock>& lock) {
  if (!params.isDictionary() || !params.getKey("/Action").isName()) {
    return;
  }
  FieldLock more;
  more.action = params.getKey("/Action").getName();
  if (more.action != "/All" && more.action != "/Include" && more.action != "/Exclude") {
    more.action = "/All";  // unknown action: lock everything rather than nothing
  }
  QPDFObjectHandle fields = params.getKey("/Fields");
  if (fields.isArray()) {
    for (auto& name : fields.aitems()) {
      if (name.isString()) {
        more.fields.insert(name.getUTF8Value());
      }
    }
  }
  if (!lock) {
    lock = std::move(more);
  } else if (lock->action == "/Include" && more.action == "/Include") {
    lock->fields.insert(more.fields.begin(), more.fields.end());
  } else if (lock->action != more.action || lock->fields != more.fields) {
    lock->action = "/All";
  }
}

SignatureDict read_signature(FormField& field, int revision) {
  SignatureDict sig;
  QPDFObjectHandle dict = field.value;
  sig.field = field.name;
  sig.object = dict.isIndirect() ? dict.getObjGen() : field.object.getObjGen();
  sig.revision = revision;
  sig.byte_range_state = state_of(dict, "/ByteRange");
  if (sig.byte_range_state == ValueState::kPresent) {
    QPDFObjectHandle range = dict.getKey("/ByteRange");
    if (!range.isArray()) {
      sig.byte_range_state = ValueState::kWrongType;
    } else {
      for (auto& item : range.aitems()) {
        sig.byte_range.push_back(item.isInteger() ? std::optional<long long>(item.getIntValue())
                                                  : std::nullopt);
      }
    }
  }
  sig.contents_state = state_of(dict, "/Contents");
  if (sig.contents_state == ValueState::kPresent) {
    QPDFObjectHandle contents = dict.getKey("/Contents");
    if (contents.isString()) {
      sig.contents = contents.getStringValue();
    } else {
      sig.contents_state = ValueState::kWrongType;
    }
  }
  sig.type = name_of(dict.getKey("/Type"));
  sig.filter = name_of(dict.getKey("/Filter"));
  sig.sub_filter = name_of(dict.getKey("/SubFilter"));
  sig.claimed_time = text_of(dict.getKey("/M"));
  sig.name = text_of(dict.getKey("/Name"));
  sig.reason = text_of(dict.getKey("/Reason"));
  sig.location = text_of(dict.getKey("/Location"));
  QPDFObjectHandle references = dict.getKey("/Reference");
  if (references.isArray()) {
    for (auto& r : references.aitems()) {
      if (r.isDictionary() && r.getKey("/TransformMethod").isNameAndEquals("/DocMDP")) {
        QPDFObjectHandle p = r.getKey("/TransformParams").getKey("/P");
        sig.docmdp = p.isInteger() ? p.getIntValueAsInt() : 2;  // 12.8.2.2: default 2
      }
      if (r.isDictionary() && r.getKey("/TransformMethod").isNameAndEquals("/FieldMDP")) {
        add_lock(r.getKey("/TransformParams"), sig.lock);
      }
    }
  }
  add_lock(field.object.getKey("/Lock"), sig.lock);
  return sig;
}

}  // namespace

bool same_signature(const SignatureDict& a, const SignatureDict& b) {
  return a.object == b.object && a.byte_range == b.byte_range && a.contents == b.contents &&
         a.byte_range_state == b.byte_range_state && a.contents_state == b.contents_state;
}

OpenedRevision open_revision(ByteView prefix) {
  OpenedRevision out;
  auto qpdf = std::make_unique<QPDF>();
  auto opened = guarded(ErrorCode::kMalformed, "qpdf cannot read this revision", [&] {
    qpdf->setSuppressWarnings(true);
    qpdf->processMemoryFile("revision", reinterpret_cast<const char*>(prefix.data()),  // NOLINT
                            prefix.size());
    (void)qpdf->getRoot();
  });
  if (!opened) {
    out.error = opened.error().describe();
    return out;
  }
  for (auto& warning : qpdf->getWarnings()) {
    if (out.warnings.size() < kMaxWarnings) {
      out.warnings.emplace_back(warning.what());
    }
  }
  out.qpdf = std::move(qpdf);
  return out;
}

Result<std::vector<SignatureDict>> signature_dicts(QPDF& qpdf, int revision) {
  return guarded(ErrorCode::kMalformed, "cannot read the form", [&] {
    std::vector<SignatureDict> out;
    for (FormField& field : terminal_fields(qpdf)) {
      if (field.type == "/Sig" && field.value.isDictionary()) {
        out.push_back(read_signature(field, revision));
      }
    }
    return out;
  });
}

std::optional<std::chrono::system_clock::time_point> parse_pdf_date(std::string_view text) {
  if (text.starts_with("D:")) {
    text.remove_prefix(2);
  }
  auto digits = [&](std::size_t at, std::size_t n, int fallback) -> std::optional<int> {
    if (at >= text.size()) {
      return fallback;
    }
    if (at + n > text.size()) {
      return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
        return std::nullopt;
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 4) {
    return std::nullopt;
  }
  const auto year = digits(0, 4, 0);
  const auto month = digits(4, 2, 1);
  const auto day = digits(6, 2, 1);
  const auto hour = digits(8, 2, 0);
  const auto minute = digits(10, 2, 0);
  const auto second = digits(12, 2, 0);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
      *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  auto time = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (text.size() > 14 && (text[14] == '+' || text[14] == '-')) {
    const auto offset_hours = digits(15, 2, 0);
    const auto offset_minutes = digits(text.size() > 17 && text[17] == '\'' ? 18 : 17, 2, 0);
    if (!offset_hours || !offset_minutes) {
      return std::nullopt;
    }
    const std::chrono::minutes offset(*offset_hours * 60 + *offset_minutes);
    time += text[14] == '+' ? -offset : offset;
  }
  return time;
}

}  // namespace pactum::pdf::validation
