#!/usr/bin/env bash
# ppm_diff_selftest.sh PPM_DIFF
#
# Checks the judge before trusting it: ppm_diff's mapping of a PDF rectangle to pixels must match
# what pdftoppm really draws, for /Rotate 0, 90, 180 and 270 and for a CropBox that does not start
# at the origin. Two PDFs differ only by a filled rectangle at a known place in user space; the
# difference must be accepted inside that rectangle and rejected inside a wrong one.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 PPM_DIFF" >&2
  exit 2
fi
PPM_DIFF=$1
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_init ppm_diff_selftest

# write_pdf OUT MARK: five pages (rotations 0/90/180/270, and a CropBox page) with some ink; with
# MARK=1 every page also gets a black rectangle at user space 40,50 (60 x 30).
write_pdf() {
  local out=$1 mark=$2 raw=$WORK/raw.pdf content
  content="0.5 0.7 0.9 rg 20 300 200 20 re f BT /F1 12 Tf 20 360 Td (ppm_diff self test) Tj ET"
  [ "$mark" = 1 ] && content="$content 0 0 0 rg 40 50 60 30 re f"
  {
    echo "%PDF-1.4"
    echo "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj"
    echo "2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R 5 0 R 6 0 R 7 0 R] /Count 5 >> endobj"
    echo "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 8 0 R /Resources 9 0 R >> endobj"
    echo "4 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Rotate 90 /Contents 8 0 R /Resources 9 0 R >> endobj"
    echo "5 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Rotate 180 /Contents 8 0 R /Resources 9 0 R >> endobj"
    echo "6 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Rotate 270 /Contents 8 0 R /Resources 9 0 R >> endobj"
    echo "7 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 400 500] /CropBox [20 30 320 430] /Rotate 90 /Contents 8 0 R /Resources 9 0 R >> endobj"
    echo "8 0 obj << /Length ${#content} >> stream"
    echo "$content"
    echo "endstream endobj"
    echo "9 0 obj << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> endobj"
    echo "trailer << /Root 1 0 R /Size 10 >>"
    echo "%%EOF"
  } >"$raw"
  # qpdf rebuilds the missing xref table (exit 3: warnings about that) and writes a clean file.
  local rc=0
  qpdf "$raw" "$out" 2>/dev/null || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || die "qpdf could not rebuild the self-test PDF (exit $rc)"
}

write_pdf "$WORK/plain.pdf" 0
write_pdf "$WORK/marked.pdf" 1
render "$WORK/plain.pdf" "$WORK/plain" || die "pdftoppm failed"
render "$WORK/marked.pdf" "$WORK/marked" || die "pdftoppm failed"

for page in 1 2 3 4 5; do
  page_geometry "$WORK/plain.pdf" "$page" || die "pdfinfo failed on page $page"
  a=$WORK/plain/p-$page.ppm
  b=$WORK/marked/p-$page.ppm
  common=(--box "$PAGE_MEDIA" --rotate "$PAGE_ROT" --dpi "$INTEROP_DPI" --margin 2)
  rc=0
  result=$("$PPM_DIFF" "$a" "$b" --require-diff --pdf-rect 40,50,60,30 "${common[@]}") || rc=$?
  if [ "$rc" -eq 0 ]; then
    pass "page $page (rot $PAGE_ROT, box $PAGE_BOX): difference accepted inside the true rect"
  else
    fail "page $page (rot $PAGE_ROT, box $PAGE_BOX): difference rejected inside the true rect: $(tr '\n' ';' <<<"$result")"
  fi
  # The same rect mirrored across the page (where it would be with the rotation ignored or
  # applied the wrong way) must be rejected.
  IFS=, read -r bx0 by0 bx1 by1 <<<"$PAGE_MEDIA"
  wrong=$(awk -v a="$bx0" -v b="$by0" -v c="$bx1" -v d="$by1" 'BEGIN {printf "%d,%d,60,30", a + c - 100, b + d - 80}')
  rc=0
  result=$("$PPM_DIFF" "$a" "$b" --pdf-rect "$wrong" "${common[@]}") || rc=$?
  if [ "$rc" -eq 1 ]; then
    pass "page $page: difference rejected inside a wrong rect ($wrong)"
  else
    fail "page $page: difference not rejected inside a wrong rect $wrong (exit $rc): $(tr '\n' ';' <<<"$result")"
  fi
  # With no rect: identical images are "identical" (exit 0), different ones exit 1.
  rc=0
  "$PPM_DIFF" "$a" "$a" >/dev/null || rc=$?
  [ "$rc" -eq 0 ] && pass "page $page: identical images reported identical" \
    || fail "page $page: identical images not reported identical (exit $rc)"
done

# Bad input: not an image.
rc=0
"$PPM_DIFF" "$WORK/plain.pdf" "$WORK/plain.pdf" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] && pass "a non-PPM input is a usage error (exit 2)" || fail "a non-PPM input gave exit $rc, not 2"

interop_finish
