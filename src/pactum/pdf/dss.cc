#include "pactum/pdf/dss.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <qpdf/Buffer.hh>

#include "pactum/crypto/digest.h"
#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

// kMaxItems bounds how many entries one array or the VRI dictionary may contribute, so a crafted
// DSS cannot make a reader decode without end.
constexpr std::size_t kMaxItems = 10000;

// read_streams decodes the streams of array `key` of dict into out; what cannot be read is
// named in problems under `where`.
void read_streams(QPDFObjectHandle dict, const std::string& key, const std::string& where,
                  std::vector<Bytes>& out, std::vector<std::string>& problems) {
  QPDFObjectHandle array = dict.getKey(key);
  if (array.isNull()) {
    return;
  }
  if (!array.isArray()) {
    problems.push_back(fmt::format("{}{} is not an array", where, key));
    return;
  }
  const int count = array.getArrayNItems();
  for (int i = 0; i < count; ++i) {
    if (out.size() >= kMaxItems) {
      problems.push_back(fmt::format("{}{} has more than {} items; the rest were skipped", where,
                                     key, kMaxItems));
      return;
    }
    QPDFObjectHandle item = array.getArrayItem(i);
    if (!item.isStream()) {
      problems.push_back(fmt::format("{}{}[{}] is not a stream", where, key, i));
      continue;
    }
    auto data = guarded(ErrorCode::kMalformed, "cannot decode", [&] {
      const std::shared_ptr<Buffer> buffer = item.getStreamData(qpdf_dl_generalized);
      const auto* begin = buffer->getBuffer();
      return Bytes(begin, begin + buffer->getSize());
    });
    if (!data) {
      problems.push_back(
          fmt::format("{}{}[{}]: {}", where, key, i, data.error().message));
      continue;
    }
    out.push_back(std::move(*data));
  }
}

bool is_vri_key(const std::string& name) {
  return name.size() == 41 && std::all_of(name.begin() + 1, name.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) != 0 ||
                  (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
         });
}

Dss read_dictionary(QPDFObjectHandle dss) {
  Dss out;
  read_streams(dss, "/Certs", "/DSS", out.certs, out.problems);
  read_streams(dss, "/OCSPs", "/DSS", out.ocsps, out.problems);
  read_streams(dss, "/CRLs", "/DSS", out.crls, out.problems);
  QPDFObjectHandle vri = dss.getKey("/VRI");
  if (vri.isNull()) {
    return out;
  }
  if (!vri.isDictionary()) {
    out.problems.emplace_back("/DSS/VRI is not a dictionary");
    return out;
  }
  for (auto& [name, value] : vri.ditems()) {
    if (out.vri.size() >= kMaxItems) {
      out.problems.push_back(
          fmt::format("/DSS/VRI has more than {} entries; the rest were skipped", kMaxItems));
      break;
    }
    if (!is_vri_key(name)) {
      out.problems.push_back(fmt::format("/DSS/VRI key {} is not a SHA-1 in hex", name));
      continue;
    }
    if (!value.isDictionary()) {
      out.problems.push_back(fmt::format("/DSS/VRI{} is not a dictionary", name));
      continue;
    }
    std::string key = name.substr(1);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return static_cast<char>(std::toupper(c)); });
    const std::string where = fmt::format("/DSS/VRI{}", name);
    VriEntry entry;
    read_streams(value, "/Cert", where, entry.certs, out.problems);
    read_streams(value, "/OCSP", where, entry.ocsps, out.problems);
    read_streams(value, "/CRL", where, entry.crls, out.problems);
    QPDFObjectHandle tu = value.getKey("/TU");
    if (tu.isString()) {
      entry.tu = tu.getStringValue();
    }
    out.vri.insert_or_assign(std::move(key), std::move(entry));
  }
  return out;
}

}  // namespace

std::string vri_key(ByteView contents) {
  std::string key = to_hex(crypto::sha1_of(contents));
  std::transform(key.begin(), key.end(), key.begin(),
                 [](char c) { return static_cast<char>(std::toupper(c)); });
  return key;
}

Result<std::optional<Dss>> read_dss(QPDF& qpdf) {
  auto read = guarded(ErrorCode::kMalformed, "cannot read the document security store",
                      [&]() -> Result<std::optional<Dss>> {
                        QPDFObjectHandle dss = qpdf.getRoot().getKey("/DSS");
                        if (dss.isNull()) {
                          return std::nullopt;
                        }
                        if (!dss.isDictionary()) {
                          return fail(ErrorCode::kMalformed,
                                      "the catalog's /DSS is not a dictionary");
                        }
                        return read_dictionary(dss);
                      });
  if (!read) {
    return std::unexpected(read.error());
  }
  return std::move(*read);
}

}  // namespace pactum::pdf
