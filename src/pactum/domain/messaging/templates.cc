#include "pactum/domain/messaging/templates.h"

#include <algorithm>
#include <cctype>

namespace pactum::domain::messaging {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const std::string* find_value(const TemplateValues& values, std::string_view name) {
  for (const auto& [key, value] : values) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

bool is_placeholder_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

// fill replaces every {name} of text, marking each value used.
DomainResult<std::string> fill(std::string_view text, const MessageTemplate& message_template,
                               const TemplateValues& values, std::vector<bool>& used) {
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    const std::string_view name =
        close == std::string_view::npos ? text.substr(i + 1) : text.substr(i + 1, close - i - 1);
    if (close == std::string_view::npos || name.empty() ||
        !std::all_of(name.begin(), name.end(), is_placeholder_char)) {
      return refuse(DomainErrorCode::kInternal,
                    "template " + std::string(message_template.name) + ": bad placeholder");
    }
    const std::string* value = find_value(values, name);
    if (value == nullptr) {
      return refuse(DomainErrorCode::kInternal, "template " + std::string(message_template.name) +
                                                    ": no value for {" + std::string(name) + "}");
    }
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (values[k].first == name) {
        used[k] = true;
      }
    }
    out += *value;
    i = close;
  }
  return out;
}

}  // namespace

std::optional<Language> parse_language(std::string_view text) {
  const std::string value = lower(text);
  const std::string base = value.substr(0, value.find_first_of("-_"));
  if (base == "zh") {
    return Language::kZh;
  }
  if (base == "en") {
    return Language::kEn;
  }
  return std::nullopt;
}

std::string_view language_name(Language language) {
  return language == Language::kEn ? "en" : "zh";
}

DomainResult<RenderedText> render_template(const MessageTemplate& message_template,
                                           Language language, const TemplateValues& values) {
  const LocalizedText& source =
      language == Language::kEn ? message_template.en : message_template.zh;
  std::vector<bool> used(values.size(), false);
  auto subject = fill(source.subject, message_template, values, used);
  if (!subject) {
    return std::unexpected(subject.error());
  }
  auto text = fill(source.text, message_template, values, used);
  if (!text) {
    return std::unexpected(text.error());
  }
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!used[k]) {
      return refuse(DomainErrorCode::kInternal, "template " + std::string(message_template.name) +
                                                    ": {" + std::string(values[k].first) +
                                                    "} is not used");
    }
  }
  return RenderedText{std::move(*subject), std::move(*text)};
}

DomainResult<OutgoingMessage> compose_message(Channel channel, std::string to,
                                              const MessageTemplate& message_template,
                                              Language language, const TemplateValues& values) {
  auto rendered = render_template(message_template, language, values);
  if (!rendered) {
    return std::unexpected(rendered.error());
  }
  OutgoingMessage message;
  message.channel = channel;
  message.to = std::move(to);
  message.subject = std::move(rendered->subject);
  message.text = std::move(rendered->text);
  if (const std::string* link = find_value(values, "link")) {
    message.link = *link;
  }
  if (const std::string* code = find_value(values, "code")) {
    message.code = *code;
  }
  return message;
}

}  // namespace pactum::domain::messaging
