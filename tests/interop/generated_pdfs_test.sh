#!/usr/bin/env bash
# generated_pdfs_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS
#
# Stands alone without the shared corpus: make_test_pdfs writes PDFs of our own (classic xref 1.4
# with pages of several sizes and a /Rotate 90 page, xref + object streams, linearized, PDF 2.0, a
# hand-appended incremental update, a form with an empty signature field "Signer1"). Each is signed
# invisibly (RSA, with --chain) and visibly (EC on page 1, and RSA on the rotated page 4) and checked
# like the corpus: pdfsig-check, qpdf --check, original bytes a prefix, renders unchanged except
# inside the appearance. The form is signed into its field Signer1 (--field), which pdfsig must
# report as the one valid signature and `pactum inspect` must list.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 5 "$@"

interop_init generated_pdfs
setup_ca
setup_nssdb
setup_stamp
GEN=$WORK/generated

# The generator's own output must be what the tests think it is.
for f in classic-1.4.pdf objstm.pdf linearized.pdf pdf-2.0.pdf incremental.pdf form-signer1.pdf; do
  [ -s "$GEN/$f" ] || die "make_test_pdfs did not write $f"
  rc=$(qpdf_status "$GEN/$f")
  [ "$rc" -eq 0 ] || die "generated $f is not clean under qpdf --check (exit $rc)"
done
head -c 8 "$GEN/classic-1.4.pdf" | grep -q '%PDF-1.4' || die "classic-1.4.pdf is not PDF 1.4"
head -c 8 "$GEN/pdf-2.0.pdf" | grep -q '%PDF-2.0' || die "pdf-2.0.pdf is not PDF 2.0"
qpdf --check-linearization "$GEN/linearized.pdf" >/dev/null 2>&1 || die "linearized.pdf is not linearized"
[ "$(grep -ac '^startxref' "$GEN/incremental.pdf")" -eq 2 ] || die "incremental.pdf has no incremental update"
grep -aq '/ObjStm' "$GEN/objstm.pdf" || die "objstm.pdf has no object stream"
page_geometry "$GEN/classic-1.4.pdf" 4 && [ "$PAGE_ROT" = 90 ] || die "classic-1.4.pdf page 4 is not rotated 90"
pass "make_test_pdfs wrote the expected structures"

for f in classic-1.4.pdf objstm.pdf linearized.pdf pdf-2.0.pdf incremental.pdf; do
  src=$GEN/$f
  dir=$WORK/${f%.pdf}
  mkdir -p "$dir"
  echo
  echo "-- $f"
  orig_qpdf=$(qpdf_status "$src")
  render "$src" "$dir/orig" || fail "$f: pdftoppm cannot render the original"

  out=$dir/invisible.pdf
  label="$f invisible RSA --chain"
  if sign "$label" "$src" "$out" --key "$RSA_KEY" --cert "$RSA_CERT" --chain "$ROOT" \
      --reason "Approved 同意" --name "Li Lei 李雷" --time "$SIGN_TIME"; then
    check_pdfsig "$label" "$out"
    check_qpdf "$label" "$out" "$orig_qpdf"
    check_prefix "$label" "$src" "$out"
    check_renders "$label" "$dir/orig" "$out"
    check_inspect "$label" "$out"
  else
    [ ! -e "$out" ] || fail "$label: $out left behind after a failure"
  fi

  out=$dir/visible.pdf
  rect=$(rect_on_page "$src" 1)
  label="$f visible EC p1 [$rect]"
  if sign "$label" "$src" "$out" --key "$EC_KEY" --cert "$EC_CERT" --page 1 --rect "$rect" \
      --image "$STAMP" --reason "同意签署 Agreed" --name "张三 Zhang San" --location "深圳 Shenzhen" \
      --digest sha384 --time "$SIGN_TIME"; then
    check_pdfsig "$label" "$out"
    check_qpdf "$label" "$out" "$orig_qpdf"
    check_prefix "$label" "$src" "$out"
    check_renders "$label" "$dir/orig" "$out" 1 "$rect" "$src"
  else
    [ ! -e "$out" ] || fail "$label: $out left behind after a failure"
  fi

  out=$dir/visible-rotated.pdf
  rect=$(rect_on_page "$src" 4)
  label="$f visible RSA p4 rot 90 [$rect]"
  if sign "$label" "$src" "$out" --key "$RSA_KEY" --cert "$RSA_CERT" --page 4 --rect "$rect" \
      --image "$STAMP" --name "王五 Wang Wu" --time "$SIGN_TIME"; then
    check_pdfsig "$label" "$out"
    check_qpdf "$label" "$out" "$orig_qpdf"
    check_prefix "$label" "$src" "$out"
    check_renders "$label" "$dir/orig" "$out" 4 "$rect" "$src"
  else
    [ ! -e "$out" ] || fail "$label: $out left behind after a failure"
  fi
  rm -rf "$dir"
done

echo
echo "-- form-signer1.pdf (empty signature field Signer1 at 72,72 200x60 on page 1)"
src=$GEN/form-signer1.pdf
dir=$WORK/form
mkdir -p "$dir"
check_inspect "form-signer1.pdf unsigned" "$src" Signer1
render "$src" "$dir/orig" || fail "form-signer1.pdf: pdftoppm cannot render the original"
for variant in plain image; do
  out=$dir/signed-$variant.pdf
  label="form-signer1.pdf --field Signer1 ($variant)"
  args=(--key "$RSA_KEY" --cert "$RSA_CERT" --field Signer1 --reason "Field 字段" --name "赵六 Zhao Liu"
    --time "$SIGN_TIME")
  [ "$variant" = plain ] || args+=(--image "$STAMP")
  if sign "$label" "$src" "$out" "${args[@]}"; then
    read -r total valid <<<"$(count_signatures "$out")"
    if [ "$total" -eq 1 ] && [ "$valid" -eq 1 ] &&
      grep -q 'Signature Field Name: Signer1' "$out.pdfsig.txt"; then
      pass "$label: pdfsig finds one signature, in field Signer1, valid"
    else
      fail "$label: pdfsig reports $total signature(s), $valid valid; expected exactly one, valid, in Signer1"
      grep -E '^Signature #|Field Name|Validation|not signed' "$out.pdfsig.txt" | indent
    fi
    check_pdfsig "$label" "$out"
    check_qpdf "$label" "$out" 0
    check_prefix "$label" "$src" "$out"
    check_renders "$label" "$dir/orig" "$out" 1 "72,72,200,60" "$src"
    check_inspect "$label" "$out" Signer1
  else
    [ ! -e "$out" ] || fail "$label: $out left behind after a failure"
  fi
done
rm -rf "$dir"

interop_finish
