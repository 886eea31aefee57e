#include "pactum/pdf/dss_writer.h"

#include <map>
#include <set>

#include <fmt/format.h>
#include <qpdf/Buffer.hh>

#include "pactum/pdf/pades_signer.h"
#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

// ItemArray is one of the document-wide arrays being rebuilt: the existing items in their order,
// then the new ones, and the decoded bytes of every stream in it, so identical DER is stored
// once.
class ItemArray {
 public:
  ItemArray(IncrementalWriter& writer, QPDFObjectHandle existing, const std::string& key)
      : writer_(writer), array_(QPDFObjectHandle::newArray()) {
    if (existing.isNull()) {
      return;
    }
    if (!existing.isArray()) {
      throw std::runtime_error(fmt::format("/DSS{} is not an array", key));
    }
    for (auto& item : existing.aitems()) {
      array_.appendItem(item);
      if (item.isStream()) {
        try {
          const std::shared_ptr<Buffer> data = item.getStreamData(qpdf_dl_generalized);
          const auto* begin = data->getBuffer();
          by_bytes_.try_emplace(Bytes(begin, begin + data->getSize()), item);
        } catch (const std::exception&) {
          // kept as it is, but not a match for anything new
        }
      }
    }
  }

  // reference returns the stream holding der, adding one when there is none yet.
  QPDFObjectHandle reference(const Bytes& der) {
    if (const auto it = by_bytes_.find(der); it != by_bytes_.end()) {
      return it->second;
    }
    QPDFObjectHandle stream = writer_.add_stream(QPDFObjectHandle::newDictionary(), der);
    array_.appendItem(stream);
    by_bytes_.emplace(der, stream);
    ++added_;
    return stream;
  }

  [[nodiscard]] QPDFObjectHandle array() const { return array_; }
  [[nodiscard]] std::size_t added() const { return added_; }

 private:
  IncrementalWriter& writer_;
  QPDFObjectHandle array_;
  std::map<Bytes, QPDFObjectHandle> by_bytes_;
  std::size_t added_ = 0;
};

// merged_array returns the items of existing (an array or null) followed by those of refs that
// it does not already hold.
QPDFObjectHandle merged_array(QPDFObjectHandle existing, const std::vector<QPDFObjectHandle>& refs) {
  QPDFObjectHandle out = QPDFObjectHandle::newArray();
  std::set<QPDFObjGen> present;
  if (existing.isArray()) {
    for (auto& item : existing.aitems()) {
      out.appendItem(item);
      if (item.isIndirect()) {
        present.insert(item.getObjGen());
      }
    }
  }
  for (const auto& ref : refs) {
    if (present.insert(ref.getObjGen()).second) {
      out.appendItem(ref);
    }
  }
  return out;
}

// set_or_remove sets key of dict to array, or removes the key when the array is empty.
void set_or_remove(QPDFObjectHandle dict, const std::string& key, QPDFObjectHandle array) {
  if (array.getArrayNItems() == 0) {
    dict.removeKey(key);
  } else {
    dict.replaceKey(key, std::move(array));
  }
}

std::vector<QPDFObjectHandle> references(ItemArray& array, const std::vector<Bytes>& items) {
  std::vector<QPDFObjectHandle> out;
  out.reserve(items.size());
  for (const Bytes& der : items) {
    out.push_back(array.reference(der));
  }
  return out;
}

}  // namespace

Result<DssCounts> add_dss(PdfDocument& document, IncrementalWriter& writer,
                          const DssAddition& addition,
                          std::optional<std::chrono::system_clock::time_point> tu) {
  return guarded(ErrorCode::kMalformed, "cannot update the document security store", [&] {
    QPDFObjectHandle root = document.qpdf().getRoot();
    QPDFObjectHandle dss = root.getKey("/DSS");
    const bool had_dss = !dss.isNull();
    if (had_dss && !dss.isDictionary()) {
      throw std::runtime_error("the catalog's /DSS is not a dictionary");
    }
    // The DSS is written anew as a new object and the catalog pointed at it; the old dictionary
    // stays as it was, so a validator sees only the catalog's /DSS change.
    dss = had_dss ? dss.shallowCopy() : QPDFObjectHandle::parse("<< /Type /DSS >>");
    ItemArray certs(writer, dss.getKey("/Certs"), "/Certs");
    ItemArray ocsps(writer, dss.getKey("/OCSPs"), "/OCSPs");
    ItemArray crls(writer, dss.getKey("/CRLs"), "/CRLs");
    references(certs, addition.certs);
    references(ocsps, addition.ocsps);
    references(crls, addition.crls);

    QPDFObjectHandle old_vri = dss.getKey("/VRI");
    if (!old_vri.isNull() && !old_vri.isDictionary()) {
      throw std::runtime_error("/DSS/VRI is not a dictionary");
    }
    QPDFObjectHandle vri = QPDFObjectHandle::newDictionary();
    if (old_vri.isDictionary()) {
      for (auto& [key, value] : old_vri.ditems()) {
        vri.replaceKey(key, value);
      }
    }
    DssCounts counts;
    for (const auto& [hex, entry] : addition.vri) {
      const std::string key = "/" + hex;
      QPDFObjectHandle old_entry = vri.getKey(key);
      QPDFObjectHandle merged = old_entry.isDictionary() ? old_entry.shallowCopy()
                                                         : QPDFObjectHandle::newDictionary();
      set_or_remove(merged, "/Cert",
                    merged_array(merged.getKey("/Cert"), references(certs, entry.certs)));
      set_or_remove(merged, "/OCSP",
                    merged_array(merged.getKey("/OCSP"), references(ocsps, entry.ocsps)));
      set_or_remove(merged, "/CRL",
                    merged_array(merged.getKey("/CRL"), references(crls, entry.crls)));
      if (tu) {
        merged.replaceKey("/TU", QPDFObjectHandle::newString(format_pdf_date(*tu)));
      }
      vri.replaceKey(key, merged);
      ++counts.vri;
    }
    counts.certs = certs.added();
    counts.ocsps = ocsps.added();
    counts.crls = crls.added();

    set_or_remove(dss, "/Certs", certs.array());
    set_or_remove(dss, "/OCSPs", ocsps.array());
    set_or_remove(dss, "/CRLs", crls.array());
    if (vri.getKeys().empty()) {
      dss.removeKey("/VRI");
    } else {
      dss.replaceKey("/VRI", vri);
    }
    QPDFObjectHandle reference = writer.add_object(dss);
    root.replaceKey("/DSS", reference);
    if (had_dss) {
      writer.mark_changed(root);
    } else {
      writer.edit_original(root, {DictEdit::Kind::kInsertKey, "/DSS", reference.unparse()});
    }
    return counts;
  });
}

}  // namespace pactum::pdf
