#pragma once

#include <string>

namespace pactum::domain::intent {

// IntentBinding is what one confirmation of intent is for: one party (party_key) of one contract
// (contract_id) in one signing attempt (signing_id). All three are opaque strings chosen by the
// contract flow; a code sent for one binding never confirms another, and a proof names the
// binding it was made for.
struct IntentBinding {
  std::string contract_id;
  std::string party_key;
  std::string signing_id;

  // value returns the binding as one unambiguous string (each part length-prefixed, so
  // ("a:b", "c") and ("a", "b:c") differ), what challenges are bound to.
  [[nodiscard]] std::string value() const {
    return std::to_string(contract_id.size()) + ":" + contract_id + "|" +
           std::to_string(party_key.size()) + ":" + party_key + "|" +
           std::to_string(signing_id.size()) + ":" + signing_id;
  }

  friend bool operator==(const IntentBinding&, const IntentBinding&) = default;
};

}  // namespace pactum::domain::intent
