#pragma once

// Message templates in Chinese and English. A template is plain data (a name and, per language, a
// subject and a text with {placeholders}); any component defines its own as constants beside its
// use case and renders them here, so adding an invitation or a reminder needs no change to this
// file. The intent, sign-up and signing-password templates live in intent_templates.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/messaging/senders.h"

namespace pactum::domain::messaging {

// Language is the language a message is written in. Chinese is the default.
enum class Language : std::uint8_t { kZh, kEn };

// parse_language reads "zh" or "en", optionally with a region ("zh-CN", "en_GB"), any case;
// nullopt otherwise.
std::optional<Language> parse_language(std::string_view text);

// language_name returns "zh" or "en".
std::string_view language_name(Language language);

// LocalizedText is one language's subject (e-mail only) and text.
struct LocalizedText {
  std::string_view subject;
  std::string_view text;
};

// MessageTemplate is a message in both languages. Placeholders are `{name}` with name made of
// [a-z_]; "{{" is a literal "{". The values "link" and "code", when given, are also copied into
// the outgoing message's link and code (see OutgoingMessage).
struct MessageTemplate {
  std::string_view name;
  LocalizedText zh;
  LocalizedText en;
};

// TemplateValues are the placeholder values of one rendering.
using TemplateValues = std::vector<std::pair<std::string_view, std::string>>;

// RenderedText is a template filled in.
struct RenderedText {
  std::string subject;
  std::string text;
};

// render_template fills in the template's text for language. kInternal (a bug in the template
// or its caller, never user input) naming the placeholder when one has no value or is
// unterminated, or when a value is given that the template does not use.
DomainResult<RenderedText> render_template(const MessageTemplate& message_template,
                                           Language language, const TemplateValues& values);

// compose_message renders the template and addresses it: channel, to, subject and text, and link
// and code from the values of those names. Errors as render_template.
DomainResult<OutgoingMessage> compose_message(Channel channel, std::string to,
                                              const MessageTemplate& message_template,
                                              Language language, const TemplateValues& values);

}  // namespace pactum::domain::messaging
