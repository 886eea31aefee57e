#pragma once

// IntentProof: the only evidence a hosted key accepts that its owner confirmed this signing. It
// has no public constructor: the intent check (IntentVerifier, intent_check.h) makes one after
// every required method passed, so code that signs with a hosted key and takes an IntentProof
// cannot be reached without that check. (Tests of code that consumes a proof build one with
// intent_proof_for_test, defined only in the test support library, never in libpactum.)

#include <chrono>
#include <utility>
#include <vector>

#include "pactum/domain/intent/intent_binding.h"
#include "pactum/domain/intent/intent_method.h"

namespace pactum::domain::intent {

class IntentVerifier;
class IntentProof;

// intent_proof_for_test makes a proof without any check. Declared here so it can be a friend;
// defined only in tests/support (intent_proof_for_test.cc), so a production binary that called
// it would not link.
IntentProof intent_proof_for_test(IntentBinding binding, std::vector<IntentMethod> methods,
                                  std::chrono::system_clock::time_point confirmed_at);

// IntentProof records what was confirmed: the binding (contract, party, signing attempt), the
// methods that passed, and when. Copyable, so the signing path may pass it down by value.
class IntentProof {
 public:
  [[nodiscard]] const IntentBinding& binding() const { return binding_; }
  [[nodiscard]] const std::vector<IntentMethod>& methods() const { return methods_; }
  [[nodiscard]] std::chrono::system_clock::time_point confirmed_at() const { return confirmed_at_; }

  // covers returns true if the proof was made for exactly this binding; a signing checks it
  // before using the key, so a proof of one signing never authorises another.
  [[nodiscard]] bool covers(const IntentBinding& binding) const { return binding_ == binding; }

  // confirmed returns true if method was among those that passed.
  [[nodiscard]] bool confirmed(IntentMethod method) const {
    for (const IntentMethod m : methods_) {
      if (m == method) {
        return true;
      }
    }
    return false;
  }

 private:
  friend class IntentVerifier;
  friend IntentProof intent_proof_for_test(IntentBinding binding, std::vector<IntentMethod> methods,
                                           std::chrono::system_clock::time_point confirmed_at);

  IntentProof(IntentBinding binding, std::vector<IntentMethod> methods,
              std::chrono::system_clock::time_point confirmed_at)
      : binding_(std::move(binding)), methods_(std::move(methods)), confirmed_at_(confirmed_at) {}

  IntentBinding binding_;
  std::vector<IntentMethod> methods_;
  std::chrono::system_clock::time_point confirmed_at_;
};

}  // namespace pactum::domain::intent
