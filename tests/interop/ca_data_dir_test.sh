#!/usr/bin/env bash
# ca_data_dir_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS PACTUMD
#
# `pactum ca ... --data DATA_DIR` on the platform PKI that `pactum init` seals under the data
# directory's master key:
# - `pactum ca issue DATA/pki` (plaintext mode) is refused and points at --data;
# - `pactum ca issue --data DATA` issues a certificate that chains to DATA/pki/ca/root.cert.pem;
# - pactumd --data DATA answers `openssl ocsp` good for it; `pactum ca revoke --data DATA` while
#   pactumd runs makes the running server answer revoked, and so does the next pactumd;
# - `pactum ca crl --data DATA` (and --root) write CRLs that `openssl crl -CAfile` verifies;
# - `pactum tsa stamp --data DATA` stamps with the sealed TSA key (openssl ts -verify agrees);
# - no key file under DATA/pki is a plaintext PEM private key;
# - pactumd never needs the root key: with it moved away (an offline root), pactumd serves the
#   stored root CRL, and after `pactum ca crl --root` (key back for that command only) the running
#   server serves the new one; pactumd warns at start when the root CRL is missing (or has under
#   30 days left), naming the command that renews it.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 6 "$@"
PACTUMD=$6

interop_init ca_data_dir
command -v openssl >/dev/null || die "openssl is missing"

DATA=$WORK/data
# shellcheck source=../support/pactumd.sh
source "$HERE/../support/pactumd.sh"
pactumd_setup "$PACTUMD" "$PACTUM" "$WORK"
trap pactumd_cleanup EXIT

# stop_server: SIGTERM the running pactumd and wait for it.
stop_server() {
  pactumd_stop || die "pactumd did not stop cleanly"
}

# start_server: pactumd --data DATA on a port the kernel picks; sets URL.
start_server() {
  pactumd_start --listen 127.0.0.1:0 --data "$DATA" || die "pactumd did not start"
  URL=$PACTUMD_URL
}

run_pactum "$WORK/init" init "$DATA"
[ "$PACTUM_RC" = 0 ] || die "pactum init failed: $(first_line "$WORK/init.err")"
ROOT=$DATA/pki/ca/root.cert.pem
ISSUING=$DATA/pki/ca/issuing.cert.pem

if grep -l "BEGIN .*PRIVATE KEY" -r "$DATA/pki" >/dev/null 2>&1; then
  fail "a plaintext private key lies under $DATA/pki"
else
  pass "the PKI keys under $DATA/pki are sealed (no plaintext PEM key)"
fi

run_pactum "$WORK/plain" ca issue "$DATA/pki" --person --name "Li Si" --id 110101199003071234 \
  --key-out "$WORK/plain.key" -o "$WORK/plain.pem"
if [ "$PACTUM_RC" -ne 0 ] && grep -q -- "--data" "$WORK/plain.err" && [ ! -e "$WORK/plain.pem" ]; then
  pass "pactum ca issue DATA/pki is refused with a pointer to --data"
else
  fail "pactum ca issue DATA/pki: exit $PACTUM_RC: $(first_line "$WORK/plain.err")"
fi

run_pactum "$WORK/issue" ca issue --data "$DATA" --person --name "Zhang San" \
  --id 110101199003071234 --key-out "$WORK/ee.key" -o "$WORK/ee.pem"
[ "$PACTUM_RC" = 0 ] || die "pactum ca issue --data failed: $(first_line "$WORK/issue.err")"
if openssl verify -CAfile "$ROOT" -untrusted "$ISSUING" "$WORK/ee.pem" >"$WORK/v.log" 2>&1; then
  pass "pactum ca issue --data: the certificate chains to the data directory's root"
else
  fail "pactum ca issue --data: $(first_line "$WORK/v.log")"
fi
SERIAL=$(openssl x509 -in "$WORK/ee.pem" -noout -serial | cut -d= -f2)

# ocsp_status: what pactumd's responder says about ee.pem ("good", "revoked", or the error).
ocsp_status() {
  openssl ocsp -issuer "$ISSUING" -cert "$WORK/ee.pem" -url "$URL/pki/ocsp" -CAfile "$ROOT" \
    >"$WORK/ocsp.log" 2>&1 || true
  sed -n 's/^.*ee\.pem: //p' "$WORK/ocsp.log" | head -n1
}

start_server
status=$(ocsp_status)
if [ "$status" = good ]; then
  pass "pactumd --data: OCSP says good"
else
  fail "pactumd --data: OCSP says '$status': $(first_line "$WORK/ocsp.log")"
fi

run_pactum "$WORK/revoke" ca revoke --data "$DATA" "$SERIAL" --reason keyCompromise
[ "$PACTUM_RC" = 0 ] || fail "pactum ca revoke --data: $(first_line "$WORK/revoke.err")"
status=$(ocsp_status)
if [ "$status" = revoked ] && grep -q "Reason: keyCompromise" "$WORK/ocsp.log"; then
  pass "the running pactumd answers revoked (keyCompromise) after pactum ca revoke --data"
else
  fail "the running pactumd says '$status' after the revocation"
  indent "$WORK/ocsp.log"
fi

stop_server
start_server
status=$(ocsp_status)
if [ "$status" = revoked ]; then
  pass "the next pactumd answers revoked too"
else
  fail "the next pactumd says '$status'"
fi
stop_server

# An offline root: the root key leaves the data directory, and pactumd still starts and serves
# the root CRL that `pactum init` signed.
mkdir -p "$WORK/offline"
mv "$DATA"/pki/ca/root.key.* "$WORK/offline/"
start_server
if curl -sf -o "$WORK/served-root-1.crl" "$URL/pki/root-crl" &&
  openssl crl -inform DER -in "$WORK/served-root-1.crl" -CAfile "$ROOT" -noout -crlnumber \
    >"$WORK/served-1.log" 2>&1 && grep -q "crlNumber=0x01" "$WORK/served-1.log" &&
  [ "$(ocsp_status)" = revoked ]; then
  pass "pactumd without the root key: serves root CRL number 1 and answers OCSP"
else
  fail "pactumd without the root key: $(first_line "$WORK/served-1.log") $(first_line "$PACTUMD_LOG")"
fi
if grep -q '"event":"root_crl"' "$PACTUMD_LOG"; then
  fail "pactumd warned about a root CRL with a year left: $(grep root_crl "$PACTUMD_LOG")"
else
  pass "no root CRL warning while the root CRL has a year left"
fi
stop_server
# Without a root CRL (a CA whose creation died before writing it), pactumd still starts and
# says at once what to run.
mv "$DATA/pki/ca/root.crl" "$WORK/root.crl.kept"
start_server
if grep '"event":"root_crl"' "$PACTUMD_LOG" | grep -q "pactum ca crl --root"; then
  pass "pactumd warns at start that the root CRL is missing and names the command"
else
  fail "no root CRL warning at start: $(first_line "$PACTUMD_LOG")"
fi
stop_server
mv "$WORK/root.crl.kept" "$DATA/pki/ca/root.crl"
start_server
run_pactum "$WORK/crl-nokey" ca crl --data "$DATA" --root -o "$WORK/nokey.crl"
if [ "$PACTUM_RC" -ne 0 ] && [ ! -e "$WORK/nokey.crl" ]; then
  pass "pactum ca crl --root without the root key fails and writes nothing"
else
  fail "pactum ca crl --root without the root key: exit $PACTUM_RC"
fi
mv "$WORK"/offline/root.key.* "$DATA/pki/ca/"

for kind in issuing root; do
  args=()
  ca=$ISSUING
  if [ "$kind" = root ]; then
    args=(--root)
    ca=$ROOT
  fi
  run_pactum "$WORK/crl-$kind" ca crl --data "$DATA" "${args[@]}" -o "$WORK/$kind.crl"
  if [ "$PACTUM_RC" = 0 ] &&
    openssl crl -inform DER -in "$WORK/$kind.crl" -CAfile <(cat "$ca" "$ROOT") -noout \
      >"$WORK/crl-$kind.log" 2>&1 && grep -q "verify OK" "$WORK/crl-$kind.log"; then
    pass "pactum ca crl --data ${args[*]}: openssl crl -CAfile verifies the $kind CA's CRL"
  else
    fail "pactum ca crl --data ${args[*]}: exit $PACTUM_RC $(first_line "$WORK/crl-$kind.err") $(first_line "$WORK/crl-$kind.log")"
  fi
done
if curl -sf -o "$WORK/served-root-2.crl" "$URL/pki/root-crl" &&
  cmp -s "$WORK/served-root-2.crl" "$WORK/root.crl" &&
  openssl crl -inform DER -in "$WORK/root.crl" -noout -crlnumber | grep -q "crlNumber=0x02"; then
  pass "the running pactumd serves the root CRL (number 2) that pactum ca crl --root signed"
else
  fail "the running pactumd does not serve the new root CRL"
fi
stop_server

# The data directory's TSA, in process: its key is sealed under the master key too.
printf 'a contract\n' >"$WORK/contract.txt"
run_pactum "$WORK/stamp" tsa stamp "$WORK/contract.txt" --data "$DATA" -o "$WORK/contract.tsr"
run_pactum "$WORK/stamp-verify" tsa verify "$WORK/contract.tsr" "$WORK/contract.txt" --trust "$ROOT"
if [ "$PACTUM_RC" = 0 ] &&
  openssl ts -verify -in "$WORK/contract.tsr" -data "$WORK/contract.txt" -CAfile "$ROOT" \
    -untrusted "$ISSUING" >"$WORK/ts.log" 2>&1; then
  pass "pactum tsa stamp --data: pactum tsa verify and openssl ts -verify accept the reply"
else
  fail "pactum tsa stamp --data: exit $PACTUM_RC $(first_line "$WORK/stamp.err") $(first_line "$WORK/ts.log")"
fi
run_pactum "$WORK/stamp-plain" tsa stamp "$WORK/contract.txt" --dir "$DATA/pki" -o "$WORK/plain.tsr"
if [ "$PACTUM_RC" -ne 0 ] && grep -q -- "--data" "$WORK/stamp-plain.err" && [ ! -e "$WORK/plain.tsr" ]; then
  pass "pactum tsa stamp --dir DATA/pki is refused with a pointer to --data"
else
  fail "pactum tsa stamp --dir DATA/pki: exit $PACTUM_RC: $(first_line "$WORK/stamp-plain.err")"
fi
if openssl crl -inform DER -in "$WORK/issuing.crl" -noout -text | grep -q "Serial Number: $SERIAL"; then
  pass "the issuing CA's CRL lists the revoked serial"
else
  fail "the issuing CA's CRL does not list $SERIAL"
fi

interop_finish
