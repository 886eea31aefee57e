#pragma once

#include "pactum/domain/domain_error.h"
#include "pactum/domain/messaging/senders.h"

namespace pactum::domain::messaging {

// dispatch sends message through the node's sender of its channel and turns a failure into the
// domain's vocabulary: kUnavailable when the node has no sender of that kind or every provider
// was down, timed out or answered garbage; kInvalidInput naming the recipient when a provider
// definitely refused the message (a number or address it will not deliver to). The messages
// name the provider and the failure, never the text.
DomainResult<SendReceipt> dispatch(const Messaging& messaging, const OutgoingMessage& message);

}  // namespace pactum::domain::messaging
