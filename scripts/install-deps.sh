#!/usr/bin/env bash
# Installs the Debian 12 packages Pactum needs to build, test and run.
# Idempotent: asks apt only for what is missing, so a second run is instant.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libqpdf-dev qpdf
  libssl-dev openssl libcurl4-openssl-dev libargon2-dev
  libcairo2-dev libpango1.0-dev libpng-dev fonts-noto-cjk
  libboost-dev
  nlohmann-json3-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  poppler-utils libnss3-tools time hyperfine python3 xxd curl
  libsqlite3-dev postgresql libpq-dev
  curl python3-prometheus-client wrk nginx-light
  clang-format clang-tidy
  # PKCS#11: libp11 (and its OpenSSL engine) over a SoftHSM2 token in tests
  libp11-dev libengine-pkcs11-openssl softhsm2
  # pyHanko, the second independent judge (../shared/tools/pyhanko-check), run by /usr/bin/python3
  python3-asn1crypto python3-tzlocal python3-requests python3-oscrypto python3-uritools
  python3-qrcode python3-cryptography
  # a real SMTP server for the mail tests (/usr/bin/python3 -m aiosmtpd)
  python3-aiosmtpd
  # QR codes, zip packages, Unicode normalisation
  libqrencode-dev libzip-dev libutf8proc-dev
  # the browser for the web tests (never a downloaded one)
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web app's npm packages (web/package-lock.json); Node.js and npm come with the machine.
"$(dirname "$0")/install-web-deps.sh"
