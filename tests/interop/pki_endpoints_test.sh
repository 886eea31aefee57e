#!/usr/bin/env bash
# pki_endpoints_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS PACTUMD
#
# The platform PKI served by a real pactumd, judged by the openssl command line and pdfsig:
# `pactum ca init DATA/pki`, pactumd --data DATA on port 0, then
# - the CA certificates from /pki/*.cer are DER and the same as on disk;
# - `openssl ts -query` POSTed to /tsa with curl: `openssl ts -verify` accepts the reply;
#   `pactum tsa stamp --url` and `pactum tsa verify` agree;
# - `openssl ocsp` against /pki/ocsp says good, and after `pactum ca revoke` (another process
#   while the server runs) revoked with the reason; GET /pki/ocsp/{base64} answers too;
# - /pki/crl verifies with `openssl crl -CAfile` and lists the revoked serial;
# - the issuing CA certificate names /pki/root-crl and /pki/root-ca.cer; /pki/root-crl is the
#   root's CRL (`openssl crl -CAfile ROOT` verifies it), numbered apart from the issuing CA's,
#   and does not list the issuing CA;
# - wrong Content-Type (415), garbage DER (400), too large (413), wrong method (405) in the
#   JSON error shape;
# - `pactum sign --level B-T --tsa URL/tsa --tsa-trust ROOT` against the server passes
#   pdfsig-check (which asks the server's OCSP responder about the signer).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 6 "$@"
PACTUMD=$6

interop_init pki_endpoints
for tool in openssl curl; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done

DATA=$WORK/data
PKI=$DATA/pki
# shellcheck source=../support/pactumd.sh
source "$HERE/../support/pactumd.sh"
pactumd_setup "$PACTUMD" "$PACTUM" "$WORK"
trap pactumd_cleanup EXIT

# start_server LISTEN: starts pactumd on LISTEN with --data DATA; sets URL.
start_server() {
  pactumd_start --listen "$1" --data "$DATA" || die "pactumd did not start on $1"
  URL=$PACTUMD_URL
}

# The certificates must name the server's real address (pdfsig asks their OCSP URL), so a first
# run on port 0 finds a free port, and the server comes back on it with the PKI.
start_server 127.0.0.1:0
pactumd_stop || die "pactumd did not stop"
run_pactum "$WORK/init" ca init "$PKI" --base-url "$URL"
[ "$PACTUM_RC" = 0 ] || die "pactum ca init failed: $(first_line "$WORK/init.err")"
ROOT=$PKI/ca/root.cert.pem
ISSUING=$PKI/ca/issuing.cert.pem
ROOTS=("$ROOT")

run_pactum "$WORK/issue" ca issue "$PKI" --person --name "Zhang San" --id 110101199003071234 \
  --key-out "$WORK/ee.key" -o "$WORK/ee.pem"
[ "$PACTUM_RC" = 0 ] || die "pactum ca issue failed: $(first_line "$WORK/issue.err")"
SERIAL=$(openssl x509 -in "$WORK/ee.pem" -noout -serial | cut -d= -f2)

start_server "${URL#http://}"
echo "pactumd at $URL"

# http_post PATH CONTENT_TYPE BODY_FILE OUT: prints the status; the body goes to OUT.
http_post() {
  curl -sS -o "$4" -w '%{http_code}' -X POST -H "Content-Type: $2" --data-binary "@$3" "$URL$1"
}

# --- CA certificates -------------------------------------------------------------------------
for pair in root-ca.cer:"$ROOT" issuing-ca.cer:"$ISSUING" tsa.cer:"$PKI/tsa/tsa.cert.pem"; do
  name=${pair%%:*}
  pem=${pair#*:}
  type=$(curl -sS -o "$WORK/$name" -w '%{content_type}' "$URL/pki/$name")
  openssl x509 -in "$pem" -outform DER -out "$WORK/$name.expected"
  if [ "$type" = application/pkix-cert ] && cmp -s "$WORK/$name" "$WORK/$name.expected"; then
    pass "GET /pki/$name: the DER certificate, application/pkix-cert"
  else
    fail "GET /pki/$name: content type '$type' or bytes differ from $pem"
  fi
done

# --- TSA -------------------------------------------------------------------------------------
DOC=$WORK/contract.txt
echo "contract $(date +%s%N)" >"$DOC"
openssl ts -query -data "$DOC" -sha256 -cert -out "$WORK/q.tsq" 2>/dev/null
status=$(http_post /tsa application/timestamp-query "$WORK/q.tsq" "$WORK/r.tsr")
if [ "$status" = 200 ] &&
  openssl ts -verify -data "$DOC" -in "$WORK/r.tsr" -CAfile "$ROOT" >"$WORK/tsv.log" 2>&1; then
  pass "POST /tsa: openssl ts -verify accepts the reply to openssl ts -query"
else
  fail "POST /tsa: status $status; $(first_line "$WORK/tsv.log")"
fi
if openssl ts -reply -in "$WORK/r.tsr" -text 2>/dev/null | grep -q "Policy OID: 1.3.6.1.4.1.55555.2.1"; then
  pass "POST /tsa: the token carries the platform TSA policy"
else
  fail "POST /tsa: no platform TSA policy in the token"
fi
echo "tampered" >>"$DOC.2" && cat "$DOC" >>"$DOC.2"
if openssl ts -verify -data "$DOC.2" -in "$WORK/r.tsr" -CAfile "$ROOT" >/dev/null 2>&1; then
  fail "POST /tsa: openssl accepted the token for other data"
else
  pass "POST /tsa: openssl refuses the token for other data"
fi
run_pactum "$WORK/stamp" tsa stamp "$DOC" --url "$URL/tsa" --trust "$ROOT" -o "$WORK/p.tsr"
run_pactum "$WORK/tverify" tsa verify "$WORK/p.tsr" "$DOC" --trust "$ROOT"
if [ "$PACTUM_RC" = 0 ] && openssl ts -verify -data "$DOC" -in "$WORK/p.tsr" -CAfile "$ROOT" >/dev/null 2>&1; then
  pass "pactum tsa stamp --url: pactum tsa verify and openssl ts -verify accept it"
else
  fail "pactum tsa stamp/verify over HTTP: $(first_line "$WORK/stamp.err") $(first_line "$WORK/tverify.out")"
fi
run_pactum "$WORK/tverify2" tsa verify "$WORK/p.tsr" "$DOC.2" --trust "$ROOT"
[ "$PACTUM_RC" = 1 ] && pass "pactum tsa verify: another file is not valid (exit 1)" ||
  fail "pactum tsa verify on another file: exit $PACTUM_RC"

# --- OCSP ------------------------------------------------------------------------------------
ocsp() {
  openssl ocsp -issuer "$ISSUING" -cert "$WORK/ee.pem" -url "$URL/pki/ocsp" -CAfile "$ROOT" \
    -resp_text "$@" >"$WORK/ocsp.log" 2>&1
}
if ocsp && grep -q "ee.pem: good" "$WORK/ocsp.log" && grep -q "Response verify OK" "$WORK/ocsp.log"; then
  pass "POST /pki/ocsp: openssl ocsp verifies the response and says good"
else
  fail "POST /pki/ocsp before revocation: $(grep -m1 -E 'ee.pem|rror' "$WORK/ocsp.log" || true)"
fi
# GET with the request in the URL (RFC 6960 appendix A.1): base64, URL-encoded, and also with
# '/' left unescaped as some clients send it. A nonce varies the request until its base64 holds a
# '/', so the case is always exercised.
for _ in $(seq 1 64); do
  openssl ocsp -issuer "$ISSUING" -cert "$WORK/ee.pem" -reqout "$WORK/req.der" >/dev/null 2>&1
  raw=$(openssl base64 -A -in "$WORK/req.der")
  [[ "$raw" == */* ]] && break
done
encoded=$(sed -e 's|+|%2B|g' -e 's|/|%2F|g' -e 's|=|%3D|g' <<<"$raw")
for form in encoded raw; do
  type=$(curl -sS -o "$WORK/get.ocsp" -w '%{content_type}' "$URL/pki/ocsp/${!form}")
  if [ "$type" = application/ocsp-response ] &&
    openssl ocsp -respin "$WORK/get.ocsp" -issuer "$ISSUING" -cert "$WORK/ee.pem" -CAfile "$ROOT" \
      -no_nonce >"$WORK/get.log" 2>&1 && grep -q "ee.pem: good" "$WORK/get.log"; then
    pass "GET /pki/ocsp/{base64} ($form '/'): openssl reads a good response"
  else
    fail "GET /pki/ocsp/{base64} ($form '/'): type '$type', $(first_line "$WORK/get.log")"
  fi
done

run_pactum "$WORK/revoke" ca revoke "$PKI" "$SERIAL" --reason keyCompromise
[ "$PACTUM_RC" = 0 ] || fail "pactum ca revoke while pactumd runs: $(first_line "$WORK/revoke.err")"
if ocsp && grep -q "ee.pem: revoked" "$WORK/ocsp.log" && grep -q "Reason: keyCompromise" "$WORK/ocsp.log"; then
  pass "POST /pki/ocsp after pactum ca revoke: revoked, keyCompromise"
else
  fail "POST /pki/ocsp after revocation: $(grep -m1 -E 'ee.pem|rror' "$WORK/ocsp.log" || true)"
fi

# --- CRL -------------------------------------------------------------------------------------
type=$(curl -sS -o "$WORK/crl.der" -w '%{content_type}' "$URL/pki/crl")
cat "$ISSUING" "$ROOT" >"$WORK/chain.pem"
if [ "$type" = application/pkix-crl ] &&
  openssl crl -inform DER -in "$WORK/crl.der" -CAfile "$WORK/chain.pem" -noout >"$WORK/crl.log" 2>&1 &&
  grep -q "verify OK" "$WORK/crl.log"; then
  pass "GET /pki/crl: openssl crl -CAfile verifies it"
else
  fail "GET /pki/crl: type '$type', $(first_line "$WORK/crl.log")"
fi
if openssl crl -inform DER -in "$WORK/crl.der" -noout -text | grep -A5 "Serial Number: $SERIAL" |
  grep -q "Key Compromise"; then
  pass "GET /pki/crl: lists serial $SERIAL as Key Compromise"
else
  fail "GET /pki/crl: serial $SERIAL not listed with its reason"
fi

# --- the root's CRL, the issuing CA's revocation source ----------------------------------------
if openssl x509 -in "$ISSUING" -noout -text >"$WORK/issuing.txt" &&
  grep -q "URI:$URL/pki/root-crl" "$WORK/issuing.txt" &&
  grep -q "CA Issuers - URI:$URL/pki/root-ca.cer" "$WORK/issuing.txt"; then
  pass "the issuing CA certificate names /pki/root-crl and /pki/root-ca.cer"
else
  fail "the issuing CA certificate does not name the root's CRL and certificate"
  indent "$WORK/issuing.txt"
fi
type=$(curl -sS -o "$WORK/root-crl.der" -w '%{content_type}' "$URL/pki/root-crl")
if [ "$type" = application/pkix-crl ] &&
  openssl crl -inform DER -in "$WORK/root-crl.der" -CAfile "$ROOT" -noout >"$WORK/root-crl.log" 2>&1 &&
  grep -q "verify OK" "$WORK/root-crl.log"; then
  pass "GET /pki/root-crl: openssl crl -CAfile ROOT verifies it"
else
  fail "GET /pki/root-crl: type '$type', $(first_line "$WORK/root-crl.log")"
fi
issuing_serial=$(openssl x509 -in "$ISSUING" -noout -serial | cut -d= -f2)
openssl crl -inform DER -in "$WORK/root-crl.der" -noout -text >"$WORK/root-crl.txt" 2>&1 || true
if grep -q "Issuer: .*CN *= *$(openssl x509 -in "$ROOT" -noout -subject -nameopt multiline |
  sed -n 's/^ *commonName *= *//p')" "$WORK/root-crl.txt" &&
  grep -q "X509v3 CRL Number" "$WORK/root-crl.txt" &&
  ! grep -q "Serial Number: $issuing_serial" "$WORK/root-crl.txt"; then
  pass "GET /pki/root-crl: issued by the root, numbered, the issuing CA not revoked"
else
  fail "GET /pki/root-crl does not look like the root's CRL"
  indent "$WORK/root-crl.txt"
fi

# --- bad requests ----------------------------------------------------------------------------
# check_error LABEL EXPECTED_STATUS ACTUAL_STATUS BODY_FILE CODE
check_error() {
  if [ "$3" = "$2" ] && grep -q "\"code\":\"$5\"" "$4" && grep -q '"request_id"' "$4"; then
    pass "$1: $2 $5"
  else
    fail "$1: status $3, body $(head -c 200 "$4")"
  fi
}
status=$(http_post /tsa text/plain "$WORK/q.tsq" "$WORK/e1")
check_error "POST /tsa as text/plain" 415 "$status" "$WORK/e1" unsupported_media_type
head -c 300 /dev/urandom >"$WORK/garbage"
status=$(http_post /tsa application/timestamp-query "$WORK/garbage" "$WORK/e2")
check_error "POST /tsa with garbage" 400 "$status" "$WORK/e2" bad_request
status=$(http_post /pki/ocsp application/ocsp-request "$WORK/garbage" "$WORK/e3")
check_error "POST /pki/ocsp with garbage" 400 "$status" "$WORK/e3" bad_request
status=$(http_post /pki/ocsp application/json "$WORK/req.der" "$WORK/e4")
check_error "POST /pki/ocsp as application/json" 415 "$status" "$WORK/e4" unsupported_media_type
head -c 70000 /dev/zero >"$WORK/big"
status=$(http_post /tsa application/timestamp-query "$WORK/big" "$WORK/e5")
check_error "POST /tsa with 70000 bytes" 413 "$status" "$WORK/e5" body_too_large
status=$(curl -sS -o "$WORK/e6" -w '%{http_code}' "$URL/pki/ocsp/not-base64!")
check_error "GET /pki/ocsp/not-base64!" 400 "$status" "$WORK/e6" bad_request
status=$(curl -sS -o "$WORK/e7" -w '%{http_code}' -X DELETE "$URL/pki/crl")
check_error "DELETE /pki/crl" 405 "$status" "$WORK/e7" method_not_allowed

# --- B-T signing against the running server --------------------------------------------------
PDF=$CORPUS/$(awk -F'\t' 'NR > 1 && $1 ~ /\.pdf$/ {print $1; exit}' "$CORPUS/MANIFEST.tsv")
[ -f "$PDF" ] || PDF=$(find "$CORPUS" -name '*.pdf' | sort | head -n1)
run_pactum "$WORK/issue2" ca issue "$PKI" --person --name "Li Si" --id 110101199003075678 \
  --key-out "$WORK/signer.key" -o "$WORK/signer.pem"
run_pactum "$WORK/sign" sign "$PDF" "$WORK/bt.pdf" --key "$WORK/signer.key" \
  --cert "$WORK/signer.pem" --chain "$ISSUING" --level B-T --tsa "$URL/tsa" --tsa-trust "$ROOT"
if [ "$PACTUM_RC" = 0 ]; then
  pass "pactum sign --level B-T --tsa $URL/tsa"
  check_pdfsig "B-T against pactumd ($(basename "$PDF"))" "$WORK/bt.pdf"
else
  fail "pactum sign --level B-T against pactumd: $(first_line "$WORK/sign.err")"
fi
if grep -q '"target":"/tsa","status":200' "$PACTUMD_LOG"; then
  pass "the server logged the time-stamp requests"
else
  fail "no access-log line for POST /tsa"
fi

interop_finish
