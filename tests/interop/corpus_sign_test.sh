#!/usr/bin/env bash
# corpus_sign_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS [SHARD NSHARDS]
#
# Signs every PDF listed in CORPUS_DIR/MANIFEST.tsv (those whose index % NSHARDS == SHARD) twice:
# invisibly with the RSA key, and visibly with the EC key on page 1 (PNG image, Chinese and English
# reason/name/location); files with rotated pages get a third, visible signature on the first
# rotated page. Each output must pass pdfsig-check, qpdf --check, keep the original as a byte
# prefix, and render like the original except inside the appearance rectangle.
# An encrypted file may instead be refused with a message that mentions encryption.
set -euo pipefail

SHARD=${6:-0}
NSHARDS=${7:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 5 "$@"

interop_init "corpus_sign_${SHARD}_of_${NSHARDS}"
[ -r "$CORPUS/MANIFEST.tsv" ] || die "no $CORPUS/MANIFEST.tsv"
setup_ca
setup_stamp

# first_rotated_page PDF: the first page other than 1 with a non-zero /Rotate, or nothing.
first_rotated_page() {
  pdfinfo -f 1 -l 100000 -box "$1" 2>/dev/null |
    awk '$1 == "Page" && $3 == "rot:" && $4 != 0 && $2 != 1 && !found {print $2; found = 1}'
}

# expect_refused_encrypted LABEL OUT: after a failed sign of an encrypted file.
expect_refused_encrypted() {
  local label=$1 out=$2
  if crashed "$out.sign"; then
    fail "$label: crashed on an encrypted file (exit $PACTUM_RC): $(first_line "$out.sign.err")"
  elif grep -qi 'encrypt' "$out.sign.err"; then
    pass "$label: encrypted file refused: $(first_line "$out.sign.err")"
  else
    fail "$label: encrypted file refused without saying so (exit $PACTUM_RC): $(first_line "$out.sign.err")"
  fi
  [ ! -e "$out" ] || fail "$label: $out left behind after a failure"
}

# verify LABEL ORIG OUT ORIG_QPDF ORIG_RENDER_DIR [VPAGE RECT]...
verify() {
  local label=$1 orig=$2 out=$3 orig_qpdf=$4 orig_render=$5
  shift 5
  local vargs=()
  while [ $# -ge 2 ]; do
    vargs+=("$1" "$2" "$orig")
    shift 2
  done
  check_pdfsig "$label" "$out"
  check_qpdf "$label" "$out" "$orig_qpdf"
  check_prefix "$label" "$orig" "$out"
  check_renders "$label" "$orig_render" "$out" "${vargs[@]}"
  check_inspect "$label" "$out"
}

index=0
files=0
file_results=()
while IFS=$'\t' read -r name _rest; do
  [ "$name" = file ] && continue
  [ -n "$name" ] || continue
  if [ $((index % NSHARDS)) -ne "$SHARD" ]; then
    index=$((index + 1))
    continue
  fi
  index=$((index + 1))
  files=$((files + 1))
  src=$CORPUS/$name
  dir=$WORK/f$index
  mkdir -p "$dir"
  before=$INTEROP_FAILED
  echo
  echo "-- $name"
  if [ ! -r "$src" ]; then
    fail "$name: listed in MANIFEST.tsv but missing"
    file_results+=("FAILED  $name")
    continue
  fi

  encrypted=no
  if ! qpdf --show-encryption "$src" 2>/dev/null | grep 'File is not encrypted' >/dev/null; then
    encrypted=yes
    echo "   (encrypted: $(qpdf --show-encryption "$src" 2>&1 | head -n1))"
  fi
  orig_qpdf=$(qpdf_status "$src")
  render "$src" "$dir/orig" || fail "$name: pdftoppm cannot render the original"

  # 1. Invisible, RSA, SHA-256.
  out=$dir/invisible.pdf
  if run_pactum "$out.sign" sign "$src" "$out" --key "$RSA_KEY" --cert "$RSA_CERT" \
      --reason "Approved 同意" --location "Beijing 北京" --name "Li Lei 李雷" \
      --digest sha256 --time "$SIGN_TIME"; [ "$PACTUM_RC" -eq 0 ] && [ -s "$out" ]; then
    verify "$name invisible RSA" "$src" "$out" "$orig_qpdf" "$dir/orig"
  elif [ "$encrypted" = yes ] && [ "$PACTUM_RC" -ne 0 ]; then
    expect_refused_encrypted "$name invisible RSA" "$out"
  else
    fail "$name invisible RSA: pactum sign exit $PACTUM_RC: $(first_line "$out.sign.err")"
    [ "$PACTUM_RC" -eq 0 ] || [ ! -e "$out" ] || fail "$name invisible RSA: $out left behind after a failure"
  fi

  # 2. Visible on page 1, EC, SHA-384, with the PNG stamp.
  out=$dir/visible.pdf
  rect=$(rect_on_page "$src" 1) || { fail "$name: pdfinfo cannot read page 1 geometry"; rect=""; }
  if [ -n "$rect" ]; then
    if run_pactum "$out.sign" sign "$src" "$out" --key "$EC_KEY" --cert "$EC_CERT" \
        --page 1 --rect "$rect" --image "$STAMP" \
        --reason "同意签署本合同 I agree to this contract" --name "张三 Zhang San" \
        --location "上海 Shanghai" --digest sha384 --time "$SIGN_TIME"; \
        [ "$PACTUM_RC" -eq 0 ] && [ -s "$out" ]; then
      verify "$name visible EC p1 [$rect]" "$src" "$out" "$orig_qpdf" "$dir/orig" 1 "$rect"
    elif [ "$encrypted" = yes ] && [ "$PACTUM_RC" -ne 0 ]; then
      expect_refused_encrypted "$name visible EC" "$out"
    else
      fail "$name visible EC p1 [$rect]: pactum sign exit $PACTUM_RC: $(first_line "$out.sign.err")"
      [ "$PACTUM_RC" -eq 0 ] || [ ! -e "$out" ] || fail "$name visible EC: $out left behind after a failure"
    fi
  fi

  # 3. Visible on the first rotated page, if any (the appearance must follow /Rotate's geometry).
  rpage=$(first_rotated_page "$src")
  if [ -n "$rpage" ] && [ "$encrypted" = no ]; then
    out=$dir/visible-rotated.pdf
    rect=$(rect_on_page "$src" "$rpage")
    page_geometry "$src" "$rpage"
    rot=$PAGE_ROT
    if sign "$name visible RSA p$rpage rot $rot [$rect]" "$src" "$out" --key "$RSA_KEY" \
        --cert "$RSA_CERT" --page "$rpage" --rect "$rect" --image "$STAMP" --name "王五 Wang Wu" \
        --reason "Rotated page 旋转页" --time "$SIGN_TIME"; then
      verify "$name visible RSA p$rpage rot $rot [$rect]" "$src" "$out" "$orig_qpdf" "$dir/orig" \
        "$rpage" "$rect"
    else
      [ ! -e "$out" ] || fail "$name visible rotated: $out left behind after a failure"
    fi
  fi

  if [ "$INTEROP_FAILED" -eq "$before" ]; then
    file_results+=("ok      $name")
  else
    file_results+=("FAILED  $name ($((INTEROP_FAILED - before)) check(s))")
  fi
  rm -rf "$dir"
done <"$CORPUS/MANIFEST.tsv"

echo
echo "== per-file results (shard $SHARD of $NSHARDS, $files file(s))"
printf '  %s\n' "${file_results[@]}"
[ "$files" -gt 0 ] || fail "no corpus file in this shard"
interop_finish
