#pragma once

#include <string_view>

namespace pactum::domain {

// is_printable_utf8 returns true if text is well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF) without C0/C1 control characters or DEL. Names, and every other
// free text a use case stores, must pass it.
bool is_printable_utf8(std::string_view text);

}  // namespace pactum::domain
