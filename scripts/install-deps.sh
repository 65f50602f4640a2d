#!/usr/bin/env bash
# Installs everything wirewatch needs to build, run and test on Debian 12
# (bookworm), from Debian's packages only. Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git ca-certificates
  libczmq-dev libzmq3-dev libjansson-dev libcurl4-openssl-dev libxml2-dev
  libsqlite3-dev sqlite3 zlib1g-dev libzstd-dev libopencc-dev opencc libutf8proc-dev libyaml-dev
  libvectorscan-dev libuchardet-dev libssl-dev
  python3 python3-jsonschema python3-aiosmtpd python3-zmq clang-format docker-compose
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
