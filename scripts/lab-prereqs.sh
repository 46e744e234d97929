#!/bin/sh
# Installs the Debian host packages that `prov lab` needs. Idempotent: does nothing when they
# are all present, and runs `apt-get update` only when something must be installed and the
# package lists are missing or older than a day.
set -eu
packages="debootstrap systemd-container dnsmasq-base dpkg-dev iproute2 openssh-client openssl iptables psmisc"

if [ "$(id -u)" != 0 ]; then
  echo "lab-prereqs: run as root (it installs Debian packages)" >&2
  exit 1
fi

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "lab-prereqs: all present ($packages)"
  exit 0
fi

lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
  apt-get update -q
fi
echo "lab-prereqs: installing$missing"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
