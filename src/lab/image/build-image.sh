#!/bin/bash
# Builds a lab node image: a Debian root file system (debootstrap minbase + systemd + sshd +
# ifupdown/isc-dhcp-client, as a cloud image has them) and an offline apt repository that holds
# the role packages and their dependencies, which are NOT installed. The lab's own extra packages
# (netplan.io, installed by `lab up` on hosts that want it) are passed with the role packages.
# Usage: build-image.sh RELEASE MIRROR DEST BASE_PACKAGES(comma-separated) PACKAGES...
# Prints one "==> step" line per step; the caller shows them as progress.
set -euo pipefail
release=$1 mirror=$2 dest=$3 base=$4
shift 4
roles=("$@")
root="$dest/rootfs"
repo=/var/lib/prov-lab/repo

step() { echo "==> $*"; }

step "debootstrap $release (minbase + $base)"
set +e
debootstrap --variant=minbase --include="$base" "$release" "$root" "$mirror" 2>&1 \
  | grep --line-buffered -E '^(E:|W:|I: (Retrieving Release|Checking component|Installing core|Unpacking the base|Configuring the base|Base system installed))'
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || { echo "E: debootstrap $release failed"; exit 1; }
test -x "$root/lib/systemd/systemd" || { echo "E: debootstrap did not produce a systemd root"; exit 1; }

step "download role packages and their dependencies: ${roles[*]}"
mkdir -p "$root$repo"
# /dev/null etc. inside the chroot for apt's helpers.
chroot "$root" apt-get -q update >/dev/null
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -q -y --download-only \
  -o Dir::Cache::archives="$repo" install "${roles[@]}" >/dev/null
rm -rf "$root$repo/partial" "$root$repo/lock"
count=$(ls "$root$repo"/*.deb | wc -l)
step "index offline repository ($count packages)"
(cd "$root$repo" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages)
gzip -9kf "$root$repo/Packages"

step "configure image"
# Only the offline repository: nodes have no route to any mirror.
rm -f "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/*
echo "deb [trusted=yes] file:$repo ./" > "$root/etc/apt/sources.list.d/prov-lab.list"
chroot "$root" apt-get -q update >/dev/null
chroot "$root" apt-get clean
# Host keys are made per node at `lab up`, never baked into the image.
rm -f "$root"/etc/ssh/ssh_host_*
mkdir -p "$root/etc/ssh/sshd_config.d" "$root/root/.ssh"
chmod 700 "$root/root/.ssh"
cat > "$root/etc/ssh/sshd_config.d/prov-lab.conf" <<'CONF'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
UseDNS no
CONF
# Units that slow the boot or would hold apt's lock while roles run apt.
for unit in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer e2scrub_reap.service \
  fstrim.timer systemd-timesyncd.service systemd-networkd-wait-online.service getty@tty1.service \
  console-getty.service; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
printf 'auto lo\niface lo inet loopback\n' > "$root/etc/network/interfaces"
echo "prov-lab $release" > "$root/etc/prov-lab-image"
step "image ready"
