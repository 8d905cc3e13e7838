#!/bin/sh
# Sets up a Debian 12 machine for VM Atlas: installs the Debian packages the
# build needs (as root, or through sudo), configures and builds.  Idempotent.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
packages="meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev libcairo2-dev libpango1.0-dev libpng-dev zlib1g-dev fonts-dejavu-core libgtk-3-dev libglib2.0-bin xvfb xauth xdotool imagemagick desktop-file-utils appstream dbus-x11 libxml2-utils gettext fonts-wqy-microhei"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "vmatlas setup: installing Debian packages:$missing"
  if [ "$(id -u)" = 0 ]; then
    as_root=""
  elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
  else
    echo "vmatlas setup: need root or sudo to install:$missing" >&2
    exit 1
  fi
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

build="$top/build"
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=debugoptimized
fi
ninja -C "$build"
