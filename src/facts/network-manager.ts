import { shellQuote } from '../core/transport.js';
import type { FactSource } from './fact.js';
import type { NetworkManagerKind } from '../core/facts.js';

export interface NetworkManagerFact {
  networkManager: NetworkManagerKind;
  dhcpClient: string | null;
}

/**
 * Evidence, one word per line:
 *   ifupdown-dhcp   an `iface … inet dhcp` (or inet6) stanza in /etc/network/interfaces(.d)
 *   ifupdown-iface  some iface other than lo configured there
 *   dhclient        /sbin/dhclient or /usr/sbin/dhclient exists
 *   netplan         /etc/netplan/*.yaml exists
 *   networkd-files  a .network file exists (/etc, /run or /usr/lib/systemd/network)
 *   networkd=STATE, nm=STATE   `systemctl is-active` of systemd-networkd and NetworkManager
 *                   (without systemd: "active" when the daemon's process runs)
 * `root` prefixes the file paths, so tests can run the probes against a directory tree.
 */
export function networkManagerCommand(rootDir = ''): string {
  const root = rootDir === '' ? '' : shellQuote(rootDir); // quoted, so that only the globs after it expand
  const networkFiles = ['/etc', '/run', '/usr/lib'].map((dir) => `${root}${dir}/systemd/network/*.network`).join(' ');
  return [
    `set -- ${root}/etc/network/interfaces ${root}/etc/network/interfaces.d/*`,
    `grep -Eqs '^[[:space:]]*iface[[:space:]]+[^[:space:]]+[[:space:]]+inet6?[[:space:]]+dhcp' -- "$@" && echo ifupdown-dhcp`,
    `grep -Ehs '^[[:space:]]*iface[[:space:]]' -- "$@" | grep -Evq '^[[:space:]]*iface[[:space:]]+lo[[:space:]]' && echo ifupdown-iface`,
    `for f in ${root}/sbin/dhclient ${root}/usr/sbin/dhclient; do [ -x "$f" ] && echo dhclient && break; done`,
    `for f in ${root}/etc/netplan/*.yaml; do [ -e "$f" ] && echo netplan && break; done`,
    `for f in ${networkFiles}; do [ -e "$f" ] && echo networkd-files && break; done`,
    `if [ -d ${root}/run/systemd/system ]; then set -- $(systemctl is-active systemd-networkd NetworkManager 2>/dev/null); echo "networkd=$1"; echo "nm=$2"; ` +
      `else pidof systemd-networkd >/dev/null 2>&1 && echo networkd=active; pidof NetworkManager >/dev/null 2>&1 && echo nm=active; fi`,
  ].join('\n');
}

export function parseNetworkManager(output: string): NetworkManagerFact {
  const seen = new Set(output.split('\n').map((line) => line.trim()));
  if (seen.has('netplan')) return { networkManager: 'netplan', dhcpClient: null };
  if (seen.has('nm=active')) return { networkManager: 'NetworkManager', dhcpClient: null };
  if (seen.has('networkd=active') && seen.has('networkd-files')) return { networkManager: 'systemd-networkd', dhcpClient: null };
  if (seen.has('ifupdown-dhcp') || seen.has('ifupdown-iface')) {
    const dhcpClient = seen.has('ifupdown-dhcp') && seen.has('dhclient') ? 'dhclient' : null;
    return { networkManager: 'ifupdown', dhcpClient };
  }
  return { networkManager: 'unknown', dhcpClient: null };
}

export const networkManagerFact: FactSource<NetworkManagerFact> = {
  name: 'network-manager',
  command: networkManagerCommand(),
  parse: parseNetworkManager,
};
