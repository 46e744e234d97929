import { shellJoin } from '../core/transport.js';
import type { FactSource } from './fact.js';

/**
 * Packages whose presence and version the modules and roles look at. Extend this list (or pass
 * `packages` to gatherFacts) when a role installs something new.
 */
export const packageNames: string[] = [
  'frr',
  'frr-pythontools',
  'iptables',
  'nftables',
  'iptables-persistent',
  'netfilter-persistent',
  'squid',
  'squid-openssl',
  'isc-dhcp-client',
  'ifupdown',
  'netplan.io',
  'systemd',
  'network-manager',
  'sudo',
  'python3',
];

export function packagesCommand(names: string[]): string {
  return `dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' ${shellJoin(names)}`;
}

/** `name<TAB>status<TAB>version` lines; keeps packages whose status says installed ("ii", "hi"). */
export function parsePackages(output: string): Record<string, string> {
  const installed: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const [name, status, version] = line.split('\t');
    if (!name || !status || !version) continue;
    if (status[1] === 'i') installed[name.replace(/:.*$/, '')] = version.trim();
  }
  return installed;
}

export function packagesFact(names: string[] = packageNames): FactSource<Record<string, string>> {
  return { name: 'packages', command: packagesCommand(names), parse: parsePackages };
}
