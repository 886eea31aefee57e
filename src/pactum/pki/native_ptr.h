#pragma once

// Ownership of the C objects the pki layer uses that crypto::UniquePtr does not cover: the
// OpenSSL TS (RFC 3161), PKCS7 and ASN1_OBJECT types, and libcurl handles. Internal to pactum::pki.
// (crypto::UniquePtr dispatches through the free_native overloads of crypto/openssl_error.h;
// adding TS types there would let this header shrink to nothing.)

#include <memory>

namespace pactum::pki {

// FreeWith is a deleter calling one C free function, which must accept nullptr or never see it
// (std::unique_ptr does not call its deleter on nullptr).
template <auto Free>
struct FreeWith {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

// OwnedBy owns one C object of type T and releases it with Free.
template <typename T, auto Free>
using OwnedBy = std::unique_ptr<T, FreeWith<Free>>;

}  // namespace pactum::pki
