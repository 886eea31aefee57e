# lib.sh: shared helpers of the interop test scripts. Source it after `set -euo pipefail`.
#
# Every script calls interop_init NAME first (a private temp dir, removed on exit), records results
# with pass/fail (or the check_* helpers, which call them), and ends with interop_finish, which
# prints a summary and exits non-zero when anything failed.

INTEROP_PASSED=0
INTEROP_FAILED=0
INTEROP_FAILURES=()
INTEROP_DPI=50
# How long one pactum run may take before it counts as hung.
INTEROP_TIMEOUT=${INTEROP_TIMEOUT:-120}
# A fixed time per run (so files signed in one test agree). pactum refuses a certificate outside
# its validity, and the certificates the tests make start "now", so the time is a little ahead.
SIGN_TIME=$(date -u -d '+3 minutes' +%Y-%m-%dT%H:%M:%SZ)

# interop_args PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS [EXTRA...] reads the arguments
# every interop script gets from CMake into PACTUM CORPUS TOOLS PPM_DIFF MAKE_TEST_PDFS; a script
# that needs n arguments in all passes it first: interop_args 6 "$@".
interop_args() {
  local needed=$1
  shift
  if [ $# -lt "$needed" ]; then
    echo "usage: $0 PACTUM CORPUS_DIR TOOLS_DIR PPM_DIFF MAKE_TEST_PDFS [...]" >&2
    exit 2
  fi
  PACTUM=$1
  CORPUS=$2
  TOOLS=$3
  PPM_DIFF=$4
  MAKE_TEST_PDFS=$5
}

interop_init() {
  INTEROP_NAME=$1
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/pactum-interop-$1.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$WORK'" EXIT
  # A command that fails outside a check ends the script (set -e): say where, not silently.
  set -E
  trap 'echo "SCRIPT ERROR: $INTEROP_NAME: line $LINENO: \"$BASH_COMMAND\" exited $?" >&2' ERR
  for tool in qpdf pdfsig pdftoppm pdfinfo certutil cmp timeout awk; do
    if ! command -v "$tool" >/dev/null; then
      echo "SETUP ERROR: $tool is missing (apt-get install qpdf poppler-utils libnss3-tools)" >&2
      exit 2
    fi
  done
  echo "== $INTEROP_NAME (work dir $WORK)"
}

pass() {
  INTEROP_PASSED=$((INTEROP_PASSED + 1))
  echo "PASS  $*"
}

fail() {
  INTEROP_FAILED=$((INTEROP_FAILED + 1))
  INTEROP_FAILURES+=("$*")
  echo "FAIL  $*"
}

# die stops the script at once: for set-up problems that make the rest meaningless.
die() {
  echo "SETUP ERROR: $*" >&2
  INTEROP_FAILURES+=("setup: $*")
  INTEROP_FAILED=$((INTEROP_FAILED + 1))
  interop_finish
}

interop_finish() {
  echo
  echo "== $INTEROP_NAME summary"
  if [ "$INTEROP_FAILED" -gt 0 ]; then
    echo "failures:"
    local f
    for f in "${INTEROP_FAILURES[@]}"; do
      echo "  - $f"
    done
  fi
  echo "$INTEROP_NAME: $INTEROP_PASSED passed, $INTEROP_FAILED failed"
  if [ "$INTEROP_FAILED" -gt 0 ]; then
    exit 1
  fi
  exit 0
}

# indent prints a file (or stdin) indented, at most 15 lines, for failure details.
indent() {
  if [ $# -gt 0 ]; then
    head -n 15 "$1" | sed 's/^/        | /'
  else
    head -n 15 | sed 's/^/        | /'
  fi
}

# first_line FILE prints the first non-empty line of FILE (or "(empty)").
first_line() {
  local line
  line=$(grep -m1 -v '^[[:space:]]*$' "$1" 2>/dev/null || true)
  echo "${line:-(empty)}"
}

# serve_test_pki MAKE_TEST_PKI DIR: makes a platform PKI in DIR with make_test_pki --serve, which
# keeps serving its OCSP responder, CRLs and CA certificates on 127.0.0.1; waits until DIR/ready
# names the address, sets SERVER_PID, and kills the server on exit (with WORK removed).
serve_test_pki() {
  local make_test_pki=$1 dir=$2
  mkdir -p "$dir"
  "$make_test_pki" "$dir" --serve >"$WORK/pki.log" 2>&1 &
  SERVER_PID=$!
  # shellcheck disable=SC2064
  trap "kill $SERVER_PID 2>/dev/null || true; rm -rf '$WORK'" EXIT
  for _ in $(seq 100); do
    [ -s "$dir/ready" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "make_test_pki ended: $(first_line "$WORK/pki.log")"
    sleep 0.1
  done
  [ -s "$dir/ready" ] || die "make_test_pki did not start serving"
}

# run_pactum LOGBASE ARGS...: runs the CLI under a timeout with stdout in LOGBASE.out and stderr in
# LOGBASE.err; sets PACTUM_RC. Never fails the script by itself.
run_pactum() {
  local log=$1
  shift
  PACTUM_RC=0
  timeout "$INTEROP_TIMEOUT" "$PACTUM" "$@" >"$log.out" 2>"$log.err" </dev/null || PACTUM_RC=$?
}

# crashed LOGBASE: true when the last run died of a signal, timed out or reported a sanitizer or an
# uncaught exception: never acceptable, even where a failure is expected.
crashed() {
  local log=$1
  if [ "$PACTUM_RC" -eq 124 ] || [ "$PACTUM_RC" -ge 128 ]; then
    return 0
  fi
  grep -qE 'terminate called|Segmentation fault|AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:|Aborted' \
    "$log.err" 2>/dev/null
}

# setup_ca: runs `pactum dev-ca` once into $WORK/ca and checks the five files; sets CA and ROOT.
setup_ca() {
  CA=$WORK/ca
  ROOT=$CA/root.pem
  run_pactum "$WORK/dev-ca" dev-ca "$CA"
  if [ "$PACTUM_RC" -ne 0 ]; then
    die "pactum dev-ca failed (exit $PACTUM_RC): $(first_line "$WORK/dev-ca.err")"
  fi
  local f
  for f in root.pem rsa.key.pem rsa.cert.pem ec.key.pem ec.cert.pem; do
    [ -s "$CA/$f" ] || die "pactum dev-ca did not write $CA/$f"
  done
  RSA_KEY=$CA/rsa.key.pem
  RSA_CERT=$CA/rsa.cert.pem
  EC_KEY=$CA/ec.key.pem
  EC_CERT=$CA/ec.cert.pem
  ROOTS=("$ROOT")
  pass "dev-ca wrote root.pem, rsa.key.pem, rsa.cert.pem, ec.key.pem, ec.cert.pem"
}

# setup_extra_signers: a second CA made with openssl (not pactum), with three more signers, so that
# no certificate signs twice in one file: pdfsig 22.12 reports "Unknown issue with Certificate" for
# the second signature by a certificate it has already checked in the same run, whoever made the
# signatures. Sets X_KEY[i]/X_CERT[i] (i = 1 RSA, 2 EC P-384, 3 RSA) and adds the root to ROOTS.
setup_extra_signers() {
  local d=$WORK/ca2 i
  mkdir -p "$d"
  command -v openssl >/dev/null || die "openssl is missing"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/root.key" -out "$d/root.pem" -days 3650 \
    -subj "/CN=Interop Test Root (openssl)" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1 || die "openssl: cannot make a root"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n' >"$d/ext"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/x1.key" 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$d/x2.key" 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$d/x3.key" 2>/dev/null
  X_KEY=() X_CERT=()
  for i in 1 2 3; do
    openssl req -new -key "$d/x$i.key" -subj "/CN=Interop Signer $i/O=Pactum interop" -out "$d/x$i.csr" 2>/dev/null &&
      openssl x509 -req -in "$d/x$i.csr" -CA "$d/root.pem" -CAkey "$d/root.key" -CAcreateserial \
        -days 3650 -extfile "$d/ext" -out "$d/x$i.pem" >/dev/null 2>&1 || die "openssl: cannot issue signer $i"
    X_KEY[i]=$d/x$i.key
    X_CERT[i]=$d/x$i.pem
  done
  ROOTS+=("$d/root.pem")
}

# setup_nssdb: an NSS database trusting $ROOTS, built the way pdfsig-check builds its own; sets NSSDB.
setup_nssdb() {
  NSSDB=$WORK/nssdb
  mkdir -p "$NSSDB"
  certutil -N -d "sql:$NSSDB" --empty-password >/dev/null 2>&1 || die "certutil -N failed"
  local n=0 r
  for r in "${ROOTS[@]}"; do
    n=$((n + 1))
    certutil -A -d "sql:$NSSDB" -n "root$n" -t "CT,C,C" -a -i "$r" >/dev/null 2>&1 \
      || die "certutil cannot import $r"
  done
}

# setup_stamp: the PNG used for visible signatures, written by make_test_pdfs; sets STAMP.
setup_stamp() {
  "$MAKE_TEST_PDFS" "$WORK/generated" || die "make_test_pdfs failed"
  STAMP=$WORK/generated/stamp.png
  [ -s "$STAMP" ] || die "make_test_pdfs wrote no stamp.png"
}

# page_geometry PDF PAGE: from pdfinfo -box, sets PAGE_MEDIA (the MediaBox "x0,y0,x1,y1": what
# pdftoppm renders by default), PAGE_BOX (the CropBox: where visible things may go), PAGE_ROT,
# PAGE_X0/PAGE_Y0 (CropBox lower-left) and PAGE_W/PAGE_H (CropBox size in points, unrotated).
page_geometry() {
  local info
  info=$(pdfinfo -f "$2" -l "$2" -box "$1" 2>/dev/null) || return 1
  PAGE_BOX=$(awk -v p="$2" '$1 == "Page" && $2 == p && $3 == "CropBox:" {print $4 "," $5 "," $6 "," $7}' <<<"$info")
  PAGE_MEDIA=$(awk -v p="$2" '$1 == "Page" && $2 == p && $3 == "MediaBox:" {print $4 "," $5 "," $6 "," $7}' <<<"$info")
  PAGE_ROT=$(awk -v p="$2" '$1 == "Page" && $2 == p && $3 == "rot:" {print $4}' <<<"$info")
  [ -n "$PAGE_BOX" ] && [ -n "$PAGE_MEDIA" ] && [ -n "$PAGE_ROT" ] || return 1
  IFS=, read -r PAGE_X0 PAGE_Y0 x1 y1 <<<"$PAGE_BOX"
  PAGE_W=$(awk -v a="$PAGE_X0" -v b="$x1" 'BEGIN {print b - a}')
  PAGE_H=$(awk -v a="$PAGE_Y0" -v b="$y1" 'BEGIN {print b - a}')
}

# page_count PDF: prints the number of pages according to pdfinfo.
page_count() {
  pdfinfo "$1" 2>/dev/null | awk '$1 == "Pages:" {print $2}'
}

# rect_on_page PDF PAGE [SLOT]: prints "x,y,w,h" (points, default user space) of a rectangle that
# fits well inside the page's CropBox; SLOT 0..2 picks one of three side-by-side places at the
# bottom so several visible signatures do not overlap.
rect_on_page() {
  page_geometry "$1" "$2" || return 1
  awk -v x0="$PAGE_X0" -v y0="$PAGE_Y0" -v w="$PAGE_W" -v h="$PAGE_H" -v slot="${3:-0}" 'BEGIN {
    rw = w * 0.28; if (rw > 160) rw = 160
    rh = h * 0.25; if (rh > 50) rh = 50
    gap = w * 0.04
    x = x0 + gap + slot * (rw + gap)
    y = y0 + h * 0.08
    printf "%d,%d,%d,%d\n", x + 0.5, y + 0.5, rw, rh
  }'
}

# render PDF DIR: renders every page at $INTEROP_DPI into DIR/p-N.ppm.
render() {
  mkdir -p "$2"
  pdftoppm -r "$INTEROP_DPI" "$1" "$2/p" 2>"$2.err"
}

# qpdf_status PDF: prints qpdf --check's exit status (0 clean, 2 errors, 3 warnings).
qpdf_status() {
  local rc=0
  qpdf --check "$1" >/dev/null 2>&1 || rc=$?
  echo "$rc"
}

# check_qpdf LABEL OUT ORIGINAL_STATUS: qpdf --check on OUT must exit 0; 3 (warnings) is accepted
# only when the original had warnings too.
check_qpdf() {
  local label=$1 out=$2 orig=$3 rc=0
  qpdf --check "$out" >"$out.qpdf.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    pass "$label: qpdf --check clean"
  elif [ "$rc" -eq 3 ] && [ "$orig" -eq 3 ]; then
    pass "$label: qpdf --check warnings, as the original had"
  else
    fail "$label: qpdf --check exit $rc (original: $orig): $(grep -m1 -iE 'warn|error' "$out.qpdf.log" || first_line "$out.qpdf.log")"
    indent "$out.qpdf.log"
  fi
}

# check_pdfsig LABEL OUT: the shared pdfsig-check (all valid, trusted, last covers the whole file).
check_pdfsig() {
  local label=$1 out=$2 rc=0
  "$TOOLS/pdfsig-check" "$out" "${ROOTS[@]}" >"$out.pdfsig.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    pass "$label: pdfsig-check: $(tail -n1 "$out.pdfsig.log")"
  else
    fail "$label: pdfsig-check exit $rc: $(tail -n1 "$out.pdfsig.log")"
    indent "$out.pdfsig.log"
  fi
}

# check_prefix LABEL ORIGINAL OUT: the original's bytes are a prefix of OUT (an incremental update).
check_prefix() {
  local label=$1 orig=$2 out=$3 size
  size=$(stat -c %s "$orig")
  if [ "$(stat -c %s "$out")" -gt "$size" ] && cmp -s -n "$size" "$orig" "$out"; then
    pass "$label: original bytes are a prefix of the output"
  else
    fail "$label: original bytes are NOT a prefix of the output (incremental update broken): $(cmp -n "$size" "$orig" "$out" 2>&1 | head -n1)"
  fi
}

# check_inspect LABEL PDF [WORD]: pactum inspect exits 0, prints something (and WORD if given).
check_inspect() {
  local label=$1 pdf=$2 word=${3:-}
  run_pactum "$pdf.inspect" inspect "$pdf"
  if [ "$PACTUM_RC" -ne 0 ]; then
    fail "$label: pactum inspect exit $PACTUM_RC: $(first_line "$pdf.inspect.err")"
  elif [ ! -s "$pdf.inspect.out" ]; then
    fail "$label: pactum inspect printed nothing"
  elif [ -n "$word" ] && ! grep -q -- "$word" "$pdf.inspect.out"; then
    fail "$label: pactum inspect does not list '$word'"
    indent "$pdf.inspect.out"
  else
    pass "$label: pactum inspect ok${word:+ (lists $word)}"
  fi
}

# check_renders LABEL ORIG_DIR OUT_PDF [VPAGE RECT PDF_FOR_GEOMETRY]...: renders OUT_PDF and
# compares every page with the renders in ORIG_DIR. Pages are identical except each VPAGE, which
# must differ (a visible signature was drawn) and only inside RECT ("x,y,w,h", points) mapped to
# pixels with the page's MediaBox (pdftoppm renders it, not the CropBox) and /Rotate (2-pixel margin).
check_renders() {
  local label=$1 orig_dir=$2 out=$3
  shift 3
  local -A vrect=()
  local geom_pdf=""
  while [ $# -ge 3 ]; do
    vrect[$1]=$2
    geom_pdf=$3
    shift 3
  done
  local out_dir=$out.render
  if ! render "$out" "$out_dir"; then
    fail "$label: pdftoppm cannot render the output: $(first_line "$out_dir.err")"
    return
  fi
  local orig_pages out_pages
  orig_pages=$(cd "$orig_dir" && ls | sort)
  out_pages=$(cd "$out_dir" && ls | sort)
  if [ "$orig_pages" != "$out_pages" ]; then
    fail "$label: page count changed: $(wc -w <<<"$orig_pages") -> $(wc -w <<<"$out_pages")"
    return
  fi
  local bad=0 page file num result rc
  for file in $orig_pages; do
    num=${file#p-}
    num=${num%.ppm}
    page=$((10#$num))
    rc=0
    if [ -n "${vrect[$page]:-}" ]; then
      page_geometry "$geom_pdf" "$page"
      local require=--require-diff
      if need_appearances "$geom_pdf"; then
        # poppler regenerates every widget's appearance when /NeedAppearances is true and then
        # draws nothing for a signature field, so the appearance is looked for separately below.
        require=
      fi
      result=$("$PPM_DIFF" "$orig_dir/$file" "$out_dir/$file" ${require:+"$require"} \
        --pdf-rect "${vrect[$page]}" --box "$PAGE_MEDIA" --rotate "$PAGE_ROT" --dpi "$INTEROP_DPI" \
        --margin 2 2>&1) || rc=$?
      if [ "$rc" -eq 0 ] && [ -z "$require" ]; then
        check_appearance_without_need_appearances "$label" "$geom_pdf" "$out" "$page" "${vrect[$page]}" || rc=1
        result="(with /NeedAppearances false) $NA_RESULT"
      fi
      if [ "$rc" -ne 0 ]; then
        fail "$label: page $page: visible signature at ${vrect[$page]} (MediaBox $PAGE_MEDIA rot $PAGE_ROT): $(tr '\n' ';' <<<"$result")"
        bad=1
      fi
    else
      result=$("$PPM_DIFF" "$orig_dir/$file" "$out_dir/$file" 2>&1) || rc=$?
      if [ "$rc" -ne 0 ]; then
        fail "$label: page $page renders differently after signing: $(tr '\n' ';' <<<"$result")"
        bad=1
      fi
    fi
  done
  if [ "$bad" -eq 0 ]; then
    if [ ${#vrect[@]} -gt 0 ]; then
      pass "$label: $(wc -w <<<"$orig_pages") page(s) render identically except the appearance rect(s) on page(s) ${!vrect[*]}"
    else
      pass "$label: $(wc -w <<<"$orig_pages") page(s) render identically"
    fi
  fi
  rm -rf "$out_dir"
}

# need_appearances PDF: true when the AcroForm says /NeedAppearances true.
need_appearances() {
  qpdf --qdf --object-streams=disable "$1" - 2>/dev/null | grep -a '/NeedAppearances true' >/dev/null
}

# without_need_appearances IN OUT: a copy of IN with /NeedAppearances false, for rendering only.
without_need_appearances() {
  qpdf --qdf --object-streams=disable "$1" "$2.qdf" 2>/dev/null || [ -s "$2.qdf" ] || return 1
  LC_ALL=C sed 's|/NeedAppearances true|/NeedAppearances false|g' "$2.qdf" >"$2.qdf2"
  fix-qdf "$2.qdf2" >"$2" || return 1
  rm -f "$2.qdf" "$2.qdf2"
}

# check_appearance_without_need_appearances LABEL ORIG OUT PAGE RECT: with /NeedAppearances set to
# false in copies of both files (so poppler draws the appearance streams as they are), PAGE must
# differ, and only inside RECT. Sets NA_RESULT to ppm_diff's report.
check_appearance_without_need_appearances() {
  local label=$1 orig=$2 out=$3 page=$4 rect=$5 d=$3.na rc=0
  mkdir -p "$d"
  NA_RESULT="cannot rewrite /NeedAppearances"
  without_need_appearances "$orig" "$d/orig.pdf" && without_need_appearances "$out" "$d/out.pdf" || return 1
  pdftoppm -r "$INTEROP_DPI" -f "$page" -l "$page" "$d/orig.pdf" "$d/o" 2>/dev/null
  pdftoppm -r "$INTEROP_DPI" -f "$page" -l "$page" "$d/out.pdf" "$d/n" 2>/dev/null
  local a b
  a=$(ls "$d"/o-*.ppm 2>/dev/null | head -n1)
  b=$(ls "$d"/n-*.ppm 2>/dev/null | head -n1)
  [ -n "$a" ] && [ -n "$b" ] || { NA_RESULT="cannot render the copies"; return 1; }
  NA_RESULT=$("$PPM_DIFF" "$a" "$b" --require-diff --pdf-rect "$rect" --box "$PAGE_MEDIA" \
    --rotate "$PAGE_ROT" --dpi "$INTEROP_DPI" --margin 2 2>&1) || rc=$?
  rm -rf "$d"
  if [ "$rc" -eq 0 ]; then
    echo "      ($label: /NeedAppearances true; appearance checked on copies with it false)"
  fi
  return "$rc"
}

# sign LABEL IN OUT ARGS...: runs `pactum sign IN OUT ARGS...`; on failure records it (with the
# message) and returns 1. On success checks that OUT exists.
sign() {
  local label=$1 in=$2 out=$3
  shift 3
  run_pactum "$out.sign" sign "$in" "$out" "$@"
  if [ "$PACTUM_RC" -ne 0 ]; then
    fail "$label: pactum sign exit $PACTUM_RC: $(first_line "$out.sign.err")"
    return 1
  fi
  if [ ! -s "$out" ]; then
    fail "$label: pactum sign exited 0 but wrote no $out"
    return 1
  fi
  return 0
}

# count_signatures PDF: prints how many signatures pdfsig (with $NSSDB) reports, and how many
# of them are valid, as "TOTAL VALID"; the full report goes to PDF.pdfsig.txt.
count_signatures() {
  pdfsig -nssdir "sql:$NSSDB" "$1" >"$1.pdfsig.txt" 2>&1 || true
  echo "$(grep -c '^Signature #' "$1.pdfsig.txt" || true) $(grep -c 'Signature Validation: Signature is Valid' "$1.pdfsig.txt" || true)"
}

# The two judges of the verify tests (verify_test.sh, verify_ltv_test.sh). They read TRUST (the
# --trust arguments) and ROOTS (the root PEM files), and count pdfsig's misses in NOTES.
# expect_verify LABEL PDF WANT_EXIT CODE_REGEX ARGS...: pactum verify PDF ARGS... exits WANT_EXIT
# and, when CODE_REGEX is not empty, the report names a finding matching it.
expect_verify() {
  local label=$1 pdf=$2 want=$3 code=$4
  shift 4
  run_pactum "$pdf.verify" verify "$pdf" "$@"
  local why
  why=$(grep -m2 -E '^ +X ' "$pdf.verify.out" | sed 's/^ *X *//' | tr '\n' ';' || true)
  if crashed "$pdf.verify"; then
    fail "$label: crashed (exit $PACTUM_RC): $(first_line "$pdf.verify.err")"
  elif [ "$PACTUM_RC" -ne "$want" ]; then
    fail "$label: exit $PACTUM_RC, expected $want: ${why:-$(first_line "$pdf.verify.out")}"
    indent "$pdf.verify.out"
  elif [ -n "$code" ] && ! grep -qE "\[$code\]" "$pdf.verify.out"; then
    fail "$label: exit $want but no finding matches /$code/"
    indent "$pdf.verify.out"
  else
    pass "$label: exit $PACTUM_RC${why:+ ($why)}"
  fi
}

# agree LABEL PDF: our verdict with the roots (valid or not) agrees with pdfsig-check.
agree() {
  local label=$1 pdf=$2 ours theirs=0
  run_pactum "$pdf.agree" verify "$pdf" "${TRUST[@]}"
  ours=$PACTUM_RC
  bash "$TOOLS/pdfsig-check" "$pdf" "${ROOTS[@]}" >"$pdf.pdfsig" 2>&1 || theirs=$?
  if [ "$ours" -eq 0 ] && [ "$theirs" -eq 0 ]; then
    pass "$label: pdfsig agrees: valid"
  elif [ "$ours" -ne 0 ] && [ "$theirs" -ne 0 ]; then
    pass "$label: pdfsig agrees: not valid ($(tail -n1 "$pdf.pdfsig"))"
  elif [ "$ours" -eq 0 ]; then
    fail "$label: we say valid, pdfsig does not: $(tail -n1 "$pdf.pdfsig")"
  else
    NOTES=$((NOTES + 1))
    pass "$label: NOTE pdfsig is fooled: it calls the file valid, we say exit $ours"
  fi
}

# geometry: reads one `openssl asn1parse` line on stdin and prints "OFFSET HEADER_LENGTH LENGTH".
geometry() {
  sed -E 's/^ *([0-9]+):d= *[0-9]+ +hl= *([0-9]+) +l= *([0-9]+).*/\1 \2 \3/'
}

# signature_cms PDF N OUT: writes the DER CMS of signature N (1-based, in file order) of PDF to
# OUT, cut at the /ByteRange gap and stripped of the placeholder's zero padding.
signature_cms() {
  local pdf=$1 n=$2 out=$3 r1 r2 off hl l
  read -r r1 r2 < <(grep -a -o '/ByteRange *\[ *[0-9]* *[0-9]* *[0-9]* *[0-9]* *\]' "$pdf" |
    sed -n "${n}p" | tr -dc '0-9 \n' | awk '{print $2, $3}')
  [ -n "${r1:-}" ] && [ -n "${r2:-}" ] || return 1
  tail -c +$((r1 + 2)) "$pdf" | head -c $((r2 - r1 - 2)) | xxd -r -p >"$out.padded"
  # The outer SEQUENCE's header says how long the DER is.
  read -r off hl l < <(openssl asn1parse -inform DER -in "$out.padded" 2>/dev/null | head -n1 | geometry)
  [ "${off:-x}" = 0 ] && [ "${l:-0}" -gt 0 ] || return 1
  head -c $((hl + l)) "$out.padded" >"$out"
  rm -f "$out.padded"
}

# signed_ranges PDF N OUT: writes the bytes that signature N (1-based, in file order) of PDF
# covers, the two parts of its /ByteRange, to OUT.
signed_ranges() {
  local pdf=$1 n=$2 out=$3 a b c d
  read -r a b c d < <(grep -a -o '/ByteRange *\[ *[0-9]* *[0-9]* *[0-9]* *[0-9]* *\]' "$pdf" |
    sed -n "${n}p" | tr -dc '0-9 \n')
  [ -n "${d:-}" ] || return 1
  { head -c "$b" "$pdf"; tail -c +$((c + 1)) "$pdf" | head -c "$d"; } >"$out"
}
