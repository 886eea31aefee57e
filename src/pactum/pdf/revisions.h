#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pactum/base/byte_source.h"
#include "pactum/base/error.h"

namespace pactum::pdf {

// Revision is one revision of a PDF as its cross-reference chain defines it: the bytes from the
// start of the file to the end of the %%EOF marker whose `startxref` names a section of the
// chain.
struct Revision {
  std::uint64_t eof_end = 0;    // offset just after "%%EOF"
  std::uint64_t end = 0;        // eof_end plus the end-of-line that follows, if any
  std::uint64_t startxref = 0;  // the cross-reference section this revision's tail names
};

// RevisionChain is every revision of a file, oldest first, and what in the file's tail structure
// is not accounted for by them.
struct RevisionChain {
  std::vector<Revision> revisions;
  // problems describes bytes or markers that no revision accounts for: data appended after the
  // last revision, a %%EOF that repeats an earlier revision's startxref, a /Prev loop. Each is an
  // alteration that a reader may or may not see, so the validator reports it.
  std::vector<std::string> problems;
};

// find_revision_chain follows the cross-reference chain from the file's last startxref through
// /Prev (tables and xref streams, at most kMaxXrefSections sections) and matches each section
// with the %%EOF marker whose startxref names it. A linearized file's first-page section (named
// by no revision tail) belongs to the revision that reaches it. Fails with kMalformed when the
// file has no usable tail (no startxref/%%EOF, or it names no cross-reference section), and kIo
// when the source cannot be read.
Result<RevisionChain> find_revision_chain(const ByteSource& source);

}  // namespace pactum::pdf
