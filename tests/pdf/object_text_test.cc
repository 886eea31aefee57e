#include "pactum/pdf/object_text.h"

#include <gtest/gtest.h>
#include <qpdf/QPDF.hh>

#include "pdf_fixtures.h"

namespace pactum::pdf {
namespace {

using Kind = DictEdit::Kind;

TEST(ApplyDictEdits, InsertsAKeyAfterTheOpening) {
  auto out = apply_dict_edits("<< /Type /Page /Parent 2 0 R >>",
                              std::vector<DictEdit>{{Kind::kInsertKey, "/Annots", "[9 0 R]"}});
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(*out, "<< /Annots [9 0 R] /Type /Page /Parent 2 0 R >>");
}

TEST(ApplyDictEdits, AppendsToTheTopLevelArrayOnly) {
  // The same key inside a nested dictionary, brackets inside strings and comments, and a
  // hex string must not fool the scanner.
  const std::string text =
      "<< /Nested << /Annots [1 0 R] >> /S (a ] string >> with \\) parens) % a ] comment\n"
      " /H <414243> /Annots [3 0 R\n 4 0 R] /Z 5 >>";
  auto out =
      apply_dict_edits(text, std::vector<DictEdit>{{Kind::kAppendToArray, "/Annots", "9 0 R"}});
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_NE(out->find("/Annots [3 0 R\n 4 0 R 9 0 R]"), std::string::npos) << *out;
  EXPECT_NE(out->find("/Nested << /Annots [1 0 R] >>"), std::string::npos) << *out;
  // Nothing else moved: the edit is exactly one insertion.
  EXPECT_EQ(out->size(), text.size() + std::string(" 9 0 R").size());
}

TEST(ApplyDictEdits, SeveralEditsAtOnce) {
  auto out =
      apply_dict_edits("<< /Type /Catalog /Pages 2 0 R >>",
                       std::vector<DictEdit>{{Kind::kInsertKey, "/AcroForm", "7 0 R"},
                                             {Kind::kInsertKey, "/Perms", "<< /DocMDP 8 0 R >>"}});
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "<< /AcroForm 7 0 R /Perms << /DocMDP 8 0 R >> /Type /Catalog /Pages 2 0 R >>");
}

TEST(ApplyDictEdits, RefusesWhatItCannotDoSafely) {
  const std::vector<DictEdit> insert{{Kind::kInsertKey, "/Annots", "[9 0 R]"}};
  const std::vector<DictEdit> append{{Kind::kAppendToArray, "/Annots", "9 0 R"}};
  EXPECT_FALSE(apply_dict_edits("<< /Annots [1 0 R] >>", insert));  // key already there
  EXPECT_FALSE(apply_dict_edits("<< /Annots 5 0 R >>", append));    // not a direct array
  EXPECT_FALSE(apply_dict_edits("<< /Type /Page >>", append));      // key absent
  EXPECT_FALSE(apply_dict_edits("[1 2 3]", insert));                // not a dictionary
  EXPECT_FALSE(apply_dict_edits("<< /Unclosed [1 2 ", insert));     // incomplete
}

TEST(OriginalObjectText, ReadsFromTheFileAndFromObjectStreams) {
  for (const bool object_streams : {false, true}) {
    const Bytes pdf = object_streams ? fixtures::rewrite(fixtures::classic_pdf(2), true, false)
                                     : fixtures::classic_pdf(2);
    auto doc = PdfDocument::open(memory_source(pdf));
    ASSERT_TRUE(doc);
    const QPDFObjGen root = (*doc)->qpdf().getRoot().getObjGen();
    auto text = original_object_text(**doc, root);
    ASSERT_TRUE(text) << text.error().describe();
    EXPECT_TRUE(text->starts_with("<<"));
    EXPECT_NE(text->find("/Catalog"), std::string::npos);
    EXPECT_TRUE(text->ends_with(">>")) << *text;
  }
}

}  // namespace
}  // namespace pactum::pdf
