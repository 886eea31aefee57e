#!/usr/bin/env bash
# verify_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS
#
# `pactum verify` on files our signer made and on attacks crafted from them (tamper.py):
# - one signer, five signers, certified (P=2) plus an approval, B-T: exit 0 with the roots as
#   --trust, 2 (indeterminate) without or with a root that issued none of them;
# - each attack class: exit 1, and the report names what is wrong (a finding code), including
#   shadow attacks (objects planted unused before signing, revealed afterwards);
# - agreement with poppler: for every file, our "valid" must match pdfsig-check's "ok". Where we
#   say not valid and pdfsig says ok, pdfsig was fooled: noted (NOTE) rather than failed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 5 "$@"

interop_init verify
command -v python3 >/dev/null || die "python3 is missing (tamper.py crafts the attacks)"
setup_ca
setup_extra_signers
setup_nssdb
TRUST=()
for r in "${ROOTS[@]}"; do
  TRUST+=(--trust "$r")
done
WRONG=$WORK/wrong-root.pem
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/wrong.key" -out "$WRONG" -days 30 \
  -subj "/CN=A root that issued nothing here" >/dev/null 2>&1 || die "openssl: cannot make a root"
NOTES=0

for name in good17.pdf c-object-streams.pdf producer-libreoffice-labour-zh.pdf; do
  src=$CORPUS/$name
  dir=$WORK/${name%.pdf}
  mkdir -p "$dir"
  echo
  echo "-- $name"
  [ -r "$src" ] || { fail "$name: missing from the corpus"; continue; }

  one=$dir/one.pdf
  if sign "$name one signer" "$src" "$one" --key "$RSA_KEY" --cert "$RSA_CERT" \
      --reason "Approved AAAA" --time "$SIGN_TIME"; then
    expect_verify "$name one signer, trusted" "$one" 0 'chain\.trusted' "${TRUST[@]}"
    expect_verify "$name one signer, no --trust" "$one" 2 'chain\.no_anchors'
    expect_verify "$name one signer, wrong root" "$one" 2 'chain\.not_trusted' --trust "$WRONG"
    agree "$name one signer" "$one"
    run_pactum "$one.json" verify "$one" --json "${TRUST[@]}"
    if grep -q '"verdict": "valid"' "$one.json.out"; then
      pass "$name one signer: --json says valid"
    else
      fail "$name one signer: --json does not say valid"
    fi

    declare -A attacks=(
      [range-null]='byte_range\.missing'
      [contents-empty]='contents\.empty'
      [range-outside]='byte_range\.outside_file'
      [byte-flip]='digest\.mismatch'
      [isa-xref]='change\.object_changed'
      [isa-noxref]='document\.unaccounted_data'
      [wrap]='byte_range\.gap_not_hex_string'
      [remove-field]='change\.signature_removed'
      [digest-flip]='digest\.mismatch'
    )
    for mode in range-null contents-empty range-outside byte-flip isa-xref isa-noxref wrap \
        remove-field digest-flip; do
      out=$dir/$mode.pdf
      if ! python3 "$HERE/tamper.py" "$mode" "$one" "$out" 2>"$out.tamper.err"; then
        fail "$name $mode: tamper.py failed: $(first_line "$out.tamper.err")"
        continue
      fi
      expect_verify "$name attack $mode" "$out" 1 "${attacks[$mode]}" "${TRUST[@]}"
      agree "$name attack $mode" "$out"
    done
  fi

  # B-T: the signature time-stamp is verified and its time reported; pdfsig agrees it is valid.
  bt=$dir/bt.pdf
  if sign "$name B-T" "$src" "$bt" --key "$EC_KEY" --cert "$EC_CERT" --level B-T \
      --tsa-key "$CA/tsa.key.pem" --tsa-cert "$CA/tsa.cert.pem"; then
    expect_verify "$name B-T" "$bt" 0 'timestamp\.trusted' "${TRUST[@]}"
    agree "$name B-T" "$bt"
  fi

  # Shadow attacks: objects planted unused before signing, revealed by a later update that only
  # changes references. pdfsig does not compare revisions, so it may call these valid: ours is
  # stricter on purpose (agree() counts those as NOTEs, not failures).
  planted=$dir/planted.pdf
  if python3 "$HERE/tamper.py" plant "$src" "$planted" 2>"$planted.err" &&
    sign "$name planted" "$planted" "$planted.signed.pdf" --key "$EC_KEY" --cert "$EC_CERT" \
      --time "$SIGN_TIME"; then
    expect_verify "$name planted, signed" "$planted.signed.pdf" 0 '' "${TRUST[@]}"
    for mode in shadow-hide shadow-replace shadow-hide-replace; do
      out=$dir/$mode.pdf
      if ! python3 "$HERE/tamper.py" "$mode" "$planted.signed.pdf" "$out" 2>"$out.tamper.err"; then
        fail "$name $mode: tamper.py failed: $(first_line "$out.tamper.err")"
        continue
      fi
      expect_verify "$name attack $mode" "$out" 1 'change\.shadow' "${TRUST[@]}"
      agree "$name attack $mode" "$out"
    done
  else
    fail "$name: cannot plant shadow objects: $(first_line "$planted.err")"
  fi

  # Five signers, five certificates (pdfsig checks each certificate once per run).
  cur=$src
  ok=1
  keys=("$RSA_KEY" "$EC_KEY" "${X_KEY[1]}" "${X_KEY[2]}" "${X_KEY[3]}")
  certs=("$RSA_CERT" "$EC_CERT" "${X_CERT[1]}" "${X_CERT[2]}" "${X_CERT[3]}")
  for i in 0 1 2 3 4; do
    out=$dir/five$i.pdf
    sign "$name signer $((i + 1))" "$cur" "$out" --key "${keys[$i]}" --cert "${certs[$i]}" \
      --time "$SIGN_TIME" || { ok=0; break; }
    cur=$out
  done
  if [ "$ok" -eq 1 ]; then
    expect_verify "$name five signers" "$cur" 0 '' "${TRUST[@]}"
    agree "$name five signers" "$cur"
  fi

  cert=$dir/certified.pdf
  if sign "$name certified P=2" "$src" "$cert" --key "$RSA_KEY" --cert "$RSA_CERT" --certify 2 \
      --time "$SIGN_TIME" &&
    sign "$name certified + approval" "$cert" "$cert.a.pdf" --key "${X_KEY[1]}" \
      --cert "${X_CERT[1]}" --time "$SIGN_TIME"; then
    expect_verify "$name certified P=2" "$cert" 0 '' "${TRUST[@]}"
    expect_verify "$name certified P=2 + approval" "$cert.a.pdf" 0 '' "${TRUST[@]}"
    agree "$name certified P=2 + approval" "$cert.a.pdf"
  fi
  rm -rf "$dir"
done

echo
echo "pdfsig was fooled where we were not: $NOTES file(s)"
interop_finish
