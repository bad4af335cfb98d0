#!/usr/bin/env bash
# Debian packages the portal needs at run time (WeasyPrint, CJK fonts, gettext) and, with
# "test", for the test suite (Chromium, poppler's pdftotext/pdffonts; nginx, openssl and
# systemd-analyze for the production smoke test). Installs only what is missing.
set -euo pipefail
packages=(python3-venv fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext)
if [[ ${1:-} == test ]]; then
  packages+=(chromium poppler-utils nginx openssl systemd)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
