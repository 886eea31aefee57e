// What later revisions changed after a signature, classified as allowed or disallowed.
//
// Allowed: new objects; additions to the AcroForm's /Fields and a change of /SigFlags; additions
// to a page's /Annots; a value (/V) and appearance (/AP) given to a signature field that had
// none; a /DSS in the catalog (document time-stamps are signature fields); form filling (/V, /AP,
// /AS of a form field and its widgets, and their appearance streams) unless DocMDP P=1 or a
// FieldMDP lock of the signature forbids it; new or changed annotations when no certification
// forbids them (DocMDP P=3 or no certification). Everything else that differs between the signed
// revision and the final one is disallowed: changed, deleted or replaced original objects (page
// content, resources, fonts, ...), entries removed from /Fields or /Annots, new non-signature
// form fields, and any change at all under P=1.
//
// Shadow attacks hide content in the signed revision where nothing uses it, then make it
// visible with an update that only changes references. So any reference that a changed or new
// object makes to an object that existed, unused, in the signed revision is disallowed, whatever
// the change that carries it.

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "pactum/pdf/form_fields.h"
#include "pactum/pdf/qpdf_guard.h"
#include "pactum/pdf/validator_internal.h"

namespace pactum::pdf::validation {
namespace {

constexpr std::size_t kMaxChangeFindings = 40;
// kMaxWalk bounds the objects visited when following references (damaged or hostile files).
constexpr std::size_t kMaxWalk = 2'000'000;

enum class Role : std::uint8_t {
  kOther,
  kRoot,
  kAcroForm,
  kFieldsArray,
  kPage,
  kAnnotsArray,
  kPageContents,
  kPageResources,
  kSigField,
  kSigWidget,
  kFormField,   // a field that is not a signature field
  kFormWidget,  // its widget
  kAppearance,  // an appearance stream (or appearance subdictionary) of a widget
  kAnnotation,  // an annotation of a page that is not a widget
};

struct RoleInfo {
  Role role = Role::kOther;
  int page = 0;  // 1-based page for page roles
  bool signed_field = false;
  std::string field;  // field name for field roles
};

RoleInfo on_page(Role role, int page = 0) { return {role, page, false, {}}; }

// Roles maps the objects of the signed revision that later revisions may touch to what they are.
using Roles = std::map<QPDFObjGen, RoleInfo>;

void set_role(Roles& roles, QPDFObjectHandle object, RoleInfo info) {
  if (object.isIndirect()) {
    roles.try_emplace(object.getObjGen(), std::move(info));
  }
}

Roles find_roles(QPDF& qpdf) {
  Roles roles;
  QPDFObjectHandle root = qpdf.getRoot();
  set_role(roles, root, on_page(Role::kRoot));
  QPDFObjectHandle form = root.getKey("/AcroForm");
  set_role(roles, form, on_page(Role::kAcroForm));
  set_role(roles, form.getKey("/Fields"), on_page(Role::kFieldsArray));
  int number = 0;
  for (auto& page : QPDFPageDocumentHelper(qpdf).getAllPages()) {
    ++number;
    QPDFObjectHandle dict = page.getObjectHandle();
    set_role(roles, dict, on_page(Role::kPage, number));
    set_role(roles, dict.getKey("/Annots"), on_page(Role::kAnnotsArray, number));
    set_role(roles, dict.getKey("/Resources"), on_page(Role::kPageResources, number));
    QPDFObjectHandle contents = dict.getKey("/Contents");
    set_role(roles, contents, on_page(Role::kPageContents, number));
    if (contents.isArray()) {
      for (auto& item : contents.aitems()) {
        set_role(roles, item, on_page(Role::kPageContents, number));
      }
    }
  }
  for (FormField& field : terminal_fields(qpdf)) {
    const bool is_sig = field.type == "/Sig";
    const bool is_signed = is_sig && !field.value.isNull();
    set_role(roles, field.object,
             {is_sig ? Role::kSigField : Role::kFormField, 0, is_signed, field.name});
    std::vector<QPDFObjectHandle> widgets{field.object};
    QPDFObjectHandle kids = field.object.getKey("/Kids");
    if (kids.isArray()) {
      for (auto& kid : kids.aitems()) {
        set_role(roles, kid,
                 {is_sig ? Role::kSigWidget : Role::kFormWidget, 0, is_signed, field.name});
        widgets.push_back(kid);
      }
    }
    for (QPDFObjectHandle& widget : widgets) {
      QPDFObjectHandle ap = widget.getKey("/AP");
      set_role(roles, ap, {Role::kAppearance, 0, is_signed, field.name});
      if (!ap.isDictionary()) {
        continue;
      }
      for (auto& [key, entry] : ap.ditems()) {
        set_role(roles, entry, {Role::kAppearance, 0, is_signed, field.name});
        if (entry.isDictionary() && !entry.isStream()) {
          for (auto& [state, stream] : entry.ditems()) {
            set_role(roles, stream, {Role::kAppearance, 0, is_signed, field.name});
          }
        }
      }
    }
  }
  number = 0;
  for (auto& page : QPDFPageDocumentHelper(qpdf).getAllPages()) {
    ++number;
    QPDFObjectHandle annots = page.getObjectHandle().getKey("/Annots");
    if (!annots.isArray()) {
      continue;
    }
    for (auto& annot : annots.aitems()) {
      if (!annot.getKey("/Subtype").isNameAndEquals("/Widget")) {
        set_role(roles, annot, on_page(Role::kAnnotation, number));
      }
    }
  }
  return roles;
}

// fingerprint is an object's content as text: its unparsed value (references stay references)
// and, for a stream, its raw data.
std::string fingerprint(QPDFObjectHandle object) {
  if (object.isStream()) {
    std::string out = object.getDict().unparse();
    auto data = object.getRawStreamData();
    out += "\nstream\n";
    out.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());  // NOLINT
    return out;
  }
  return object.unparseResolved();  // the object's own text; what it refers to stays a reference
}

std::set<std::string> changed_keys(QPDFObjectHandle before, QPDFObjectHandle after) {
  std::set<std::string> keys;
  if (!before.isDictionary() || !after.isDictionary()) {
    keys.insert("(the whole object)");
    return keys;
  }
  std::set<std::string> all = before.getKeys();
  const std::set<std::string> later = after.getKeys();
  all.insert(later.begin(), later.end());
  for (const std::string& key : all) {
    if (before.getKey(key).unparse() != after.getKey(key).unparse()) {
      keys.insert(key);
    }
  }
  return keys;
}

// added_items returns the items of after that before lacks, or nullopt when after lacks an item
// of before (something was removed) or either is not an array. A missing before counts as empty.
std::optional<std::vector<QPDFObjectHandle>> added_items(QPDFObjectHandle before,
                                                         QPDFObjectHandle after) {
  if (!after.isArray() || (!before.isArray() && !before.isNull())) {
    return std::nullopt;
  }
  std::multiset<std::string> old_items;
  if (before.isArray()) {
    for (auto& item : before.aitems()) {
      old_items.insert(item.unparse());
    }
  }
  std::vector<QPDFObjectHandle> added;
  for (auto& item : after.aitems()) {
    const auto it = old_items.find(item.unparse());
    if (it != old_items.end()) {
      old_items.erase(it);
    } else {
      added.push_back(item);
    }
  }
  if (!old_items.empty()) {
    return std::nullopt;
  }
  return added;
}

class Classifier {
 public:
  Classifier(QPDF& signed_revision, QPDF& final_revision, std::optional<int> docmdp,
             const std::optional<FieldLock>& lock, std::vector<Finding>& out)
      : before_(signed_revision), after_(final_revision), docmdp_(docmdp), lock_(lock),
        out_(out) {}

  void run() {
    const auto before_xref = before_.getXRefTable();
    const auto after_xref = after_.getXRefTable();
    if (docmdp_ == 1) {
      disallow("change.docmdp_no_changes",
               "the document is certified with no changes allowed (DocMDP P=1), but later "
               "revisions follow");
    }
    const Roles roles = find_roles(before_);
    std::vector<QPDFObjGen> touched;  // changed or new objects of the final revision
    for (const auto& [og, entry] : before_xref) {
      const auto later = after_xref.find(og);
      if (later == after_xref.end() || later->second.getType() == 0) {
        disallow("change.object_deleted", fmt::format("{} was deleted", describe(og, roles)));
        continue;
      }
      if (same_entry(og, entry, later->second, before_xref, after_xref)) {
        continue;
      }
      QPDFObjectHandle old_object = before_.getObject(og);
      QPDFObjectHandle new_object = after_.getObject(og);
      touched.push_back(og);
      if (fingerprint(old_object) == fingerprint(new_object)) {
        allow("change.object_rewritten",
              fmt::format("{} was written again without change", describe(og, roles)));
        continue;
      }
      const auto role = roles.find(og);
      judge(og, role == roles.end() ? RoleInfo{} : role->second, old_object, new_object);
    }
    std::size_t fresh = 0;
    for (const auto& [og, entry] : after_xref) {
      if (entry.getType() != 0 && !before_xref.contains(og)) {
        ++fresh;
        touched.push_back(og);
      }
    }
    check_shadows(touched, before_xref, roles);
    if (fresh > 0) {
      allow("change.new_objects", fmt::format("{} new object(s) were added", fresh));
    }
    if (dropped_ > 0) {
      add(out_, Severity::kError, "change.more",
          fmt::format("{} more change finding(s) not listed", dropped_));
    }
  }

 private:
  static bool same_entry(QPDFObjGen og, const QPDFXRefEntry& a, const QPDFXRefEntry& b,
                         const std::map<QPDFObjGen, QPDFXRefEntry>& before_xref,
                         const std::map<QPDFObjGen, QPDFXRefEntry>& after_xref) {
    if (a.getType() != b.getType()) {
      return false;
    }
    if (a.getType() == 1) {
      return a.getOffset() == b.getOffset();
    }
    if (a.getType() == 2 && a.getObjStreamNumber() == b.getObjStreamNumber() &&
        a.getObjStreamIndex() == b.getObjStreamIndex()) {
      const QPDFObjGen stream(a.getObjStreamNumber(), 0);
      const auto x = before_xref.find(stream);
      const auto y = after_xref.find(stream);
      return stream != og && x != before_xref.end() && y != after_xref.end() &&
             x->second.getType() == 1 && y->second.getType() == 1 &&
             x->second.getOffset() == y->second.getOffset();
    }
    return false;
  }

  static std::string describe(QPDFObjGen og, const Roles& roles) {
    const auto it = roles.find(og);
    const std::string id = fmt::format("object {} {}", og.getObj(), og.getGen());
    if (it == roles.end()) {
      return id;
    }
    const RoleInfo& r = it->second;
    switch (r.role) {
      case Role::kRoot:
        return fmt::format("the document catalog ({})", id);
      case Role::kAcroForm:
        return fmt::format("the AcroForm ({})", id);
      case Role::kFieldsArray:
        return fmt::format("the AcroForm /Fields array ({})", id);
      case Role::kPage:
        return fmt::format("page {} ({})", r.page, id);
      case Role::kAnnotsArray:
        return fmt::format("the /Annots of page {} ({})", r.page, id);
      case Role::kPageContents:
        return fmt::format("the content stream of page {} ({})", r.page, id);
      case Role::kPageResources:
        return fmt::format("the resources of page {} ({})", r.page, id);
      case Role::kSigField:
        return fmt::format("signature field \"{}\" ({})", r.field, id);
      case Role::kSigWidget:
        return fmt::format("the widget of signature field \"{}\" ({})", r.field, id);
      case Role::kFormField:
        return fmt::format("form field \"{}\" ({})", r.field, id);
      case Role::kFormWidget:
        return fmt::format("the widget of form field \"{}\" ({})", r.field, id);
      case Role::kAppearance:
        return fmt::format("an appearance of field \"{}\" ({})", r.field, id);
      case Role::kAnnotation:
        return fmt::format("an annotation on page {} ({})", r.page, id);
      case Role::kOther:
        break;
    }
    return id;
  }

  // check_shadows disallows references from touched objects to objects that existed in the
  // signed revision without being used there.
  void check_shadows(const std::vector<QPDFObjGen>& touched,
                     const std::map<QPDFObjGen, QPDFXRefEntry>& before_xref, const Roles& roles) {
    std::set<QPDFObjGen> candidates;
    for (const QPDFObjGen& og : touched) {
      QPDFObjectHandle object = after_.getObject(og);
      std::vector<QPDFObjectHandle> stack;
      stack.push_back(object.isStream() ? object.getDict() : object);
      for (std::size_t steps = 0; !stack.empty() && steps < kMaxWalk; ++steps) {
        QPDFObjectHandle item = stack.back();
        stack.pop_back();
        if (item.isIndirect() && item.getObjGen() != og) {
          const QPDFObjGen target = item.getObjGen();
          const auto entry = before_xref.find(target);
          if (entry != before_xref.end() && entry->second.getType() != 0 &&
              !roles.contains(target)) {
            candidates.insert(target);
          }
          continue;
        }
        push_children(item, stack);
      }
    }
    if (candidates.empty()) {
      return;
    }
    const std::set<QPDFObjGen> used = reachable(before_);
    for (const QPDFObjGen& og : candidates) {
      if (!used.contains(og)) {
        disallow("change.shadow",
                 fmt::format("object {} {} was present but unused in the signed revision, and a "
                             "later revision makes it part of the document (a shadow attack: "
                             "content hidden under the signature, revealed after it)",
                             og.getObj(), og.getGen()));
      }
    }
  }

  static void push_children(QPDFObjectHandle item, std::vector<QPDFObjectHandle>& stack) {
    if (item.isStream()) {
      stack.push_back(item.getDict());
    } else if (item.isArray()) {
      for (auto& child : item.aitems()) {
        stack.push_back(child);
      }
    } else if (item.isDictionary()) {
      for (auto& [key, child] : item.ditems()) {
        stack.push_back(child);
      }
    }
  }

  // reachable returns every object the document uses: reached from the trailer by references.
  static std::set<QPDFObjGen> reachable(QPDF& qpdf) {
    std::set<QPDFObjGen> seen;
    std::vector<QPDFObjectHandle> stack{qpdf.getTrailer()};
    for (std::size_t steps = 0; !stack.empty() && steps < kMaxWalk; ++steps) {
      QPDFObjectHandle item = stack.back();
      stack.pop_back();
      if (item.isIndirect() && !seen.insert(item.getObjGen()).second) {
        continue;
      }
      push_children(item, stack);
    }
    return seen;
  }

  // form_filling_allowed reports whether DocMDP and this signature's FieldMDP lock let the
  // field's value and appearance change.
  [[nodiscard]] bool form_filling_allowed(const std::string& field) const {
    return docmdp_ != 1 && !(lock_ && lock_->locks(field));
  }

  void judge(QPDFObjGen og, const RoleInfo& role, QPDFObjectHandle before, QPDFObjectHandle after) {
    Roles one{{og, role}};
    const std::string what = describe(og, one);
    switch (role.role) {
      case Role::kRoot:
        judge_keys(what, before, after, {"/AcroForm", "/DSS"});
        return;
      case Role::kAcroForm:
        judge_keys(what, before, after, {"/Fields", "/SigFlags"});
        return;
      case Role::kFieldsArray:
        judge_array(what, before, after, true);
        return;
      case Role::kPage:
        judge_keys(what, before, after, {"/Annots"});
        return;
      case Role::kAnnotsArray:
        judge_array(what, before, after, false);
        return;
      case Role::kSigField:
      case Role::kSigWidget:
        if (role.signed_field) {
          disallow("change.signed_field", fmt::format("{}, already signed, was changed", what));
          return;
        }
        judge_keys(what, before, after, {"/V", "/AP"});
        return;
      case Role::kFormField:
      case Role::kFormWidget:
        if (!form_filling_allowed(role.field)) {
          disallow("change.locked_field",
                   fmt::format("{} was changed, but {} forbids filling it", what,
                               docmdp_ == 1 ? std::string("DocMDP P=1")
                                            : std::string("the signature's FieldMDP lock")));
          return;
        }
        judge_keys(what, before, after, {"/V", "/AP", "/AS"}, "change.form_filled");
        return;
      case Role::kAppearance:
        if (role.signed_field || !form_filling_allowed(role.field)) {
          disallow("change.locked_field",
                   fmt::format("the appearance of field \"{}\" ({}) was changed, which is not "
                               "allowed",
                               role.field, what));
          return;
        }
        allow("change.form_filled",
              fmt::format("the appearance of field \"{}\" ({}) was updated", role.field, what));
        return;
      case Role::kAnnotation:
        if (docmdp_ && *docmdp_ < 3) {
          disallow("change.annotation_changed",
                   fmt::format("an annotation on page {} ({}) was changed, which DocMDP P={} "
                               "does not allow",
                               role.page, what, *docmdp_));
          return;
        }
        add(out_, Severity::kWarning, "change.annotation_changed",
            fmt::format("an annotation on page {} ({}) was changed (allowed, but it may cover "
                        "signed content)",
                        role.page, what));
        return;
      case Role::kPageContents:
      case Role::kPageResources:
      case Role::kOther:
        break;
    }
    disallow("change.object_changed", fmt::format("{} was changed", what));
  }

  // judge_keys allows changes to the given keys of a dictionary (arrays only by addition; a
  // direct /AcroForm by the AcroForm's own rules) and disallows any other.
  void judge_keys(const std::string& what, QPDFObjectHandle before, QPDFObjectHandle after,
                  const std::set<std::string>& allowed,
                  const char* allowed_code = "change.signature_bookkeeping") {
    for (const std::string& key : changed_keys(before, after)) {
      if (!allowed.contains(key)) {
        disallow("change.object_changed", fmt::format("{}: {} was changed", what, key));
        continue;
      }
      QPDFObjectHandle old_value = before.getKey(key);
      QPDFObjectHandle new_value = after.getKey(key);
      if (key == "/Fields" || key == "/Annots") {
        if (old_value.isIndirect() || new_value.isIndirect()) {
          if (!old_value.isNull()) {
            disallow("change.object_changed",
                     fmt::format("{}: {} was replaced by another array", what, key));
            continue;
          }
        }
        judge_array(fmt::format("{} {}", what, key), old_value, new_value, key == "/Fields");
      } else if (key == "/AcroForm" && !old_value.isNull()) {
        if (old_value.isIndirect() || new_value.isIndirect()) {
          disallow("change.object_changed",
                   fmt::format("{}: /AcroForm was replaced by another form", what));
        } else {
          judge_keys(fmt::format("{} /AcroForm", what), old_value, new_value,
                     {"/Fields", "/SigFlags"});
        }
      } else if (key == "/DSS") {
        allow("change.dss", "a document security store (/DSS) was added or updated");
      } else {
        allow(allowed_code, fmt::format("{}: {} was set", what, key));
      }
    }
  }

  // judge_array allows only additions: of signature fields (fields) or of annotations.
  void judge_array(const std::string& what, QPDFObjectHandle before, QPDFObjectHandle after,
                   bool fields) {
    const auto added = added_items(before, after);
    if (!added) {
      disallow(fields ? "change.field_removed" : "change.annotation_removed",
               fmt::format("{}: entries were removed or replaced", what));
      return;
    }
    for (QPDFObjectHandle item : *added) {
      judge_addition(what, item, fields);
    }
  }

  void judge_addition(const std::string& what, QPDFObjectHandle item, bool field) {
    const bool is_widget = item.getKey("/Subtype").isNameAndEquals("/Widget");
    QPDFObjectHandle type = item.getKey("/FT");
    if (type.isNull()) {
      type = item.getKey("/Parent").getKey("/FT");
    }
    const bool is_signature = type.isNameAndEquals("/Sig");
    if (is_signature && (field || is_widget)) {
      allow("change.signature_added", fmt::format("{}: a signature field was added", what));
      return;
    }
    if (field || is_widget) {
      disallow("change.field_added",
               fmt::format("{}: a form field that is not a signature was added", what));
      return;
    }
    const std::string subtype =
        item.getKey("/Subtype").isName() ? item.getKey("/Subtype").getName() : "(no subtype)";
    if (docmdp_ && *docmdp_ < 3) {
      disallow("change.annotation_added",
               fmt::format("{}: a {} annotation was added, which DocMDP P={} does not allow", what,
                           subtype, *docmdp_));
      return;
    }
    add(out_, Severity::kWarning, "change.annotation_added",
        fmt::format("{}: a {} annotation was added (allowed, but it may cover signed content)",
                    what, subtype));
  }

  void allow(std::string code, std::string message) {
    if (out_.size() < kMaxChangeFindings) {
      add(out_, Severity::kInfo, std::move(code), std::move(message));
    }
  }

  void disallow(std::string code, std::string message) {
    if (out_.size() < kMaxChangeFindings) {
      add(out_, Severity::kError, std::move(code), std::move(message));
    } else {
      ++dropped_;
    }
  }

  QPDF& before_;
  QPDF& after_;
  std::optional<int> docmdp_;
  const std::optional<FieldLock>& lock_;
  std::vector<Finding>& out_;
  std::size_t dropped_ = 0;
};

}  // namespace

void classify_changes(QPDF& signed_revision, QPDF& final_revision, std::optional<int> docmdp,
                      const std::optional<FieldLock>& lock, std::vector<Finding>& out) {
  auto classified = guarded(ErrorCode::kMalformed, "cannot compare the revisions", [&] {
    Classifier(signed_revision, final_revision, docmdp, lock, out).run();
  });
  if (!classified) {
    add(out, Severity::kError, "change.unreadable", classified.error().describe());
  }
}

}  // namespace pactum::pdf::validation
