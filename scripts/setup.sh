#!/usr/bin/env bash
# Set up everything jobstation needs on a fresh Debian machine with Python 3.11:
# system libraries for Qt, a Chinese font, poppler-utils and xvfb, binutils (PyInstaller
# strips and inspects the bundle's libraries with it), then a virtualenv in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  fonts-wqy-zenhei poppler-utils xvfb xauth binutils
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
  libxcb-cursor0 libxcb-shape0 libxcb-randr0 libxcb-xkb1
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
# PyInstaller needs Python's shared library, which Debian packages apart from python3.11.
if ! "$PYTHON" -c 'import os, sys, sysconfig as c; sys.exit(not os.path.exists(os.path.join(c.get_config_var("LIBDIR"), c.get_config_var("INSTSONAME"))))' \
    && ! ldconfig -p | grep -q "libpython3.11.so.1.0"; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpython3.11 >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
echo "jobstation is set up in $(pwd)/.venv"
