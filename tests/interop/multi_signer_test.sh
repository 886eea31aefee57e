#!/usr/bin/env bash
# multi_signer_test.sh PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS MODE
#
# MODE chain:   five signers in a row (RSA and EC alternating, five different certificates: two
#               from pactum dev-ca, three made with openssl; invisible, visible, visible,
#               invisible, visible) on corpus files of different structure. After every step pdfsig
#               must count one more signature, all valid, pdfsig-check must pass (the last one covers
#               the whole file) and the previous file must be a byte prefix. At the end: qpdf --check,
#               and only page 1 renders differently, inside the three appearance rectangles.
# MODE certify: certification (DocMDP). --certify 2 and 3 then approval signatures: all valid.
#               --certify 1 then another signature, or another certification: refused, with a
#               message about certification, and no output file.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
interop_args 6 "$@"
MODE=$6

interop_init "multi_signer_$MODE"
setup_ca
setup_extra_signers
setup_nssdb
setup_stamp

# check_count LABEL PDF N: pdfsig reports exactly N signatures, all "Signature is Valid".
check_count() {
  local label=$1 pdf=$2 want=$3 total valid
  read -r total valid <<<"$(count_signatures "$pdf")"
  if [ "$total" -eq "$want" ] && [ "$valid" -eq "$want" ]; then
    pass "$label: pdfsig reports $want signature(s), all valid"
  else
    fail "$label: pdfsig reports $total signature(s), $valid valid; expected $want valid"
    grep -E '^Signature #|Field Name|Validation' "$pdf.pdfsig.txt" | indent
  fi
}

# check_docmdp LABEL PDF P: the catalog has /Perms /DocMDP and the transform params say /P P.
check_docmdp() {
  local label=$1 pdf=$2 p=$3 qdf=$2.qdf
  if ! qpdf --qdf --object-streams=disable "$pdf" "$qdf" 2>/dev/null && [ ! -s "$qdf" ]; then
    fail "$label: qpdf cannot rewrite the output to look for DocMDP"
    return
  fi
  if grep -aq '/Perms' "$qdf" && grep -aq '/TransformMethod /DocMDP' "$qdf" &&
    grep -aqE "^[[:space:]]*/P $p[[:space:]]*$|/P $p[[:space:]]*>>" "$qdf"; then
    pass "$label: catalog /Perms /DocMDP, TransformParams /P $p"
  else
    fail "$label: no certification found (/Perms, /TransformMethod /DocMDP, /P $p)"
  fi
  rm -f "$qdf"
}

# expect_refusal LABEL OUT REGEX: the last pactum run failed, said REGEX, and left no OUT.
expect_refusal() {
  local label=$1 out=$2 regex=$3
  if crashed "$out.sign"; then
    fail "$label: crashed (exit $PACTUM_RC): $(first_line "$out.sign.err")"
  elif [ "$PACTUM_RC" -eq 0 ]; then
    fail "$label: pactum sign succeeded but must refuse"
  elif ! grep -qiE "$regex" "$out.sign.err"; then
    fail "$label: refused (exit $PACTUM_RC) but the message does not match /$regex/: $(first_line "$out.sign.err")"
  else
    pass "$label: refused (exit $PACTUM_RC): $(first_line "$out.sign.err")"
  fi
  [ ! -e "$out" ] || fail "$label: $out exists after a refusal"
}

chain() {
  local name=$1 src=$CORPUS/$1 dir=$WORK/$1.d
  mkdir -p "$dir"
  echo
  echo "-- $name: five signers"
  if [ ! -r "$src" ]; then
    fail "$name: missing from the corpus"
    return
  fi
  local orig_qpdf r0 r2 x0 y0 w h x2 union
  orig_qpdf=$(qpdf_status "$src")
  render "$src" "$dir/orig" || fail "$name: pdftoppm cannot render the original"
  r0=$(rect_on_page "$src" 1 0)
  local rects=("" "$r0" "$(rect_on_page "$src" 1 1)" "" "$(rect_on_page "$src" 1 2)")
  r2=${rects[4]}
  IFS=, read -r x0 y0 w h <<<"$r0"
  IFS=, read -r x2 _ _ _ <<<"$r2"
  union="$x0,$y0,$((x2 + w - x0)),$h"

  local cur=$src i key cert label out vis
  for i in 1 2 3 4 5; do
    # RSA and EC alternate; signers 1-2 are pactum dev-ca's, 3-5 openssl-made (see
    # setup_extra_signers: pdfsig cannot check one certificate twice in a file).
    case $i in
      1) key=$RSA_KEY cert=$RSA_CERT label="RSA dev-ca" ;;
      2) key=$EC_KEY cert=$EC_CERT label="EC dev-ca" ;;
      3) key=${X_KEY[1]} cert=${X_CERT[1]} label="RSA openssl" ;;
      4) key=${X_KEY[2]} cert=${X_CERT[2]} label="EC P-384 openssl" ;;
      5) key=${X_KEY[3]} cert=${X_CERT[3]} label="RSA-3072 openssl" ;;
    esac
    vis=${rects[$((i - 1))]}
    out=$dir/step$i.pdf
    if [ -n "$vis" ]; then
      label="$name signer $i ($label, visible [$vis])"
    else
      label="$name signer $i ($label, invisible)"
    fi
    local args=(--key "$key" --cert "$cert" --name "签署人 $i Signer $i" --reason "第${i}位 approval $i"
      --time "$SIGN_TIME")
    [ -z "$vis" ] || args+=(--page 1 --rect "$vis" --image "$STAMP")
    if ! sign "$label" "$cur" "$out" "${args[@]}"; then
      [ ! -e "$out" ] || fail "$label: $out left behind after a failure"
      return
    fi
    check_count "$label" "$out" "$i"
    check_pdfsig "$label" "$out"
    check_prefix "$label" "$cur" "$out"
    cur=$out
  done
  check_qpdf "$name after 5 signers" "$cur" "$orig_qpdf"
  check_prefix "$name after 5 signers (vs original)" "$src" "$cur"
  check_renders "$name after 5 signers" "$dir/orig" "$cur" 1 "$union" "$src"
  check_inspect "$name after 5 signers" "$cur"
  rm -rf "$dir"
}

certify() {
  local name=$1 src=$CORPUS/$1 dir=$WORK/$1.d
  mkdir -p "$dir"
  echo
  echo "-- $name: certification"
  if [ ! -r "$src" ]; then
    fail "$name: missing from the corpus"
    return
  fi
  local rect p out
  rect=$(rect_on_page "$src" 1 1)
  local refusal='certif|DocMDP|P ?= ?1|no changes|not permit|forbid|locked'

  for p in 2 3; do
    out=$dir/certify$p.pdf
    if sign "$name --certify $p" "$src" "$out" --key "$RSA_KEY" --cert "$RSA_CERT" --certify "$p" \
        --reason "Certified P=$p 认证" --time "$SIGN_TIME"; then
      check_pdfsig "$name --certify $p" "$out"
      check_docmdp "$name --certify $p" "$out" "$p"
      if sign "$name --certify $p + EC visible approval" "$out" "$out.a.pdf" --key "$EC_KEY" \
          --cert "$EC_CERT" --page 1 --rect "$rect" --image "$STAMP" --name "李四 Li Si" \
          --time "$SIGN_TIME"; then
        check_count "$name --certify $p + EC visible approval" "$out.a.pdf" 2
        check_prefix "$name --certify $p + EC visible approval" "$out" "$out.a.pdf"
        if sign "$name --certify $p + 2 approvals" "$out.a.pdf" "$out.b.pdf" --key "${X_KEY[1]}" \
            --cert "${X_CERT[1]}" --time "$SIGN_TIME"; then
          check_count "$name --certify $p + 2 approvals" "$out.b.pdf" 3
          check_pdfsig "$name --certify $p + 2 approvals" "$out.b.pdf"
          check_qpdf "$name --certify $p + 2 approvals" "$out.b.pdf" "$(qpdf_status "$src")"
        fi
      fi
    fi
  done

  out=$dir/certify1.pdf
  if sign "$name --certify 1" "$src" "$out" --key "$RSA_KEY" --cert "$RSA_CERT" --certify 1 \
      --time "$SIGN_TIME"; then
    check_pdfsig "$name --certify 1" "$out"
    check_docmdp "$name --certify 1" "$out" 1
    run_pactum "$dir/after1.pdf.sign" sign "$out" "$dir/after1.pdf" --key "$EC_KEY" --cert "$EC_CERT"
    expect_refusal "$name --certify 1 then an approval signature" "$dir/after1.pdf" "$refusal"
    run_pactum "$dir/after1v.pdf.sign" sign "$out" "$dir/after1v.pdf" --key "$EC_KEY" \
      --cert "$EC_CERT" --page 1 --rect "$rect" --image "$STAMP"
    expect_refusal "$name --certify 1 then a visible approval signature" "$dir/after1v.pdf" "$refusal"
    run_pactum "$dir/recert.pdf.sign" sign "$out" "$dir/recert.pdf" --key "$RSA_KEY" \
      --cert "$RSA_CERT" --certify 2
    expect_refusal "$name --certify 1 then --certify 2" "$dir/recert.pdf" "$refusal"
  fi

  # A certification after an approval signature is not allowed either (it must be the first).
  out=$dir/approval.pdf
  if sign "$name approval" "$src" "$out" --key "$RSA_KEY" --cert "$RSA_CERT" --time "$SIGN_TIME"; then
    run_pactum "$dir/late-cert.pdf.sign" sign "$out" "$dir/late-cert.pdf" --key "$EC_KEY" \
      --cert "$EC_CERT" --certify 2
    expect_refusal "$name approval then --certify 2" "$dir/late-cert.pdf" 'certif|DocMDP|first|already signed|signed'
  fi
  rm -rf "$dir"
}

case $MODE in
  chain)
    for f in delete-and-reuse.pdf c-object-streams.pdf good17.pdf lin-delete-and-reuse.pdf \
      sample-form-out.pdf producer-libreoffice-labour-zh.pdf; do
      chain "$f"
    done
    ;;
  certify)
    for f in delete-and-reuse.pdf c-object-streams.pdf producer-libreoffice-labour-zh.pdf; do
      certify "$f"
    done
    ;;
  *)
    die "unknown mode $MODE"
    ;;
esac
interop_finish
