#pragma once

// The part of a PDF signature that every kind shares (a CAdES signature, a document
// time-stamp): a signature dictionary written with placeholders for /ByteRange and /Contents,
// then, once the update is laid out, the byte range filled in, the covered bytes hashed and the
// value patched into /Contents in place.

#include <string>

#include <qpdf/QPDFObjGen.hh>

#include "pactum/base/byte_source.h"
#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"
#include "pactum/pdf/incremental_writer.h"

namespace pactum::pdf {

// SignaturePlaceholder is the text of a signature dictionary and where its placeholders sit.
struct SignaturePlaceholder {
  std::string text;
  std::size_t byte_range_at = 0;  // index of '[' of /ByteRange
  std::size_t contents_at = 0;    // index of '<' of /Contents
  std::size_t capacity = 0;       // bytes /Contents can hold
};

// make_placeholder finishes a signature dictionary: head is its text up to (not including) the
// closing ">>"; /ByteRange (room for any offsets) and /Contents (capacity zero bytes) follow.
SignaturePlaceholder make_placeholder(std::string head, std::size_t capacity);

// fill_byte_range writes the final /ByteRange of the placeholder, the body of new object og in
// update, to cover everything but /Contents (the original source, then update), and returns the
// digest of those bytes under algorithm. Fails with kIo when the source cannot be read.
Result<Bytes> fill_byte_range(const ByteSource& original, IncrementalUpdate& update, QPDFObjGen og,
                              const SignaturePlaceholder& placeholder,
                              crypto::DigestAlgorithm algorithm);

// fill_contents writes value, hex-encoded, into the /Contents placeholder of og; returns false
// (and writes nothing) when value is larger than the placeholder's capacity.
bool fill_contents(IncrementalUpdate& update, QPDFObjGen og,
                   const SignaturePlaceholder& placeholder, ByteView value);

}  // namespace pactum::pdf
