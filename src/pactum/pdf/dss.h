#pragma once

// The Document Security Store (ETSI EN 319 142-1 5.4, ISO 32000-2 12.8.4.3): the validation
// data (certificates, OCSP responses, CRLs) that makes a PAdES signature B-LT, in the /DSS
// dictionary of the document catalog, with per-signature VRI dictionaries.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::pdf {

// VriEntry is the validation data that one signature (or document timestamp) needs, as listed
// by its VRI dictionary. The bytes are DER, decoded from the referenced streams.
struct VriEntry {
  std::vector<Bytes> certs;
  std::vector<Bytes> ocsps;
  std::vector<Bytes> crls;
  std::optional<std::string> tu;  // /TU as written (a PDF date), when present
};

// Dss is the content of a /DSS dictionary as plain DER byte vectors: every certificate, OCSP
// response (the whole OCSPResponse) and CRL of the document-wide arrays, and the VRI entries
// keyed by vri_key() of the signature they belong to.
struct Dss {
  std::vector<Bytes> certs;
  std::vector<Bytes> ocsps;
  std::vector<Bytes> crls;
  std::map<std::string, VriEntry> vri;
  // problems describes entries that were skipped: an item that is not a stream, a stream that
  // cannot be decoded, a VRI key that is not 40 hex digits. The validator may report them.
  std::vector<std::string> problems;

  [[nodiscard]] bool empty() const {
    return certs.empty() && ocsps.empty() && crls.empty() && vri.empty();
  }
};

// vri_key returns the key of a signature's VRI dictionary: the upper-case hexadecimal SHA-1 of
// the bytes of its /Contents string as stored (the whole decoded string, padding included), for
// CAdES signatures and document timestamps alike.
std::string vri_key(ByteView contents);

// read_dss reads the /DSS dictionary of the catalog of an opened document (any revision the
// caller opened); nullopt when there is none. Items that cannot be read are skipped and named in
// problems. Fails with kMalformed only when /DSS exists but is not a dictionary or qpdf cannot
// read the structure at all.
Result<std::optional<Dss>> read_dss(QPDF& qpdf);

}  // namespace pactum::pdf
