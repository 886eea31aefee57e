#!/usr/bin/env bash
# verify_ltv_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS MAKE_TEST_PKI
#
# `pactum verify` on long-term files that `pactum sign --level B-LT|B-LTA` and `pactum ltv add`
# made with the platform PKI (tests/tools/make_test_pki; revocation data in process, --ca-dir):
# - B-LT, B-LTA: exit 0; they say LTV yes with revocation good; B-LTA reports its document
#   time-stamp after the signature; pdfsig agrees the signature itself is valid;
# - B-T: its time-stamp is trusted, but the file holds no revocation data about certificates
#   that name OCSP/CRL services, so it is indeterminate (exit 2) offline;
# - --at twenty years ahead, when every certificate has expired: B-LTA still exit 0
#   (past-signature validation) with the warning to renew the archive time-stamp; after
#   `pactum ltv add` the older time-stamp is preserved by the newer one; a B-B file of the same
#   signer is indeterminate (exit 2) and B-T without revocation data too;
# - tampering with a byte the document time-stamp covers: exit 1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 6 "$@"
MAKE_TEST_PKI=$6

interop_init verify_ltv
P=$WORK/pki
"$MAKE_TEST_PKI" "$P" >"$WORK/make_test_pki.log" 2>&1 ||
  die "make_test_pki failed: $(first_line "$WORK/make_test_pki.log")"
KEY=$P/signer.key.pem
CERT=$P/signer.cert.pem
ROOTS=("$P/root.pem")
TRUST=(--trust "$P/root.pem")
TSA=(--tsa-key "$P/pki/tsa/tsa.key.pem" --tsa-cert "$P/pki/tsa/tsa.cert.pem")
setup_nssdb
LATER=$(date -u -d '+20 years' +%Y-%m-%dT%H:%M:%SZ)
NOTES=0

for name in good17.pdf producer-libreoffice-labour-zh.pdf; do
  src=$CORPUS/$name
  dir=$WORK/${name%.pdf}
  mkdir -p "$dir"
  echo
  echo "-- $name"
  [ -r "$src" ] || { fail "$name: missing from the corpus"; continue; }

  bb=$dir/bb.pdf bt=$dir/bt.pdf lt=$dir/lt.pdf lta=$dir/lta.pdf
  sign "$name B-B" "$src" "$bb" --key "$KEY" --cert "$CERT" --chain "$P/issuing.pem" || continue
  sign "$name B-T" "$src" "$bt" --key "$KEY" --cert "$CERT" --chain "$P/issuing.pem" \
    --level B-T "${TSA[@]}" || continue
  sign "$name B-LT" "$src" "$lt" --key "$KEY" --cert "$CERT" --chain "$P/issuing.pem" \
    --level B-LT "${TSA[@]}" --ca-dir "$P/pki" || continue
  sign "$name B-LTA" "$src" "$lta" --key "$KEY" --cert "$CERT" --chain "$P/issuing.pem" \
    --level B-LTA "${TSA[@]}" --ca-dir "$P/pki" || continue

  expect_verify "$name B-T" "$bt" 2 'timestamp\.trusted' "${TRUST[@]}"
  expect_verify "$name B-T (no revocation data)" "$bt" 2 'revocation\.missing' "${TRUST[@]}"
  expect_verify "$name B-LT" "$lt" 0 'revocation\.good' "${TRUST[@]}"
  expect_verify "$name B-LTA" "$lta" 0 'doc_timestamp\.trusted' "${TRUST[@]}"
  run_pactum "$lta.json" verify "$lta" --json "${TRUST[@]}"
  if python3 - "$lta.json.out" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
kinds = [s["kind"] for s in report["signatures"]]
first = report["signatures"][0]
ok = (report["verdict"] == "valid" and kinds[0] == "signature" and kinds[-1] == "document_timestamp"
      and first["ltv"] and first["revocation"] == "good" and first["timestamp_time"]
      and first["proven_time"] and report["signatures"][-1]["timestamp_time"])
sys.exit(0 if ok else 1)
PY
  then
    pass "$name B-LTA --json: signature then document time-stamp, LTV, revocation good, times"
  else
    fail "$name B-LTA --json does not say what it should"
    indent "$lta.json.out"
  fi
  # pdfsig 22.12 can judge only the CAdES signature of these files: it does not validate document
  # time-stamps, and pdfsig-check's rule that the last signature covers the whole file fails by
  # design once a DSS follows the signature. So pdfsig must call the signature itself valid, and
  # the rest (DSS, document time-stamps, renewals) is judged by our verifier alone.
  for f in "$lt" "$lta"; do
    read -r total valid <<<"$(count_signatures "$f")"
    if [ "${valid:-0}" -ge 1 ] && sed -n '/^Signature #1/,/^Signature #2/p' "$f.pdfsig.txt" | grep -q 'Signature is Valid'; then
      pass "$(basename "$f") ($name): pdfsig agrees the signature is valid ($total signature field(s))"
    else
      fail "$(basename "$f") ($name): pdfsig does not call signature #1 valid"
      indent "$f.pdfsig.txt"
    fi
  done

  # Twenty years on, every certificate has expired.
  expect_verify "$name B-LTA at $LATER" "$lta" 0 'doc_timestamp\.renew' "${TRUST[@]}" --at "$LATER"
  expect_verify "$name B-LTA at $LATER, past-signature validation" "$lta" 0 \
    'chain\.valid_at_proven_time' "${TRUST[@]}" --at "$LATER"
  expect_verify "$name B-B at $LATER" "$bb" 2 'chain\.out_of_period' "${TRUST[@]}" --at "$LATER"
  expect_verify "$name B-T at $LATER (no revocation data)" "$bt" 2 'revocation\.missing' \
    "${TRUST[@]}" --at "$LATER"

  # Archive renewal: a fresh document time-stamp over the old one and its validation data.
  renewed=$dir/renewed.pdf
  run_pactum "$renewed.ltv" ltv add "$lta" -o "$renewed" --ca-dir "$P/pki" "${TSA[@]}"
  if [ "$PACTUM_RC" -ne 0 ]; then
    fail "$name ltv add: exit $PACTUM_RC: $(first_line "$renewed.ltv.err")"
  else
    expect_verify "$name renewed" "$renewed" 0 '' "${TRUST[@]}"
    expect_verify "$name renewed at $LATER" "$renewed" 0 'doc_timestamp\.expired_covered' \
      "${TRUST[@]}" --at "$LATER"
  fi

  # A byte inside the range the document time-stamp covers (the header's binary comment).
  tampered=$dir/lta-tampered.pdf
  python3 "$HERE/tamper.py" byte-flip "$lta" "$tampered"
  expect_verify "$name B-LTA with a flipped byte" "$tampered" 1 'digest\.mismatch' "${TRUST[@]}"
  agree "$name B-LTA with a flipped byte" "$tampered"
  rm -rf "$dir"
done

echo
echo "pdfsig was fooled where we were not: $NOTES file(s)"
interop_finish
