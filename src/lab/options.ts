import { resolve } from 'node:path';
import { accessSync, constants } from 'node:fs';
import { ProvError } from '../core/errors.js';
import { RELEASES, type Release } from './image.js';
import { defaultInventoryPath } from './inventory.js';
import { HOST_NETWORKS, LAB_NAME_RE, MAX_HOSTS, MAX_ROUTERS, MGMT_FIRST_NODE, type HostNetwork } from './topology.js';

export interface UpOptions {
  name: string;
  routers: number;
  hosts: number;
  release: Release;
  inventoryPath: string;
  /** How hosts configure their subnet interface (ens6) by DHCP. */
  hostNetwork: HostNetwork;
  /** Hosts boot with cloud-init and a NoCloud seed of this user-data (host name -> #cloud-config), rendered once the inventory is written. */
  cloudInit?: (inventoryPath: string) => Promise<Record<string, string>>;
}

const bad = (msg: string) => new ProvError('options', `lab: ${msg}`);

export function parseName(raw: unknown): string {
  const name = String(raw ?? 'lab');
  if (!LAB_NAME_RE.test(name)) {
    throw bad(`invalid lab name "${name}": use a lower-case letter, then letters, digits or "-" (at most 20)`);
  }
  return name;
}

function count(raw: unknown, what: string, min: number, max: number): number {
  const text = String(raw);
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < min) throw bad(`--${what} must be a whole number of at least ${min}, got "${text}"`);
  if (n > max) throw bad(`--${what} ${n} is more than the subnet holds (at most ${max})`);
  return n;
}

export function parseUpOptions(raw: Record<string, unknown>): UpOptions {
  const name = parseName(raw.name);
  const release = String(raw.release ?? 'bookworm');
  if (!(RELEASES as readonly string[]).includes(release)) {
    throw bad(`unknown release "${release}" (known: ${RELEASES.join(', ')})`);
  }
  const routers = count(raw.routers ?? 2, 'routers', 1, MAX_ROUTERS);
  const hosts = count(raw.hosts ?? 1, 'hosts', 1, MAX_HOSTS);
  const mgmtRoom = 254 - MGMT_FIRST_NODE + 1;
  if (routers + hosts > mgmtRoom) throw bad(`${routers + hosts} nodes do not fit the management /24 (at most ${mgmtRoom})`);
  const inventoryPath = resolve(String(raw.inventory ?? defaultInventoryPath(name)));
  const hostNetwork = String(raw.hostNetwork ?? 'ifupdown');
  if (!(HOST_NETWORKS as readonly string[]).includes(hostNetwork)) {
    throw bad(`unknown --host-network "${hostNetwork}" (known: ${HOST_NETWORKS.join(', ')})`);
  }
  return { name, routers, hosts, release: release as Release, inventoryPath, hostNetwork: hostNetwork as HostNetwork };
}

/** Root, and the Debian tools the lab drives; each missing one is a one-line error. */
export function preflight(needDebootstrap: boolean): void {
  if (process.getuid?.() !== 0) throw bad('must run as root (it creates namespaces, mounts and containers)');
  const tools: Record<string, string> = {
    'systemd-nspawn': 'systemd-container',
    ip: 'iproute2',
    dnsmasq: 'dnsmasq-base',
    ssh: 'openssh-client',
    'ssh-keygen': 'openssh-client',
    openssl: 'openssl',
    mount: 'mount',
  };
  if (needDebootstrap) {
    tools.debootstrap = 'debootstrap';
    tools['dpkg-scanpackages'] = 'dpkg-dev';
  }
  for (const [tool, pkg] of Object.entries(tools)) {
    if (!onPath(tool)) throw bad(`${tool} not found: install the Debian package ${pkg} (scripts/lab-prereqs.sh does)`);
  }
}

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => {
    try {
      accessSync(`${d}/${tool}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
