#!/usr/bin/env bash
# bt_level_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS
#
# PAdES baseline B-T with the dev TSA in process (`pactum dev-ca` writes tsa.key.pem and
# tsa.cert.pem): corpus files of different structure are signed with --level B-T, invisibly with
# the RSA key and visibly with the EC key, and one file twice. Each output must pass pdfsig-check
# and qpdf --check and keep the original as a byte prefix. poppler 22.12's pdfsig says nothing
# about signature time-stamps, so openssl judges them: the CMS is cut out of /Contents, its one
# id-smime-aa-timeStampToken attribute is taken out with `openssl asn1parse`, and
# `openssl ts -verify` must accept it against the dev root with the SHA-256 of the SignerInfo's
# signature value as the digest. The serials of tokens from one --tsa-state directory must differ.
# B-T without a TSA, and TSA options with B-B, must be refused.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 5 "$@"

interop_init bt_level
command -v openssl >/dev/null || die "openssl is missing"
command -v xxd >/dev/null || die "xxd is missing"
setup_ca
setup_stamp
TSA_KEY=$CA/tsa.key.pem
TSA_CERT=$CA/tsa.cert.pem
[ -s "$TSA_KEY" ] && [ -s "$TSA_CERT" ] || die "pactum dev-ca did not write tsa.key.pem and tsa.cert.pem"
if openssl x509 -in "$TSA_CERT" -noout -ext extendedKeyUsage 2>/dev/null | grep -q 'critical' &&
  openssl x509 -in "$TSA_CERT" -noout -ext extendedKeyUsage 2>/dev/null | grep -q 'Time Stamping' &&
  openssl verify -CAfile "$ROOT" -purpose timestampsign "$TSA_CERT" >/dev/null 2>&1; then
  pass "dev-ca's TSA certificate chains to root.pem with a critical timeStamping EKU"
else
  fail "dev-ca's TSA certificate is not a TSA certificate under root.pem"
fi
TSA_ARGS=(--level B-T --tsa-key "$TSA_KEY" --tsa-cert "$TSA_CERT" --tsa-state "$WORK/tsa-state")
SERIALS=()

# check_timestamp LABEL PDF N [RECORD]: signature N of PDF has exactly one signature time-stamp,
# and openssl ts -verify accepts it over the SHA-256 of that signature's value. The token's serial
# is added to SERIALS unless RECORD is "no".
check_timestamp() {
  local label=$1 pdf=$2 n=$3 record=${4:-yes} d=$2.ts$3 listing count oid_line sig_line off hl l digest
  mkdir -p "$d"
  if ! signature_cms "$pdf" "$n" "$d/cms.der"; then
    fail "$label: cannot cut signature $n's CMS out of /Contents"
    return
  fi
  if ! listing=$(openssl asn1parse -inform DER -in "$d/cms.der" 2>&1); then
    fail "$label: openssl asn1parse cannot read signature $n's CMS: $(head -n1 <<<"$listing")"
    return
  fi
  count=$(grep -c ':id-smime-aa-timeStampToken' <<<"$listing" || true)
  if [ "$count" -ne 1 ]; then
    fail "$label: signature $n has $count id-smime-aa-timeStampToken attributes, not 1"
    return
  fi
  oid_line=$(grep -n ':id-smime-aa-timeStampToken' <<<"$listing" | cut -d: -f1)
  # The signature value is the last OCTET STRING before the unsigned attributes.
  sig_line=$(head -n "$oid_line" <<<"$listing" | grep -n 'prim: OCTET STRING' | tail -n1 | cut -d: -f1)
  read -r off hl l < <(sed -n "${sig_line}p" <<<"$listing" | geometry)
  tail -c +$((off + hl + 1)) "$d/cms.der" | head -c "$l" >"$d/signature-value.bin"
  digest=$(openssl dgst -sha256 -r "$d/signature-value.bin" | cut -d' ' -f1)
  # After the OID: the attribute's SET of one value, the token (a SEQUENCE).
  if ! sed -n "$((oid_line + 1))p" <<<"$listing" | grep -q 'cons: SET' ||
    ! sed -n "$((oid_line + 2))p" <<<"$listing" | grep -q 'cons: SEQUENCE'; then
    fail "$label: signature $n: the time-stamp attribute is not a SET holding a SEQUENCE"
    sed -n "$((oid_line - 1)),$((oid_line + 3))p" <<<"$listing" | indent
    return
  fi
  read -r off hl l < <(sed -n "$((oid_line + 2))p" <<<"$listing" | geometry)
  tail -c +$((off + 1)) "$d/cms.der" | head -c $((hl + l)) >"$d/token.der"
  if openssl ts -verify -in "$d/token.der" -token_in -digest "$digest" -CAfile "$ROOT" \
    -untrusted "$TSA_CERT" >"$d/verify.log" 2>&1; then
    local text gen serial
    text=$(openssl ts -reply -in "$d/token.der" -token_in -token_out -text 2>/dev/null || true)
    gen=$(awk -F': ' '/^Time stamp:/ {print $2}' <<<"$text")
    serial=$(awk -F': ' '/^Serial number:/ {print $2}' <<<"$text")
    [ "$record" = no ] || SERIALS+=("$serial")
    pass "$label: signature $n: openssl ts -verify accepts its time-stamp (serial $serial, $gen) over sha256(signature value)"
  else
    fail "$label: signature $n: openssl ts -verify refuses its time-stamp: $(first_line "$d/verify.log")"
    indent "$d/verify.log"
  fi
  # The same token must not verify for another digest (the judge really checks the imprint).
  if openssl ts -verify -in "$d/token.der" -token_in -digest "$(printf '%064d' 0)" -CAfile "$ROOT" \
    -untrusted "$TSA_CERT" >/dev/null 2>&1; then
    fail "$label: signature $n: openssl ts -verify accepts the token for a wrong digest too"
  fi
}

# sign_bt LABEL IN OUT WHO [ARGS...]: signs IN at B-T with signer WHO (rsa or ec) and checks it.
sign_bt() {
  local label=$1 in=$2 out=$3 who=$4 n
  shift 4
  local key=$RSA_KEY cert=$RSA_CERT
  if [ "$who" = ec ]; then
    key=$EC_KEY cert=$EC_CERT
  fi
  sign "$label" "$in" "$out" --key "$key" --cert "$cert" --time "$SIGN_TIME" "${TSA_ARGS[@]}" "$@" ||
    return 1
  check_pdfsig "$label" "$out"
  check_qpdf "$label" "$out" "$(qpdf_status "$in")"
  check_prefix "$label" "$in" "$out"
  n=$(grep -a -c '/ByteRange *\[' "$out" || true)
  check_timestamp "$label" "$out" "$n"
}

i=0
for name in good17.pdf incremental-2.pdf extra-header-lin-newline.pdf \
  form-filled-by-acrobat-out.pdf producer-chromium-supplier-zh.pdf producer-libreoffice-labour-zh.pdf; do
  i=$((i + 1))
  src=$CORPUS/$name
  [ -r "$src" ] || die "corpus file $name is missing"
  if [ "$name" = producer-libreoffice-labour-zh.pdf ]; then
    rect=$(rect_on_page "$src" 1) || die "$name: no page geometry"
    sign_bt "$name (B-T, EC, visible)" "$src" "$WORK/$i-bt.pdf" ec --page 1 --rect "$rect" \
      --image "$STAMP" --reason "同意 B-T" || true
  else
    sign_bt "$name (B-T, RSA)" "$src" "$WORK/$i-bt.pdf" rsa --reason "B-T" || true
  fi
done

# Two B-T signatures in one file (different signers: see setup_extra_signers in lib.sh).
if sign_bt "good17.pdf twice (first B-T, RSA)" "$CORPUS/good17.pdf" "$WORK/twice-1.pdf" rsa; then
  if sign_bt "good17.pdf twice (second B-T, EC)" "$WORK/twice-1.pdf" "$WORK/twice-2.pdf" ec; then
    check_timestamp "good17.pdf twice (the first, still)" "$WORK/twice-2.pdf" 1 no
  fi
fi

repeats=$(printf '%s\n' "${SERIALS[@]}" | sort | uniq -d | tr '\n' ' ')
if [ "${#SERIALS[@]}" -gt 1 ] && [ -z "$repeats" ]; then
  pass "the ${#SERIALS[@]} time-stamp serials from one --tsa-state directory are all different"
else
  fail "time-stamp serials: ${#SERIALS[@]} tokens, repeated: ${repeats:-none}"
fi

# Refusals: B-T without a TSA, TSA options with B-B.
run_pactum "$WORK/no-tsa" sign "$CORPUS/good17.pdf" "$WORK/no-tsa.pdf" --key "$RSA_KEY" \
  --cert "$RSA_CERT" --level B-T
if [ "$PACTUM_RC" -ne 0 ] && ! crashed "$WORK/no-tsa" && grep -q 'time-stamping authority' "$WORK/no-tsa.err" &&
  [ ! -e "$WORK/no-tsa.pdf" ]; then
  pass "B-T without a TSA is refused: $(first_line "$WORK/no-tsa.err")"
else
  fail "B-T without a TSA: exit $PACTUM_RC: $(first_line "$WORK/no-tsa.err")"
fi
run_pactum "$WORK/bb-tsa" sign "$CORPUS/good17.pdf" "$WORK/bb-tsa.pdf" --key "$RSA_KEY" \
  --cert "$RSA_CERT" --tsa-key "$TSA_KEY" --tsa-cert "$TSA_CERT"
if [ "$PACTUM_RC" -ne 0 ] && ! crashed "$WORK/bb-tsa" && [ ! -e "$WORK/bb-tsa.pdf" ]; then
  pass "TSA options with B-B are refused: $(first_line "$WORK/bb-tsa.err")"
else
  fail "TSA options with B-B: exit $PACTUM_RC: $(first_line "$WORK/bb-tsa.err")"
fi

interop_finish
