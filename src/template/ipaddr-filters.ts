/**
 * The ansible.utils IP address filters and test, as the collection computes them with netaddr
 * (plugins/plugin_utils/base/ipaddr_utils.py, plugins/filter/*.py, plugins/test/in_network.py),
 * parsed and printed with ipaddr.js:
 *
 * - `ipaddr(query='')` (also `ansible.utils.ipaddr`): with no query, the value if it is an
 *   address or a network, else false; with a query, a part of it: `'10.0.0.5/24' |
 *   ipaddr('network')` is '10.0.0.0'. A list gives the list of the truthy results.
 * - `ipv4(query)` / `ipv6(query)`: the same, false for the other IP version.
 * - `network_in_network(net, test)`, `network_in_usable(net, test)`: containment, as booleans.
 * - test `in_network(network)` (Python's ipaddress: a network with host bits set is false).
 *
 * Addresses are dotted-quad IPv4 (`/prefix`, `/netmask` or `/hostmask`) or IPv6 (`/prefix`),
 * or an integer. netaddr's legacy forms ('10.1' for 10.1.0.0) are not addresses here.
 */
import ipaddr from 'ipaddr.js';
import { TemplateError } from './errors.js';
import { pyStr, type Filter } from './values.js';

type Kind = 'address' | 'network';

/** netaddr's IPNetwork: an address with a prefix length. */
interface Net {
  version: 4 | 6;
  ip: bigint;
  prefix: number;
}

const bitsOf = (v: 4 | 6): number => (v === 4 ? 32 : 128);
const size = (n: Net): bigint => 1n << BigInt(bitsOf(n.version) - n.prefix);
const hostmask = (n: Net): bigint => size(n) - 1n;
const netmaskOf = (n: Net): bigint => ((1n << BigInt(bitsOf(n.version))) - 1n) ^ hostmask(n);
const networkOf = (n: Net): bigint => n.ip & netmaskOf(n);
const lastOf = (n: Net): bigint => networkOf(n) | hostmask(n);
/** netaddr 0.8's broadcast: none for IPv4 /31 and /32. */
const hasBroadcast = (n: Net): boolean => !(n.version === 4 && n.prefix >= 31);

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fmt(version: 4 | 6, value: bigint): string {
  const bytes: number[] = [];
  for (let i = 0, v = value; i < bitsOf(version) / 8; i++, v >>= 8n) bytes.unshift(Number(v & 0xffn));
  const addr = ipaddr.fromByteArray(bytes);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return `::ffff:${(addr as ipaddr.IPv6).toIPv4Address().toString()}`;
  return addr.toString();
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseAddress(text: string): { version: 4 | 6; ip: bigint } | null {
  const m = IPV4.exec(text);
  if (m) {
    const octets = m.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return null;
    return { version: 4, ip: toBigInt(ipaddr.IPv4.parse(octets.join('.'))) };
  }
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) return { version: 6, ip: toBigInt(ipaddr.IPv6.parse(text)) };
  return null;
}

function prefixOf(version: 4 | 6, text: string): number | null {
  if (/^\d{1,3}$/.test(text)) {
    const p = Number(text);
    return p <= bitsOf(version) ? p : null;
  }
  if (version !== 4) return null;
  const mask = parseAddress(text);
  if (mask?.version !== 4) return null;
  for (const m of [mask.ip, mask.ip ^ 0xffffffffn]) {
    const p = ipaddr.IPv4.parse(fmt(4, m)).prefixLengthFromSubnetMask();
    if (p !== null) return p;
  }
  return null;
}

/** The value as netaddr reads it, with whether it was written as an address or a network. */
function parseValue(value: unknown, version?: number): { net: Net; kind: Kind } | null {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
    if (typeof value === 'number' && !Number.isInteger(value)) return null;
    const int = BigInt(value);
    const v: 4 | 6 = version !== 6 && int < 1n << 32n ? 4 : 6;
    if (int >= 1n << 128n) return null;
    return { net: { version: v, ip: int, prefix: bitsOf(v) }, kind: 'address' };
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const parts = text.split('/');
  if (parts.length > 2) return null;
  const addr = parseAddress(parts[0]!);
  if (!addr) return null;
  const prefix = parts.length === 2 ? prefixOf(addr.version, parts[1]!) : bitsOf(addr.version);
  if (prefix === null) return null;
  return { net: { ...addr, prefix }, kind: parts.length === 2 ? 'network' : 'address' };
}

const cidr = (n: Net): string => `${fmt(n.version, n.ip)}/${n.prefix}`;

function usable(n: Net): [bigint, bigint] {
  return size(n) === 2n ? [networkOf(n), lastOf(n)] : [networkOf(n) + 1n, lastOf(n) - 1n];
}

function notANetwork(kind: Kind): void {
  if (kind === 'address') throw new TemplateError('Not a network address');
}

function asNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new TemplateError(`the number ${v} is too large for prov's numbers`);
  return Number(v);
}

type Query = (n: Net, kind: Kind, value: unknown) => unknown;

const address: Query = (n) => {
  if (size(n) === 1n) return fmt(n.version, n.ip);
  if (n.ip !== networkOf(n) || !hasBroadcast(n)) return fmt(n.version, n.ip);
  return n.version === 6 ? fmt(n.version, n.ip) : null;
};
const addressPrefix: Query = (n) => (size(n) > 2n && (n.ip === networkOf(n) || n.ip === lastOf(n)) ? false : cidr(n));
const networkPrefix: Query = (n) => `${fmt(n.version, networkOf(n))}/${n.prefix}`;
const ipPrefix =
  (sep: (n: Net) => string): Query =>
  (n) =>
    size(n) === 2n || (size(n) > 1n && n.ip !== networkOf(n)) ? `${fmt(n.version, n.ip)}${sep(n)}` : null;

const QUERIES: Record<string, Query> = {
  '': (n, kind) => (kind === 'address' ? fmt(n.version, n.ip) : cidr(n)),
  address,
  ip: address,
  'address/prefix': addressPrefix,
  gateway: addressPrefix,
  gw: addressPrefix,
  'host/prefix': addressPrefix,
  hostnet: addressPrefix,
  router: addressPrefix,
  bool: () => true,
  broadcast: (n) => (size(n) > 2n ? fmt(n.version, lastOf(n)) : null),
  cidr,
  first_usable: (n, kind) => {
    notANetwork(kind);
    return size(n) > 1n ? fmt(n.version, usable(n)[0]) : null;
  },
  last_usable: (n, kind) => {
    notANetwork(kind);
    return size(n) > 1n ? fmt(n.version, usable(n)[1]) : null;
  },
  range_usable: (n, kind) => {
    notANetwork(kind);
    return size(n) > 1n ? `${fmt(n.version, usable(n)[0])}-${fmt(n.version, usable(n)[1])}` : null;
  },
  next_usable: (n, kind) => {
    notANetwork(kind);
    if (size(n) <= 1n) return null;
    const [first, last] = usable(n);
    return n.ip + 1n >= first && n.ip + 1n <= last ? fmt(n.version, n.ip + 1n) : null;
  },
  previous_usable: (n, kind) => {
    notANetwork(kind);
    if (size(n) <= 1n) return null;
    const [first, last] = usable(n);
    return n.ip - 1n >= first && n.ip - 1n <= last ? fmt(n.version, n.ip - 1n) : null;
  },
  peer: (n, kind) => {
    notANetwork(kind);
    if (size(n) === 2n) return fmt(n.version, n.ip ^ 1n);
    if (size(n) === 4n) {
      if (n.ip % 4n === 0n) throw new TemplateError('Network address of /30 has no peer');
      if (n.ip % 4n === 3n) throw new TemplateError('Broadcast address of /30 has no peer');
      return fmt(n.version, n.ip ^ 3n);
    }
    throw new TemplateError('Not a point-to-point network');
  },
  host: (n) => (size(n) === 1n || n.ip !== networkOf(n) || !hasBroadcast(n) ? cidr(n) : null),
  hostmask: (n) => fmt(n.version, hostmask(n)),
  wildcard: (n) => fmt(n.version, hostmask(n)),
  int: (n, kind) => (kind === 'address' ? asNumber(n.ip) : `${n.ip}/${n.prefix}`),
  'ip/prefix': ipPrefix((n) => `/${n.prefix}`),
  ip_netmask: ipPrefix((n) => ` ${fmt(n.version, netmaskOf(n))}`),
  net: (n) => (size(n) > 1n && n.ip === networkOf(n) ? networkPrefix(n, 'network', null) : null),
  netmask: (n) => fmt(n.version, netmaskOf(n)),
  network: (n) => fmt(n.version, networkOf(n)),
  network_id: (n) => fmt(n.version, networkOf(n)),
  'network/prefix': networkPrefix,
  subnet: networkPrefix,
  network_netmask: (n) => `${fmt(n.version, networkOf(n))} ${fmt(n.version, netmaskOf(n))}`,
  network_wildcard: (n) => `${fmt(n.version, networkOf(n))} ${fmt(n.version, hostmask(n))}`,
  prefix: (n) => n.prefix,
  size: (n) => Number(size(n)),
  size_usable: (n) => (size(n) === 1n ? 0 : size(n) === 2n ? 2 : Number(size(n) - 2n)),
  type: (n) => (size(n) === 1n || n.ip !== networkOf(n) ? 'address' : 'network'),
  version: (n) => n.version,
  wrap: (n, kind, value) => (n.version === 6 ? (kind === 'address' ? `[${fmt(6, n.ip)}]` : `[${fmt(6, n.ip)}]/${n.prefix}`) : value),
};

/** Queries of ansible.utils that prov does not compute (an error, never a wrong answer). */
const UNSUPPORTED = ['6to4', 'cidr_lookup', 'ipv4', 'ipv6', 'v4', 'v6', 'link-local', 'lo', 'loopback', 'multicast', 'private', 'public', 'unicast', 'revdns'];

/** Whether network `inner` lies within network `outer` (netaddr's `IPNetwork in IPSet`). */
function within(inner: Net, outer: Net): boolean {
  return inner.version === outer.version && networkOf(inner) >= networkOf(outer) && lastOf(inner) <= lastOf(outer);
}

export function ipaddrQuery(value: unknown, query: unknown = '', version?: number, alias = 'ipaddr'): unknown {
  if (Array.isArray(value)) return value.map((x) => ipaddrQuery(x, query, version, alias)).filter((x) => x !== null && x !== false && x !== '' && x !== 0);
  if (value === null || value === undefined || value === false || value === true || value === '' || value === 0) return false;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new TemplateError(`${alias}: Unrecognized type <${typeof value}> for ${alias} filter <value>`);
  const parsed = parseValue(value, version);
  if (!parsed) return false;
  const q = query === null || query === undefined ? '' : pyStr(query);
  const { net, kind } = parsed;
  // An integer is read as an address, and stands for it as `address/32` from then on.
  if (typeof value === 'number' || /^\d+$/.test(value)) value = cidr(net);
  // A query that is an address or a network, not a query name (cidr_lookup): the value if it lies inside.
  const lookup = q && !Object.hasOwn(QUERIES, q) && !/^\d+$/.test(q) ? parseValue(q) : null;
  if (lookup) {
    if (version && net.version !== version) return false;
    return within(net, lookup.net) ? value : null;
  }
  if (version && net.version !== version) return false;
  if (Object.hasOwn(QUERIES, q)) {
    try {
      return QUERIES[q]!(net, kind, value);
    } catch (err) {
      if (err instanceof TemplateError) throw new TemplateError(`${alias}: ${err.message}`, 'failed', { cause: err });
      throw err;
    }
  }
  if (UNSUPPORTED.includes(q)) throw new TemplateError(`${alias}: the query '${q}' is not supported by prov`);
  if (/^-?\d+(\.\d+)?$/.test(q)) {
    // A number: the n-th address of the network (negative from its end), with its prefix.
    if (size(net) === 1n) return kind === 'address' ? fmt(net.version, net.ip) : cidr(net);
    const i = BigInt(Math.trunc(Number(q)));
    const at = i >= 0n ? networkOf(net) + i : lastOf(net) + 1n + i;
    if (at < networkOf(net) || at > lastOf(net)) return false;
    return `${fmt(net.version, at)}/${net.prefix}`;
  }
  throw new TemplateError(`${alias}: unknown filter type: ${q}`);
}

/** `_address_normalizer`: the value's network in `network/prefix` form, or false. */
function normalized(value: unknown): Net | false {
  const parsed = typeof value === 'string' || typeof value === 'number' ? parseValue(value) : null;
  if (!parsed) return false;
  return { ...parsed.net, ip: networkOf(parsed.net) };
}

/**
 * network_in_network / network_in_usable as ansible.utils computes them: both sides normalized to
 * their network; a network of one or two addresses spans only its first address (its
 * "broadcast" query is empty); the numbers are compared whatever their IP version.
 */
function containment(name: string, useUsable: boolean): Filter {
  return (value, args, kwargs) => {
    const test = args.length ? args[0] : kwargs['test'];
    if (test === undefined) throw new TemplateError(`${name}: missing required arguments: test`);
    const v = normalized(value);
    const w = normalized(test);
    if (!v || !w) throw new TemplateError(`${name}: ${pyStr(!v ? value : test)} is not an IP address or network`);
    const span = (n: Net): [bigint, bigint] => [networkOf(n), size(n) > 2n ? lastOf(n) : networkOf(n)];
    const [first, last] = useUsable ? (size(v) > 1n ? usable(v) : [v.ip, v.ip]) : span(v);
    const [wFirst, wLast] = span(w);
    return wFirst >= first && wFirst <= last && wLast >= first && wLast <= last;
  };
}

/** Python's ipaddress.ip_network(x) (strict: host bits must be zero), or null. */
function strictNetwork(value: unknown): Net | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const parsed = typeof value === 'number' ? parseValue(value) : parseValue(value.trim() === value ? value : '');
  if (!parsed || networkOf(parsed.net) !== parsed.net.ip) return null;
  return parsed.net;
}

export function inNetwork(value: unknown, args: unknown[]): boolean {
  const a = strictNetwork(value);
  const b = strictNetwork(args[0]);
  return a !== null && b !== null && within(a, b);
}

const ipaddrFilter: Filter = (v, args, kw) =>
  ipaddrQuery(
    v,
    args.length ? args[0] : kw['query'],
    args.length > 1 ? Number(args[1]) : kw['version'] === undefined ? undefined : Number(kw['version']),
    'ipaddr',
  );
const ipv4Filter: Filter = (v, args, kw) => ipaddrQuery(v, args.length ? args[0] : kw['query'], 4, 'ipv4');
const ipv6Filter: Filter = (v, args, kw) => ipaddrQuery(v, args.length ? args[0] : kw['query'], 6, 'ipv6');

export const IPADDR_FILTERS: Record<string, Filter> = {
  ipaddr: ipaddrFilter,
  ipv4: ipv4Filter,
  ipv6: ipv6Filter,
  network_in_network: containment('network_in_network', false),
  network_in_usable: containment('network_in_usable', true),
};
for (const name of Object.keys(IPADDR_FILTERS)) IPADDR_FILTERS[`ansible.utils.${name}`] = IPADDR_FILTERS[name]!;
