#!/usr/bin/env bash
# Prepares this machine for prov's demo and tests (Debian 12, root). Safe to run again:
# installs only the Debian packages that are missing and runs `npm ci` only when needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: needs root (apt-get, network namespaces, systemd-nspawn): run it as root, or with sudo" >&2
  exit 1
fi

PACKAGES=(
  openssh-server openssh-client   # sshd for the SSH integration tests; ssh for `prov lab ssh`
  debootstrap systemd-container   # lab images and nodes (systemd-nspawn)
  dnsmasq-base                    # the lab's VPC router hands out DHCP leases
  dpkg-dev                        # indexes the lab image's offline apt repository
  iproute2 iptables nftables psmisc procps openssl
  frr frr-pythontools             # FRR's own dry-run check of rendered configs in the role tests
  ansible-core                    # the oracle: ansible-playbook runs the same playbooks as prov in the tests
  ansible                         # its collections: ansible.posix.sysctl for the published roles in test/fixtures/galaxy, amazon.aws for the aws_ec2 oracle
  python3-boto3                   # the amazon.aws aws_ec2 inventory plugin (the oracle of prov's aws_ec2 inventory)
  ansible-mitogen                 # npm run bench:ansible: Ansible's fastest strategy, the benchmark's second anchor
  vagrant vagrant-libvirt         # `vagrant validate` of the seed demo's Vagrantfile (no VM boots here)
  cloud-init                      # `cloud-init schema` checks the user-data that `prov render cloud-init` prints
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -q
  # FRR and sshd must not try to start services on the controller (no systemd here; and we do not want them).
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
fi

stamp=node_modules/.prov-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# dist/: the compiled sources bin/prov.js starts from (0.3 s instead of 1.1 s with tsx, and less
# memory); a quarter of a second, so it is simply done again.
node scripts/build.mjs
