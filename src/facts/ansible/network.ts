/**
 * Ansible's Linux `network` collector (network/linux.py): every /sys/class/net entry in directory
 * order with its sysfs attributes, its primary and secondary addresses (read as `ip -j` JSON rather
 * than the text Ansible splits into words), and the default IPv4/IPv6 route towards the addresses
 * Ansible asks `ip route get` about. ethtool features and timestamping are not gathered.
 */
import { parseJsonOr } from '../fact.js';
import { block, blockText, type Blocks } from './blocks.js';

const V4_TARGET = '8.8.8.8';
const V6_TARGET = '2404:6800:400a:800::1012';
/** Attributes read with one grep: `device/attribute:value` lines. Unreadable ones (a down link's speed) are absent. */
const ATTRIBUTES = [
  'address',
  'mtu',
  'operstate',
  'type',
  'flags',
  'speed',
  'bridge/bridge_id',
  'bridge/stp_state',
  'bonding/slaves',
  'bonding/mode',
  'bonding/miimon',
  'bonding/lacp_rate',
  'bonding/primary',
  'bonding/all_slaves_active',
  'bonding_slave/perm_hwaddr',
];

/**
 * The devices in directory order (Ansible globs /sys/class/net/*, unsorted), then their
 * attributes, then `ls -l` of the device and driver module links and the bridges' port lists,
 * a few processes in all whatever the number of devices.
 */
const sysfsCommands = [
  block('net-devices', 'ls -U /sys/class/net'),
  block('net-attrs', `cd /sys/class/net && grep -H '' ${ATTRIBUTES.map((a) => `*/${a}`).join(' ')}`),
  block('net-links', 'cd /sys/class/net && ls -l -d */device */device/driver/module'),
  block('net-dirs', 'cd /sys/class/net && ls -d */bridge */bonding */bonding_slave'),
  block('net-brif', 'cd /sys/class/net && for d in */brif; do [ -d "$d" ] && printf \'%s %s\\n\' "${d%/brif}" "$(ls -U "$d" | tr \'\\n\' \' \')"; done'),
];

export const networkCommand = [
  block('ip', 'command -v ip'),
  block('route-v4', `ip -4 route get ${V4_TARGET}`),
  block('route-v6', `ip -6 route get ${V6_TARGET}`),
  ...sysfsCommands,
  block('addr-primary', 'ip -j addr show primary'),
  block('addr-secondary', 'ip -j addr show secondary'),
].join('\n');

interface AddrInfo {
  family?: string;
  local?: string;
  address?: string;
  prefixlen?: number;
  broadcast?: string;
  scope?: string;
  label?: string;
}
interface AddrEntry {
  ifname?: string;
  addr_info?: AddrInfo[];
}

type Dict = Record<string, unknown>;

/** default_ipv4/default_ipv6 from `ip route get`: dev, src and via of the first line. */
export function parseRouteGet(output: string, target: string): Dict {
  const words = (output.split('\n')[0] ?? '').trim().split(/\s+/);
  const out: Dict = {};
  if (words[0] !== target) return out;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') out.interface = words[i + 1];
    else if (words[i] === 'src') out.address = words[i + 1];
    else if (words[i] === 'via' && words[i + 1] !== target) out.gateway = words[i + 1];
  }
  return out;
}

/**
 * Each device's attributes, in directory order: name -> attribute -> value, plus `module` and
 * `pciid` from the links, `bridge`, `bonding`, `bonding_slave` when those directories exist and
 * `brif` (space-separated ports).
 */
export function parseSysfs(blocks: Blocks): Map<string, Map<string, string>> {
  const devices = new Map<string, Map<string, string>>();
  for (const name of blockText(blocks, 'net-devices').split('\n')) if (name.trim()) devices.set(name.trim(), new Map());
  const attrs = (device: string) => devices.get(device);
  for (const line of blockText(blocks, 'net-attrs').split('\n')) {
    const m = /^([^/]+)\/([^:]+):(.*)$/.exec(line);
    if (m) attrs(m[1]!)?.set(m[2]!, m[3]!.trim());
  }
  for (const line of blockText(blocks, 'net-links').split('\n')) {
    const m = /\s([^/\s]+)\/device(\/driver\/module)? -> (\S+)$/.exec(line);
    if (m) attrs(m[1]!)?.set(m[2] ? 'module' : 'pciid', m[3]!.replace(/.*\//, ''));
  }
  for (const line of blockText(blocks, 'net-dirs').split('\n')) {
    const m = /^([^/]+)\/(bridge|bonding|bonding_slave)$/.exec(line.trim());
    if (m) attrs(m[1]!)?.set(`dir:${m[2]}`, 'yes');
  }
  for (const line of blockText(blocks, 'net-brif').split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) attrs(line.slice(0, space))?.set('brif', line.slice(space + 1).trim());
  }
  return devices;
}

const INTERFACE_TYPE: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

function ipv4Of(address: string, prefix: number): { netmask: string; network: string } {
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const toText = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  const mask = prefix === 0 ? 0 : 0xffffffff - (2 ** (32 - prefix) - 1);
  const addr = toInt(address);
  return { netmask: toText(mask), network: toText(Number(BigInt(addr) & BigInt(mask))) };
}

function firstWord(s: string | undefined): string {
  return (s ?? '').split(/\s+/)[0] ?? '';
}

export function parseNetwork(blocks: Blocks): Dict {
  if (blockText(blocks, 'ip').trim() === '') return {};
  const defaultIpv4 = parseRouteGet(blockText(blocks, 'route-v4'), V4_TARGET);
  const defaultIpv6 = parseRouteGet(blockText(blocks, 'route-v6'), V6_TARGET);
  const interfaces = new Map<string, Dict>();
  const all4: string[] = [];
  const all6: string[] = [];
  const addrsOf = (name: string): Map<string, AddrInfo[]> => {
    const entries = parseJsonOr<AddrEntry[]>(blockText(blocks, name).trim(), []);
    return new Map((Array.isArray(entries) ? entries : []).map((e) => [e.ifname ?? '', e.addr_info ?? []]));
  };
  const primary = addrsOf('addr-primary');
  const secondary = addrsOf('addr-secondary');

  for (const [device, attrs] of parseSysfs(blocks)) {
    const iface: Dict = { device };
    interfaces.set(device, iface);
    const macaddress = attrs.get('address') ?? '';
    if (macaddress && macaddress !== '00:00:00:00:00:00') iface.macaddress = macaddress;
    if (attrs.has('mtu') && /^\d+$/.test(attrs.get('mtu')!)) iface.mtu = Number(attrs.get('mtu'));
    if (attrs.has('operstate')) iface.active = attrs.get('operstate') !== 'down';
    if (attrs.has('module')) iface.module = attrs.get('module');
    if (attrs.has('type')) iface.type = INTERFACE_TYPE[attrs.get('type')!] ?? 'unknown';
    if (attrs.has('dir:bridge')) {
      iface.type = 'bridge';
      iface.interfaces = (attrs.get('brif') ?? '').split(/\s+/).filter(Boolean);
      if (attrs.has('bridge/bridge_id')) iface.id = attrs.get('bridge/bridge_id');
      if (attrs.has('bridge/stp_state')) iface.stp = attrs.get('bridge/stp_state') === '1';
    }
    if (attrs.has('dir:bonding')) {
      iface.type = 'bonding';
      iface.slaves = (attrs.get('bonding/slaves') ?? '').split(/\s+/).filter(Boolean);
      iface.mode = firstWord(attrs.get('bonding/mode'));
      iface.miimon = firstWord(attrs.get('bonding/miimon'));
      iface.lacp_rate = firstWord(attrs.get('bonding/lacp_rate'));
      const bondPrimary = attrs.get('bonding/primary');
      if (bondPrimary) {
        iface.primary = bondPrimary;
        if (attrs.get('bonding/all_slaves_active') !== '') iface.all_slaves_active = attrs.get('bonding/all_slaves_active') === '1';
      }
    }
    if (attrs.has('dir:bonding_slave')) iface.perm_macaddress = attrs.get('bonding_slave/perm_hwaddr') ?? '';
    if (attrs.has('pciid')) iface.pciid = attrs.get('pciid');
    const speed = attrs.get('speed');
    if (speed !== undefined && /^-?\d+$/.test(speed)) iface.speed = Number(speed);
    if (attrs.has('flags') && /^(0x)?[0-9a-f]+$/i.test(attrs.get('flags')!)) iface.promisc = (parseInt(attrs.get('flags')!, 16) & 0x0100) > 0;

    const parse = (infos: AddrInfo[], isSecondary: boolean): void => {
      for (const info of infos) {
        if (info.family === 'inet' && info.local) {
          const address = info.local;
          // A point-to-point address (`inet A peer B/n`) has no prefix of its own in Ansible's reading.
          const prefix = info.address !== undefined ? 32 : (info.prefixlen ?? 32);
          const broadcast = info.address === undefined && info.broadcast ? info.broadcast : '';
          const { netmask, network } = ipv4Of(address, prefix);
          const entry = { address, broadcast, netmask, network, prefix: String(prefix) };
          const label = info.label ?? device;
          if (label !== device) interfaces.set(label, {});
          const target = interfaces.get(label)!;
          if (!isSecondary && !('ipv4' in target)) target.ipv4 = entry;
          else ((target.ipv4_secondaries ??= []) as Dict[]).push({ ...entry });
          if (isSecondary) {
            const list = (iface.ipv4_secondaries ??= []) as Dict[];
            if (device !== label) list.push({ ...entry });
          }
          if (defaultIpv4.address === address) {
            Object.assign(defaultIpv4, {
              broadcast,
              netmask,
              network,
              prefix: String(prefix),
              macaddress,
              mtu: iface.mtu,
              type: iface.type ?? 'unknown',
              alias: label,
            });
          }
          if (!address.startsWith('127.')) all4.push(address);
        } else if (info.family === 'inet6' && info.local) {
          const address = info.local;
          const prefix = String(info.prefixlen ?? 128);
          const scope = info.scope ?? '';
          ((iface.ipv6 ??= []) as Dict[]).push({ address, prefix, scope });
          if (defaultIpv6.address === address) {
            Object.assign(defaultIpv6, { prefix, scope, macaddress, mtu: iface.mtu, type: iface.type ?? 'unknown' });
          }
          if (address !== '::1') all6.push(address);
        }
      }
    };
    parse(primary.get(device) ?? [], false);
    parse(secondary.get(device) ?? [], true);
  }

  const facts: Dict = {};
  const names = [...interfaces.keys()].map((n) => n.replace(/:/g, '_'));
  facts.interfaces = names;
  for (const [name, iface] of interfaces) facts[name.replace(/:/g, '_')] = iface;
  facts.default_ipv4 = defaultIpv4;
  facts.default_ipv6 = defaultIpv6;
  facts.all_ipv4_addresses = all4;
  facts.all_ipv6_addresses = all6;
  return facts;
}
