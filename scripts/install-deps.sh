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
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
