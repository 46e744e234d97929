import { parseJsonOr, type FactSource } from './fact.js';
import type { InterfaceAddress, NetInterface } from '../core/facts.js';

/** The part of one `ip -j addr` entry that we read. */
interface IpAddrJson {
  ifname?: string;
  address?: string;
  link_type?: string;
  mtu?: number;
  flags?: string[];
  operstate?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

export function parseInterfaces(output: string): NetInterface[] {
  const parsed = parseJsonOr<unknown>(output.trim(), []);
  if (!Array.isArray(parsed)) return [];
  return (parsed as IpAddrJson[])
    .filter((entry) => typeof entry?.ifname === 'string')
    .map((entry) => ({
      name: entry.ifname!,
      mac: entry.link_type === 'ether' && typeof entry.address === 'string' ? entry.address : null,
      up: (entry.flags ?? []).includes('UP'),
      mtu: typeof entry.mtu === 'number' ? entry.mtu : null,
      addresses: (entry.addr_info ?? []).flatMap((info): InterfaceAddress[] =>
        (info.family === 'inet' || info.family === 'inet6') && typeof info.local === 'string'
          ? [{ family: info.family, address: info.local, prefixlen: info.prefixlen ?? (info.family === 'inet' ? 32 : 128) }]
          : [],
      ),
    }));
}

export const interfacesFact: FactSource<NetInterface[]> = {
  name: 'interfaces',
  command: 'ip -j addr show',
  parse: parseInterfaces,
};
