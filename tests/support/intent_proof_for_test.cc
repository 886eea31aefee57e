// The test-only maker of IntentProof, for tests of code that consumes a proof (hosted keys,
// signing). Built only into pactum_intent_proof_for_test, which no program links.

#include "pactum/domain/intent/intent_proof.h"

namespace pactum::domain::intent {

IntentProof intent_proof_for_test(IntentBinding binding, std::vector<IntentMethod> methods,
                                  std::chrono::system_clock::time_point confirmed_at) {
  return IntentProof(std::move(binding), std::move(methods), confirmed_at);
}

}  // namespace pactum::domain::intent
