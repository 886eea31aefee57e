#!/usr/bin/env bash
# Measures the signing engine beside its floor and a peer, in one run, on this machine.
#   ./scripts/bench.sh BUILD_DIR      (what `make bench` runs)
# Prints every figure; docs/BENCHMARKS.md records a run and how to read it.
set -euo pipefail
build=${1:-build}
pactum="$build/apps/pactum/pactum"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine"
nproc
grep -m1 'model name' /proc/cpuinfo || true

echo "== floor: openssl speed (key operation alone, one core)"
openssl speed -seconds 2 rsa2048 ecdsap256 2>/dev/null | grep -E '^(rsa|[ ]*256 bits ecdsa)|sign/s' || true
echo "== floor: openssl speed sha256"
openssl speed -seconds 2 -bytes 16384 sha256 2>/dev/null | tail -2 || true

echo "== engine (Google Benchmark, in process)"
"$build/bench/pactum_engine_bench" --benchmark_min_time=1 --benchmark_counters_tabular=true

echo "== validation: 10 signatures on a 1 MB document, against its floor (Google Benchmark)"
"$build/bench/pactum_validate_bench" --benchmark_min_time=3

echo "== whole command, one process per signature: pactum sign vs poppler pdfsig -add-signature"
echo "   (pdfsig 22 cannot add ETSI.CAdES.detached signatures; it makes adbe.pkcs7.detached ones)"
"$pactum" dev-ca "$work/ca" >/dev/null
"$build/bench/pactum_make_pdf" "$work/100k.pdf" 102400
# The peer: poppler's pdfsig signs with a key in an NSS database.
mkdir "$work/nss"
certutil -N -d "sql:$work/nss" --empty-password >/dev/null
# RSA: with ECDSA keys pdfsig 22 fails now and then ("unable update signature"), apparently
# because the signature length varies.
openssl pkcs12 -export -inkey "$work/ca/rsa.key.pem" -in "$work/ca/rsa.cert.pem" \
  -name signer -passout pass: -out "$work/rsa.p12"
pk12util -i "$work/rsa.p12" -d "sql:$work/nss" -W '' >/dev/null
# pdfsig refuses to overwrite its output, so every run starts without one.
hyperfine --warmup 3 --min-runs 30 -N --prepare "rm -f $work/out-pactum.pdf $work/out-pdfsig.pdf" \
  "$pactum sign $work/100k.pdf $work/out-pactum.pdf --key $work/ca/rsa.key.pem --cert $work/ca/rsa.cert.pem" \
  "pdfsig -nssdir sql:$work/nss -add-signature -nick signer $work/100k.pdf $work/out-pdfsig.pdf"

echo "== output sizes (pactum appends an update; pdfsig rewrites the whole file)"
"$pactum" sign "$work/100k.pdf" "$work/out-pactum.pdf" --key "$work/ca/rsa.key.pem" \
  --cert "$work/ca/rsa.cert.pem" >/dev/null
ls -l "$work/100k.pdf" "$work/out-pactum.pdf" "$work/out-pdfsig.pdf" | awk '{print $5, $9}'

echo "== pactum bench sign (same code path as pactum sign, in one process)"
"$pactum" bench sign "$work/100k.pdf" -n 2000 --key "$work/ca/ec.key.pem" --cert "$work/ca/ec.cert.pem"
"$pactum" bench sign "$work/100k.pdf" -n 500 --key "$work/ca/rsa.key.pem" --cert "$work/ca/rsa.cert.pem"

echo "== memory: signing a 200 MB PDF (maximum resident set)"
"$build/bench/pactum_make_pdf" "$work/200m.pdf" $((200 * 1024 * 1024))
/usr/bin/time -f "max resident: %M KiB, elapsed %e s" \
  "$pactum" sign "$work/200m.pdf" "$work/200m-signed.pdf" --key "$work/ca/ec.key.pem" --cert "$work/ca/ec.cert.pem"

echo "== blob store: a 200 MB document put (encrypt, fsync) and read back (decrypt, fsync)"
echo "   floors: AES-256-GCM alone (openssl speed), and copying the file with fsync (dd)"
openssl speed -seconds 2 -bytes 1048576 -evp aes-256-gcm 2>/dev/null | tail -1 || true
head -c $((200 * 1024 * 1024)) /dev/zero >"$work/dd-in"
/usr/bin/time -f "dd copy with fsync: %e s" dd if="$work/dd-in" of="$work/dd-out" bs=1M conv=fsync 2>&1 | tail -1
rm -f "$work/dd-in" "$work/dd-out"
"$build/bench/pactum_blob_store_bench" "$work/blobs-files" 200 files
"$build/bench/pactum_blob_store_bench" "$work/blobs-db" 200 database

echo "== master-key rotation: re-sealing 10,000 users' personal data (SQLite)"
"$build/bench/pactum_reseal_bench" "$work/reseal" 10000 500

echo "== HTTP load: pactumd against nginx (scripts/loadbench.sh)"
"$(dirname "$0")/loadbench.sh" "$build"
