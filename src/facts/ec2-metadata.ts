/**
 * The instance metadata of an EC2 instance (IMDSv2), as prov's fact `prov_facts.ec2`: a token
 * first (`PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds`), then each value
 * with `X-aws-ec2-metadata-token`: the primary interface's MAC (`meta-data/mac`), `local-ipv4`,
 * and that interface's `vpc-ipv4-cidr-block`, `vpc-ipv4-cidr-blocks` and
 * `subnet-ipv4-cidr-block`. It runs inside the one fact script, so it costs no round trip. Off
 * the cloud it costs nothing where 169.254.169.254 has no route (curl fails at once) and at most
 * CONNECT_TIMEOUT where packets to it are dropped; a target without curl has no metadata facts.
 */
import type { Ec2Metadata } from '../core/facts.js';
import type { FactSource } from './fact.js';

const CONNECT_TIMEOUT = '0.5';
const BASE = 'http://169.254.169.254';

/** `key=value` lines, the multi-line values (vpc-ipv4-cidr-blocks) joined by spaces. `base` is for tests. */
export function ec2MetadataCommand(base = BASE): string {
  return [
    'if command -v curl >/dev/null 2>&1; then',
    `t=$(curl -sf --connect-timeout ${CONNECT_TIMEOUT} -m 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' ${base}/latest/api/token)`,
    'if [ -n "$t" ]; then',
    `g() { curl -sf --connect-timeout ${CONNECT_TIMEOUT} -m 2 -H "X-aws-ec2-metadata-token: $t" "${base}/latest/meta-data/$1" | tr '\\n' ' '; }`,
    'mac=$(g mac)',
    'printf "mac=%s\\n" "$mac"',
    'printf "local-ipv4=%s\\n" "$(g local-ipv4)"',
    'for k in vpc-ipv4-cidr-block vpc-ipv4-cidr-blocks subnet-ipv4-cidr-block; do',
    'printf "%s=%s\\n" "$k" "$(g "network/interfaces/macs/${mac% }/$k")"',
    'done',
    'fi',
    'fi',
  ].join('\n');
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The first address after a CIDR's network address ("10.0.1.0/24" -> "10.0.1.1"): AWS's subnet router. */
export function networkPlusOne(cidr: string): string | null {
  const m = CIDR.exec(cidr);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const len = Number(m[5]);
  if (octets.some((o) => o > 255) || len > 30) return null;
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - len);
  const gateway = Math.floor(address / size) * size + 1;
  return [24, 16, 8, 0].map((shift) => Math.floor(gateway / 2 ** shift) % 256).join('.');
}

export function parseEc2Metadata(output: string): Ec2Metadata | null {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const mac = values.get('mac') ?? '';
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) return null;
  const blocks = (values.get('vpc-ipv4-cidr-blocks') ?? '').split(/\s+/).filter((b) => CIDR.test(b));
  const primary = values.get('vpc-ipv4-cidr-block') ?? '';
  const vpcCidrBlock = CIDR.test(primary) ? primary : (blocks[0] ?? null);
  const subnet = values.get('subnet-ipv4-cidr-block') ?? '';
  const subnetCidrBlock = CIDR.test(subnet) ? subnet : null;
  const localIpv4 = values.get('local-ipv4') ?? '';
  return {
    mac: mac.toLowerCase(),
    localIpv4: /^\d{1,3}(\.\d{1,3}){3}$/.test(localIpv4) ? localIpv4 : null,
    vpcCidrBlock,
    vpcCidrBlocks: blocks.length > 0 ? blocks : vpcCidrBlock ? [vpcCidrBlock] : [],
    subnetCidrBlock,
    subnetGateway: subnetCidrBlock ? networkPlusOne(subnetCidrBlock) : null,
  };
}

export const ec2MetadataFact: FactSource<Ec2Metadata | null> = {
  name: 'ec2-metadata',
  command: ec2MetadataCommand(),
  parse: parseEc2Metadata,
};
