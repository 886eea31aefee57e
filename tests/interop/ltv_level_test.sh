#!/usr/bin/env bash
# ltv_level_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS MAKE_TEST_PKI [SHARD NSHARDS]
#
# PAdES B-LT and B-LTA over the corpus (the files of MANIFEST.tsv whose index % NSHARDS == SHARD),
# with a platform PKI made by make_test_pki, which also serves its OCSP responder and CRL on
# 127.0.0.1 (the URLs in its certificates). Each file is signed at B-LT with revocation data
# fetched online, and at B-LTA with revocation data from the CA in process (--ca-dir). Each
# output must:
#   - keep the original as a byte prefix, pass qpdf --check and render like the original;
#   - satisfy pdfsig (with the live OCSP responder): every CAdES signature valid and trusted
#     under the root. pdfsig-check itself also asks that the last signature cover the whole file
#     and that every signature be verified, which no B-LT file (its DSS follows the signature) and
#     no B-LTA file for poppler 22.12 (it cannot verify /ETSI.RFC3161 document time-stamps)
#     satisfies, so check_pdfsig_ltv asks pdfsig the same questions per signature kind, and
#     openssl judges the document time-stamp;
#   - hold a DSS, read with qpdf (dss_dump.py), whose every OCSP response `openssl ocsp` verifies
#     under the root and finds good, whose every CRL `openssl crl` verifies, with a VRI entry per
#     signature;
#   - for B-LTA: a last document time-stamp that `openssl ts -verify` accepts over its byte range;
#   - be valid for `pactum verify --trust ROOT` (exit 0).
# Shard 0 also checks: the CRL fallback when the OCSP responder is down, archive renewal
# (`pactum ltv add` twice), and the clear refusals (dev-ca certificates without OCSP/CRL
# addresses, an unsigned file) that leave no output.
set -euo pipefail

SHARD=${7:-0}
NSHARDS=${8:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 6 "$@"
MAKE_TEST_PKI=$6

interop_init "ltv_level_${SHARD}_of_${NSHARDS}"
for tool in openssl xxd python3; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
[ -r "$CORPUS/MANIFEST.tsv" ] || die "no $CORPUS/MANIFEST.tsv"

PKI=$WORK/pki
serve_test_pki "$MAKE_TEST_PKI" "$PKI"
ROOT=$PKI/root.pem
ROOTS=("$ROOT")
ISSUING=$PKI/issuing.pem
SIGNER=(--key "$PKI/signer.key.pem" --cert "$PKI/signer.cert.pem" --chain "$ISSUING")
TSA=(--tsa-key "$PKI/pki/tsa/tsa.key.pem" --tsa-cert "$PKI/pki/tsa/tsa.cert.pem")
setup_nssdb
pass "platform PKI made, OCSP and CRL served at $(cat "$PKI/ready")"

# check_pdfsig_ltv LABEL OUT LEVEL: pdfsig (the live OCSP responder answering) finds every CAdES
# signature valid and trusted; for B-LTA the last signature is a document time-stamp (poppler
# 22.12: "Signature Type: unknown") that covers the whole document.
check_pdfsig_ltv() {
  local label=$1 out=$2 level=$3 report cades valid trusted last
  pdfsig -nssdir "sql:$NSSDB" "$out" >"$out.pdfsig.txt" 2>&1 || true
  report=$(awk '/^Signature #/{n++} {print n "\t" $0}' "$out.pdfsig.txt")
  cades=$(grep -c 'Signature Type: ETSI.CAdES.detached' "$out.pdfsig.txt" || true)
  valid=$(grep -c 'Signature Validation: Signature is Valid' "$out.pdfsig.txt" || true)
  trusted=$(grep -c 'Certificate Validation: Certificate is Trusted' "$out.pdfsig.txt" || true)
  last=$(awk -F'\t' -v n="$(grep -c '^Signature #' "$out.pdfsig.txt")" '$1 == n {print $2}' <<<"$report")
  if [ "$cades" -lt 1 ] || [ "$valid" -ne "$cades" ] || [ "$trusted" -ne "$cades" ]; then
    fail "$label: pdfsig: $cades CAdES signature(s), $valid valid, $trusted trusted"
    indent "$out.pdfsig.txt"
  elif [ "$level" = B-LTA ] && ! { grep -q 'Signature Type: unknown' <<<"$last" &&
    grep -q 'Total document signed' <<<"$last"; }; then
    fail "$label: pdfsig: the last signature is not a document time-stamp covering the file"
    indent <<<"$last"
  else
    local extra=""
    [ "$level" != B-LTA ] || extra=", then a document time-stamp covering the whole file"
    pass "$label: pdfsig: $cades CAdES signature(s) valid and trusted$extra"
  fi
}

# check_dss LABEL OUT SIGNATURES: the DSS as qpdf reads it: OCSP responses verified and good,
# CRLs verified, at least SIGNATURES VRI entries, certificates parse.
check_dss() {
  local label=$1 out=$2 signatures=$3 d=$2.dss f bad=0 ocsps crls certs vri
  if ! python3 "$HERE/dss_dump.py" "$out" "$d" 2>"$d.err"; then
    fail "$label: no readable DSS: $(first_line "$d.err")"
    return
  fi
  cat "$ROOT" "$ISSUING" >"$d/chain.pem"
  for f in "$d"/certs/*.der; do
    openssl x509 -inform DER -in "$f" -noout 2>/dev/null || { fail "$label: DSS certificate $(basename "$f") does not parse"; bad=1; }
  done
  for f in "$d"/ocsps/*.der; do
    [ -e "$f" ] || continue
    openssl ocsp -respin "$f" -CAfile "$ROOT" -verify_other "$ISSUING" -no_nonce -resp_text \
      >"$f.txt" 2>&1 || true
    if ! grep -q 'Response verify OK' "$f.txt" || ! grep -q 'Cert Status: good' "$f.txt"; then
      fail "$label: openssl ocsp does not accept DSS OCSP response $(basename "$f"): $(grep -m1 -iE 'verify|error|status' "$f.txt")"
      bad=1
    fi
  done
  for f in "$d"/crls/*.der; do
    [ -e "$f" ] || continue
    if ! openssl crl -inform DER -in "$f" -CAfile "$d/chain.pem" -noout 2>&1 | grep -q 'verify OK'; then
      fail "$label: openssl crl does not verify DSS CRL $(basename "$f")"
      bad=1
    fi
  done
  certs=$(find "$d/certs" -name '*.der' | wc -l)
  ocsps=$(find "$d/ocsps" -name '*.der' | wc -l)
  crls=$(find "$d/crls" -name '*.der' | wc -l)
  vri=$(wc -l <"$d/vri.txt")
  if [ "$((ocsps + crls))" -lt 1 ] || [ "$vri" -lt "$signatures" ] || [ "$certs" -lt 2 ]; then
    fail "$label: DSS holds $certs certificate(s), $ocsps OCSP, $crls CRL, $vri VRI entries (want >= $signatures)"
    bad=1
  fi
  [ "$bad" -eq 1 ] || pass "$label: DSS: $certs certificate(s), $ocsps OCSP response(s) (openssl ocsp: good), $crls CRL(s) (openssl crl: verified), $vri VRI entries"
  DSS_CRLS=$crls
}

# check_doc_timestamp LABEL OUT: the last signature of OUT is a document time-stamp that
# openssl ts -verify accepts over its byte range, and refuses over other bytes.
check_doc_timestamp() {
  local label=$1 out=$2 d=$2.docts n
  mkdir -p "$d"
  n=$(grep -a -c '/ByteRange *\[' "$out" || true)
  if ! signature_cms "$out" "$n" "$d/token.der" || ! signed_ranges "$out" "$n" "$d/data.bin"; then
    fail "$label: cannot cut the document time-stamp out of the file"
    return
  fi
  if openssl ts -verify -data "$d/data.bin" -in "$d/token.der" -token_in -CAfile "$ROOT" \
    -untrusted "$ISSUING" >"$d/verify.log" 2>&1 && grep -q 'Verification: OK' "$d/verify.log"; then
    pass "$label: openssl ts -verify accepts the document time-stamp over its byte range"
  else
    fail "$label: openssl ts -verify refuses the document time-stamp: $(first_line "$d/verify.log")"
  fi
  printf 'x' >>"$d/data.bin"
  if openssl ts -verify -data "$d/data.bin" -in "$d/token.der" -token_in -CAfile "$ROOT" \
    -untrusted "$ISSUING" >/dev/null 2>&1; then
    fail "$label: openssl ts -verify accepts the document time-stamp over other bytes too"
  fi
}

# check_verify LABEL OUT: pactum verify --trust ROOT exits 0.
check_verify() {
  local label=$1 out=$2
  run_pactum "$out.verify" verify "$out" --trust "$ROOT"
  if [ "$PACTUM_RC" -eq 0 ]; then
    pass "$label: pactum verify: valid"
  else
    fail "$label: pactum verify exit $PACTUM_RC: $(first_line "$out.verify.out")"
    grep -E '^\s+X |INVALID|INDETERMINATE' "$out.verify.out" | indent
  fi
}

# check_ltv LABEL ORIG OUT LEVEL ORIG_QPDF ORIG_RENDER SIGNATURES
check_ltv() {
  local label=$1 orig=$2 out=$3 level=$4 orig_qpdf=$5 orig_render=$6 signatures=$7
  check_prefix "$label" "$orig" "$out"
  check_qpdf "$label" "$out" "$orig_qpdf"
  [ -z "$orig_render" ] || check_renders "$label" "$orig_render" "$out"
  check_pdfsig_ltv "$label" "$out" "$level"
  check_dss "$label" "$out" "$signatures"
  [ "$level" != B-LTA ] || check_doc_timestamp "$label" "$out"
  check_verify "$label" "$out"
}

index=0
files=0
file_results=()
LAST_LTA=""
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
  if ! qpdf --show-encryption "$src" 2>/dev/null | grep 'File is not encrypted' >/dev/null; then
    # Signing refuses encrypted files (corpus_sign checks the message); nothing to raise.
    run_pactum "$dir/enc" sign "$src" "$dir/enc.pdf" "${SIGNER[@]}" --level B-LT "${TSA[@]}"
    if [ "$PACTUM_RC" -ne 0 ] && ! crashed "$dir/enc" && [ ! -e "$dir/enc.pdf" ]; then
      pass "$name: encrypted, refused: $(first_line "$dir/enc.err")"
    else
      fail "$name: encrypted file: exit $PACTUM_RC"
    fi
    file_results+=("ok      $name (encrypted)")
    continue
  fi
  orig_qpdf=$(qpdf_status "$src")
  render "$src" "$dir/orig" || fail "$name: pdftoppm cannot render the original"
  for level in B-LT B-LTA; do
    out=$dir/$level.pdf
    args=("${SIGNER[@]}" --level "$level" "${TSA[@]}" --time "$SIGN_TIME" --reason "$level 长期验证")
    [ "$level" = B-LTA ] && args+=(--ca-dir "$PKI/pki")
    if ! sign "$name $level" "$src" "$out" "${args[@]}"; then
      continue
    fi
    check_ltv "$name $level" "$src" "$out" "$level" "$orig_qpdf" "$dir/orig" 1
    [ "$level" = B-LTA ] && LAST_LTA=$out
  done
  if [ "$INTEROP_FAILED" -eq "$before" ]; then
    file_results+=("ok      $name")
  else
    file_results+=("FAILED  $name ($((INTEROP_FAILED - before)) check(s))")
  fi
done <"$CORPUS/MANIFEST.tsv"

if [ "$SHARD" -eq 0 ]; then
  echo
  echo "-- shard 0 extras"
  src=$CORPUS/good17.pdf
  orig_qpdf=$(qpdf_status "$src")

  # The CRL when the OCSP responder is down.
  touch "$PKI/ocsp-down"
  if sign "CRL fallback" "$src" "$WORK/crl.pdf" "${SIGNER[@]}" --level B-LT "${TSA[@]}" \
    --time "$SIGN_TIME"; then
    rm -f "$PKI/ocsp-down"
    DSS_CRLS=0
    check_ltv "CRL fallback" "$src" "$WORK/crl.pdf" B-LT "$orig_qpdf" "" 1
    [ "$DSS_CRLS" -ge 1 ] && pass "CRL fallback: the DSS holds the CRL" ||
      fail "CRL fallback: no CRL in the DSS"
  fi
  rm -f "$PKI/ocsp-down"

  # Archive renewal: ltv add twice on a B-LTA file, online then in process.
  if [ -n "$LAST_LTA" ]; then
    cp "$LAST_LTA" "$WORK/renew.pdf"
    cp "$LAST_LTA" "$WORK/renew-0.pdf"
    for round in 1 2; do
      ca=()
      [ "$round" -eq 2 ] && ca=(--ca-dir "$PKI/pki")
      cp "$WORK/renew.pdf" "$WORK/renew-before.pdf"
      run_pactum "$WORK/renew-$round" ltv add "$WORK/renew.pdf" --chain "$ISSUING" "${TSA[@]}" "${ca[@]}"
      if [ "$PACTUM_RC" -ne 0 ]; then
        fail "renewal $round: pactum ltv add exit $PACTUM_RC: $(first_line "$WORK/renew-$round.err")"
        break
      fi
      grep -q "$round document time-stamp(s)" "$WORK/renew-$round.out" &&
        pass "renewal $round: the previous document time-stamp got validation data: $(first_line "$WORK/renew-$round.out")" ||
        fail "renewal $round: $(first_line "$WORK/renew-$round.out")"
      check_ltv "renewal $round" "$WORK/renew-before.pdf" "$WORK/renew.pdf" B-LTA 0 "" $((round + 1))
      check_prefix "renewal $round (first B-LTA)" "$WORK/renew-0.pdf" "$WORK/renew.pdf"
    done
  else
    fail "renewal: no B-LTA file to renew"
  fi

  # Refusals leave nothing behind.
  setup_ca
  run_pactum "$WORK/dev" sign "$src" "$WORK/dev.pdf" --key "$EC_KEY" --cert "$EC_CERT" \
    --chain "$ROOT" --level B-LT --tsa-key "$CA/tsa.key.pem" --tsa-cert "$CA/tsa.cert.pem"
  if [ "$PACTUM_RC" -ne 0 ] && ! crashed "$WORK/dev" && [ ! -e "$WORK/dev.pdf" ] &&
    grep -q 'no revocation data' "$WORK/dev.err"; then
    pass "B-LT with dev-ca certificates is refused: $(first_line "$WORK/dev.err")"
  else
    fail "B-LT with dev-ca certificates: exit $PACTUM_RC: $(first_line "$WORK/dev.err")"
  fi
  cp "$src" "$WORK/unsigned.pdf"
  run_pactum "$WORK/unsigned" ltv add "$WORK/unsigned.pdf" -o "$WORK/unsigned-out.pdf" \
    --level B-LT --ca-dir "$PKI/pki"
  if [ "$PACTUM_RC" -ne 0 ] && ! crashed "$WORK/unsigned" && [ ! -e "$WORK/unsigned-out.pdf" ] &&
    cmp -s "$src" "$WORK/unsigned.pdf"; then
    pass "ltv add on an unsigned file is refused: $(first_line "$WORK/unsigned.err")"
  else
    fail "ltv add on an unsigned file: exit $PACTUM_RC: $(first_line "$WORK/unsigned.err")"
  fi
fi

echo
echo "== per-file results (shard $SHARD of $NSHARDS, $files file(s))"
printf '  %s\n' "${file_results[@]}"
[ "$files" -gt 0 ] || fail "no corpus file in this shard"
interop_finish
