#!/usr/bin/env bash
# verify_online_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS MAKE_TEST_PKI
#
# `pactum verify --online` end to end. make_test_pki makes a platform PKI whose certificates name
# its OCSP responder and CRLs on 127.0.0.1 (a port the kernel picked) and serves them. A B-B file
# of its signer carries no revocation data:
# - offline (the default): indeterminate (exit 2), revocation missing, nothing fetched;
# - --online: valid (exit 0), the signer's OCSP answer and the root's CRL about the issuing CA
#   fetched, and the report and the JSON say the data came from the network;
# - a file without the issuing CA certificate: offline the chain is incomplete (exit 2), --online
#   fetches it from the signer's CA issuers address (exit 0);
# - after `pactum ca revoke` (while the responder runs) of the signer, before the claimed signing
#   time (the file is signed a few minutes ahead): --online says invalid (exit 1);
# - with the responder gone: --online is indeterminate again (exit 2), offline unchanged.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 6 "$@"
MAKE_TEST_PKI=$6

interop_init verify_online
P=$WORK/pki
serve_test_pki "$MAKE_TEST_PKI" "$P"
pass "platform PKI serving OCSP and CRLs at $(cat "$P/ready")"
TRUST=(--trust "$P/root.pem")

src=$CORPUS/good17.pdf
[ -r "$src" ] || die "good17.pdf is missing from the corpus"
bb=$WORK/bb.pdf
# SIGN_TIME lies a few minutes ahead, so a revocation made now precedes the claimed time.
sign "B-B" "$src" "$bb" --key "$P/signer.key.pem" --cert "$P/signer.cert.pem" \
  --chain "$P/issuing.pem" --time "$SIGN_TIME" || die "cannot sign"

expect_verify "B-B offline" "$bb" 2 'revocation\.missing' "${TRUST[@]}"
if grep -q 'fetched online' "$bb.verify.out"; then
  fail "offline verification claims to have fetched something"
else
  pass "offline verification fetched nothing"
fi

expect_verify "B-B --online" "$bb" 0 'revocation\.good' "${TRUST[@]}" --online
if grep -q 'Revocation: good (data fetched online' "$bb.verify.out" &&
  [ "$(grep -c 'fetched online.*revocation\.good' "$bb.verify.out")" -ge 2 ]; then
  pass "--online report: revocation good, signer and issuing CA checked over the network"
else
  fail "--online report does not say the signer and issuing CA data were fetched"
  indent "$bb.verify.out"
fi
run_pactum "$bb.json" verify "$bb" --json --online "${TRUST[@]}"
if python3 - "$bb.json.out" <<'PY'; then
import json, sys
s = json.load(open(sys.argv[1]))["signatures"][0]
sys.exit(0 if s["revocation"] == "good" and s["revocation_fetched_online"] and not s["ltv"] else 1)
PY
  pass "--online --json: revocation good, revocation_fetched_online true, not LTV"
else
  fail "--online --json does not say what it should"
  indent "$bb.json.out"
fi

# A file without the intermediate: offline the chain stops at the signer; online the issuing CA
# comes from the CA issuers address the signer's certificate names.
nochain=$WORK/nochain.pdf
sign "B-B without the issuing CA" "$src" "$nochain" --key "$P/signer.key.pem" \
  --cert "$P/signer.cert.pem" --time "$SIGN_TIME" || die "cannot sign"
expect_verify "B-B without the issuing CA, offline" "$nochain" 2 'chain\.not_trusted' "${TRUST[@]}"
expect_verify "B-B without the issuing CA, --online" "$nochain" 0 'chain\.issuer_fetched' \
  "${TRUST[@]}" --online

serial=$(openssl x509 -in "$P/signer.cert.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
run_pactum "$WORK/revoke" ca revoke "$P/pki" "$serial" --reason keyCompromise
if [ "$PACTUM_RC" -ne 0 ]; then
  die "pactum ca revoke failed (exit $PACTUM_RC): $(first_line "$WORK/revoke.err")"
fi
pass "signer revoked with pactum ca revoke beside the running responder"
expect_verify "B-B --online after revocation" "$bb" 1 'revocation\.revoked_before_signing' \
  "${TRUST[@]}" --online
expect_verify "B-B offline after revocation (it cannot know)" "$bb" 2 'revocation\.missing' \
  "${TRUST[@]}"

kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
expect_verify "B-B --online with the responder gone" "$bb" 2 'revocation\.missing' \
  "${TRUST[@]}" --online
if grep -q 'none could be fetched' "$bb.verify.out"; then
  pass "--online without a responder says nothing could be fetched"
else
  fail "--online without a responder does not say the fetch failed"
  indent "$bb.verify.out"
fi

interop_finish
