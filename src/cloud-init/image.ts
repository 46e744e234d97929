/**
 * The machine that user-data configures: a fresh Debian cloud image at its first boot. prov never
 * sees it, so what the host role would read from it (facts, which directories exist, what runs)
 * is described here, from the Debian release and the image's network stack.
 */
import type { Facts, NetworkManagerKind } from '../core/facts.js';
import { ProvError } from '../core/errors.js';

export const IMAGE_RELEASES = ['bullseye', 'bookworm', 'trixie'] as const;
export type ImageRelease = (typeof IMAGE_RELEASES)[number];
export const IMAGE_NETWORKS = ['ifupdown', 'networkd', 'netplan'] as const;
export type ImageNetwork = (typeof IMAGE_NETWORKS)[number];

/** What each release ships: its kernel and the FRR of its archive (the version frr.conf is written for). */
const RELEASE_FACTS: Record<ImageRelease, { versionId: string; kernel: string; frr: string }> = {
  bullseye: { versionId: '11', kernel: '5.10.0', frr: '7.5.1' },
  bookworm: { versionId: '12', kernel: '6.1.0', frr: '8.4.4' },
  trixie: { versionId: '13', kernel: '6.12.0', frr: '10.3' },
};

export interface FirstBootImage {
  release: ImageRelease;
  network: ImageNetwork;
}

export function parseImage(release: unknown, network: unknown, where: string): FirstBootImage {
  const r = String(release ?? 'bookworm');
  const n = String(network ?? 'ifupdown');
  if (!(IMAGE_RELEASES as readonly string[]).includes(r))
    throw new ProvError('options', `${where}: unknown release "${r}" (known: ${IMAGE_RELEASES.join(', ')})`);
  if (!(IMAGE_NETWORKS as readonly string[]).includes(n))
    throw new ProvError('options', `${where}: unknown network stack "${n}" (known: ${IMAGE_NETWORKS.join(', ')})`);
  return { release: r as ImageRelease, network: n as ImageNetwork };
}

function managerOf(network: ImageNetwork): NetworkManagerKind {
  return network === 'networkd' ? 'systemd-networkd' : network;
}

/** The facts the host role reads (prov_facts), as the image has them at first boot. */
/** The FRR version the image's release installs: the first-boot answer of the role's version read. */
export function imageFrrVersion(image: FirstBootImage): string {
  return RELEASE_FACTS[image.release].frr;
}

export function imageFacts(host: string, image: FirstBootImage): Facts {
  const r = RELEASE_FACTS[image.release];
  return {
    hostname: host,
    os: { id: 'debian', versionId: r.versionId, codename: image.release, prettyName: `Debian GNU/Linux ${r.versionId} (${image.release})` },
    kernel: `${r.kernel}-cloud-amd64`,
    kernelVersion: r.kernel,
    arch: 'x86_64',
    interfaces: [],
    routes: [],
    defaultInterface: null,
    initSystem: 'systemd',
    networkManager: managerOf(image.network),
    dhcpClient: image.network === 'ifupdown' ? 'dhclient' : null,
    ansible: {},
  };
}

/** Directories every Debian cloud image has (root's, 0755), beyond those the packages create. */
export function imageDirectories(image: FirstBootImage): string[] {
  const dirs = [
    '/',
    '/etc',
    '/etc/sysctl.d',
    '/etc/systemd',
    '/etc/systemd/system',
    '/usr',
    '/usr/lib',
    '/usr/local',
    '/usr/local/sbin',
    '/var',
    '/var/lib',
    '/run',
  ];
  if (image.network === 'ifupdown') dirs.push('/etc/network', '/etc/network/if-up.d', '/etc/dhcp', '/etc/dhcp/dhclient-exit-hooks.d');
  else dirs.push('/etc/systemd/network');
  return dirs;
}
