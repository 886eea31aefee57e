#!/usr/bin/env bash
# bad_input_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS
#
# Inputs pactum sign must refuse: each run must exit non-zero without crashing, print a one-line
# message on stderr that says what is wrong (matched against keywords), and leave no output file.
# Then inputs whose structure is damaged but repairable (and unsigned): pactum must normalise and
# sign them, and the result must pass pdfsig-check, qpdf --check and render like the intact file.
# The bad PDFs are made here from the generated PDFs and from the corpus.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 5 "$@"

interop_init bad_input
setup_ca
setup_stamp
GEN=$WORK/generated
B=$WORK/bad
mkdir -p "$B"

# A classic-xref and an object-stream source: from the corpus when it is there, else generated.
CLASSIC=$GEN/classic-1.4.pdf
OBJSTM=$GEN/objstm.pdf
FORM=$GEN/form-signer1.pdf
if [ -r "$CORPUS/delete-and-reuse.pdf" ]; then
  CLASSIC=$CORPUS/delete-and-reuse.pdf
fi
if [ -r "$CORPUS/c-object-streams.pdf" ]; then
  OBJSTM=$CORPUS/c-object-streams.pdf
fi

# expect_failure LABEL REGEX IN [SIGN ARGS...]: pactum sign IN OUT ARGS must fail cleanly with a
# message matching REGEX (case-insensitive) and leave no OUT.
expect_failure() {
  local label=$1 regex=$2 in=$3
  shift 3
  local out=$B/out-${label//[^A-Za-z0-9]/_}.pdf
  rm -f "$out"
  run_pactum "$out.sign" sign "$in" "$out" "$@"
  local msg lines
  msg=$(first_line "$out.sign.err")
  lines=$(grep -c -v '^[[:space:]]*$' "$out.sign.err" || true)
  if crashed "$out.sign"; then
    fail "$label: crashed or hung (exit $PACTUM_RC): $msg"
  elif [ "$PACTUM_RC" -eq 0 ]; then
    fail "$label: pactum sign exited 0 but must refuse"
  elif [ "$lines" -eq 0 ]; then
    fail "$label: exit $PACTUM_RC with nothing on stderr"
  elif ! grep -qiE -- "$regex" "$out.sign.err"; then
    fail "$label: exit $PACTUM_RC but the message does not say what is wrong (want /$regex/): $msg"
  else
    pass "$label: refused (exit $PACTUM_RC): $msg"
  fi
  if [ "$lines" -gt 1 ]; then
    fail "$label: stderr has $lines lines, the CLI promises one"
    indent "$out.sign.err"
  fi
  if [ -e "$out" ]; then
    fail "$label: output file exists after the failure ($(stat -c %s "$out") bytes)"
  else
    pass "$label: no output file left"
  fi
  # Nor a temporary file beside it.
  local leftovers
  leftovers=$(find "$B" -maxdepth 1 -name "$(basename "$out")?*" ! -name '*.sign.*' | head -n 3)
  [ -z "$leftovers" ] || fail "$label: temporary files left behind: $leftovers"
}

sign_rsa=(--key "$RSA_KEY" --cert "$RSA_CERT")

echo
echo "-- not a PDF"
head -c 8192 /dev/urandom >"$B/random.pdf"
expect_failure "random bytes" 'not a pdf|pdf header|%PDF|header|not .*pdf' "$B/random.pdf" "${sign_rsa[@]}"
: >"$B/empty.pdf"
expect_failure "empty file" 'empty|not a pdf|pdf header|%PDF|header|not .*pdf' "$B/empty.pdf" "${sign_rsa[@]}"
expect_failure "missing input file" 'no such|not found|cannot open|can.t open|does not exist|exist' \
  "$B/does-not-exist.pdf" "${sign_rsa[@]}"

echo
echo "-- truncated"
damage_regex='truncat|damag|corrupt|xref|trailer|startxref|EOF|broken|invalid|repair|unexpected end|malformed'
for src in "$CLASSIC" "$OBJSTM"; do
  half=$B/half-$(basename "$src")
  head -c $(($(stat -c %s "$src") / 2)) "$src" >"$half"
  expect_failure "truncated to half: $(basename "$src")" "$damage_regex" "$half" "${sign_rsa[@]}"
done

echo
echo "-- damaged beyond repair"
# Cross-reference table, trailer and every object header destroyed (same-length replacements).
ruined=$B/ruined.pdf
LC_ALL=C sed -e 's/obj/xxx/g' -e 's/xref/XXXX/g' -e 's/trailer/TTTTTTT/g' -e 's/XRef/XXXX/g' \
  "$CLASSIC" >"$ruined"
rc=0
qpdf --check "$ruined" >/dev/null 2>&1 || rc=$?
if [ "$rc" -ne 2 ]; then
  die "the beyond-repair fixture is still readable by qpdf (qpdf --check exit $rc)"
fi
expect_failure "xref, trailer and object headers destroyed" "$damage_regex|no objects|not a pdf" \
  "$ruined" "${sign_rsa[@]}"

echo
echo "-- encrypted"
qpdf --encrypt user owner 256 -- "$CLASSIC" "$B/encrypted.pdf" || die "qpdf --encrypt failed"
expect_failure "encrypted (AES-256, user password)" 'encrypt' "$B/encrypted.pdf" "${sign_rsa[@]}"

echo
echo "-- wrong arguments"
expect_failure "--field not found" 'field' "$FORM" "${sign_rsa[@]}" --field NoSuchField
if [ -r "$CORPUS/sample-form-out.pdf" ]; then
  expect_failure "--field not found (corpus form)" 'field' "$CORPUS/sample-form-out.pdf" \
    "${sign_rsa[@]}" --field NoSuchField
fi
expect_failure "--page 999" 'page' "$CLASSIC" "${sign_rsa[@]}" --page 999 --rect 10,10,100,50
expect_failure "--page 0" 'page' "$CLASSIC" "${sign_rsa[@]}" --page 0 --rect 10,10,100,50
expect_failure "RSA key with EC certificate" 'match|correspond|pair|belong' "$CLASSIC" \
  --key "$RSA_KEY" --cert "$EC_CERT"
expect_failure "EC key with RSA certificate" 'match|correspond|pair|belong' "$CLASSIC" \
  --key "$EC_KEY" --cert "$RSA_CERT"

echo
echo "-- certified with P=1"
cert1=$B/certified-p1.pdf
refusal='certif|DocMDP|P ?= ?1|no changes|not permit|forbid|locked'
if sign "--certify 1" "$CLASSIC" "$cert1" "${sign_rsa[@]}" --certify 1 --time "$SIGN_TIME"; then
  check_pdfsig "--certify 1" "$cert1"
  expect_failure "--certify 1 document: --certify 1 again" "$refusal" "$cert1" \
    --key "$EC_KEY" --cert "$EC_CERT" --certify 1
  expect_failure "--certify 1 document: --certify 2" "$refusal" "$cert1" \
    --key "$EC_KEY" --cert "$EC_CERT" --certify 2
  expect_failure "--certify 1 document: approval signature" "$refusal" "$cert1" \
    --key "$EC_KEY" --cert "$EC_CERT"
  expect_failure "--certify 1 document: visible approval signature" "$refusal" "$cert1" \
    --key "$EC_KEY" --cert "$EC_CERT" --page 1 --rect 50,50,150,40 --image "$STAMP"
fi

echo
echo "-- damaged but repairable, unsigned: must be normalised and signed"
# repairable LABEL INTACT DAMAGED: qpdf must see the damage and recover (exit 3); pactum must sign.
repairable() {
  local label=$1 intact=$2 damaged=$3 rc=0 out
  qpdf --check "$damaged" >"$damaged.qpdf.log" 2>&1 || rc=$?
  if [ "$rc" -ne 3 ]; then
    die "fixture '$label' is not 'damaged but repairable' for qpdf (qpdf --check exit $rc)"
  fi
  out=$B/signed-${label//[^A-Za-z0-9]/_}.pdf
  render "$intact" "$B/intact-render-$rc-$(basename "$intact")" || die "cannot render $intact"
  if sign "$label" "$damaged" "$out" "${sign_rsa[@]}" --time "$SIGN_TIME"; then
    pass "$label: signed"
    check_pdfsig "$label" "$out"
    check_qpdf "$label" "$out" 0
    check_renders "$label (vs the intact file)" "$B/intact-render-$rc-$(basename "$intact")" "$out"
  else
    [ ! -e "$out" ] || fail "$label: $out left behind after a failure"
  fi
  rm -rf "$B/intact-render-$rc-$(basename "$intact")"
}

# Wrong startxref offset (on the generated classic file: one xref table).
classic_gen=$GEN/classic-1.4.pdf
sx=$(tail -c 64 "$classic_gen" | awk '/startxref/ && !found {getline; print; found = 1}')
[ -n "$sx" ] || die "no startxref in $classic_gen"
size=$(stat -c %s "$classic_gen")
tail_len=$(tail -c 64 "$classic_gen" | awk '/startxref/ {found=1} found' | wc -c)
{
  head -c $((size - tail_len)) "$classic_gen"
  printf 'startxref\n%d\n%%%%EOF\n' $((sx - 37))
} >"$B/wrong-startxref.pdf"
repairable "wrong startxref offset" "$classic_gen" "$B/wrong-startxref.pdf"

# Every xref offset wrong: a comment line inserted after the header line.
for src in "$CLASSIC" "$classic_gen"; do
  shifted=$B/shifted-$(basename "$src")
  {
    head -n 1 "$src"
    printf '%% a comment line that shifts every offset\n'
    tail -n +2 "$src"
  } >"$shifted"
  repairable "xref offsets shifted by an inserted line: $(basename "$src")" "$src" "$shifted"
done

interop_finish
