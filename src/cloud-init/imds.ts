/**
 * The VPC supernet from the instance metadata service, for an inventory that leaves
 * `vpc_supernet` out: the role is planned with a placeholder in its place, and at first boot a
 * script asks IMDSv2 (a session token by PUT, then the subnet interface's MAC's
 * vpc-ipv4-cidr-blocks) and the placeholder is replaced in every file and command that has it.
 */
import { shellQuote } from '../core/transport.js';

/** Stands for the supernet until first boot; only characters that shellQuote leaves bare. */
export const SUPERNET_PLACEHOLDER = 'PROV_VPC_SUPERNET_FROM_IMDS';
export const SUPERNET_FILE = '/var/lib/prov/first-boot/vpc-supernet';
export const DEFAULT_IMDS = 'http://169.254.169.254';

/** A command (or file) with the placeholder: the supernet read at boot in its place. */
export function withBootSupernet(command: string): string {
  return command.split(SUPERNET_PLACEHOLDER).join(`"$(cat ${SUPERNET_FILE})"`);
}

/** sed that replaces the placeholder in a stream with the supernet read at boot. */
export function supernetSed(): string {
  return `sed "s|${SUPERNET_PLACEHOLDER}|$(cat ${SUPERNET_FILE})|g"`;
}

/**
 * sh: the first of the VPC's IPv4 CIDR blocks (its primary) by IMDSv2, into SUPERNET_FILE.
 * Retries for a minute (the metadata service answers a moment after the interface is up).
 */
export function imdsSupernetScript(iface: string, endpoint = DEFAULT_IMDS, file = SUPERNET_FILE, tries = 60): string {
  const base = endpoint.replace(/\/+$/, '');
  return `#!/bin/sh
# prov: the VPC supernet for the route via the subnet gateway, from the instance metadata (IMDSv2).
set -u
mac=$(cat /sys/class/net/${shellQuote(iface)}/address) || { echo "prov: no interface ${iface}" >&2; exit 1; }
tries=${tries}
while :; do
  token=$(curl -sf -m 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' ${shellQuote(`${base}/latest/api/token`)}) &&
    cidr=$(curl -sf -m 2 -H "X-aws-ec2-metadata-token: $token" ${shellQuote(`${base}/latest/meta-data/network/interfaces/macs/`)}"$mac"/vpc-ipv4-cidr-blocks | head -n 1 | tr -d '\\r') &&
    echo "$cidr" | grep -Eq '^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$' && break
  tries=$((tries - 1))
  if [ "$tries" -le 0 ]; then
    echo "prov: the instance metadata gave no VPC CIDR block for $mac (${base}); set vpc_supernet in the inventory" >&2
    exit 1
  fi
  sleep 1
done
mkdir -p "$(dirname ${shellQuote(file)})"
echo "$cidr" > ${shellQuote(file)}
echo "prov: VPC supernet $cidr (instance metadata)"
`;
}
