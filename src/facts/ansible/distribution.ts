/**
 * Ansible's `distribution` collector (system/distribution.py) for Linux: the guess of the vendored
 * `distro` package from os-release (and /etc/debian_version for Debian's minor version), then
 * Debian's distribution file parser, which most Debian derivatives go through. Other families get
 * the guess and os_family from Ansible's map.
 */
import { parseOsReleaseFields } from '../os-release.js';
import { block, blockLines, existsBlock, exists, fileBlock, fileContent, type Blocks } from './blocks.js';

export const distributionCommand = [
  fileBlock('/etc/os-release'),
  fileBlock('/usr/lib/os-release'),
  fileBlock('/etc/debian_version'),
  fileBlock('/etc/lsb-release'),
  existsBlock('/etc/lsb-release'),
  block('lsb_release', 'command -v lsb_release >/dev/null && lsb_release -a'),
].join('\n');

const OS_FAMILY_MAP: Record<string, string[]> = {
  RedHat: [
    'RedHat',
    'RHEL',
    'Fedora',
    'CentOS',
    'Scientific',
    'SLC',
    'Ascendos',
    'CloudLinux',
    'PSBM',
    'OracleLinux',
    'OVS',
    'OEL',
    'Amazon',
    'Virtuozzo',
    'XenServer',
    'Alibaba',
    'EulerOS',
    'openEuler',
    'AlmaLinux',
    'Rocky',
    'TencentOS',
    'EuroLinux',
    'Kylin Linux Advanced Server',
  ],
  Debian: [
    'Debian',
    'Ubuntu',
    'Raspbian',
    'Neon',
    'KDE neon',
    'Linux Mint',
    'SteamOS',
    'Devuan',
    'Kali',
    'Cumulus Linux',
    'Pop!_OS',
    'Parrot',
    'Pardus GNU/Linux',
    'Uos',
    'Deepin',
    'OSMC',
  ],
  Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
  Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  Mandrake: ['Mandrake', 'Mandriva'],
  Slackware: ['Slackware'],
  Altlinux: ['Altlinux'],
  Gentoo: ['Gentoo', 'Funtoo'],
  Alpine: ['Alpine'],
  ClearLinux: ['Clear Linux OS', 'Clear Linux Mix'],
};
const OS_FAMILY = new Map(Object.entries(OS_FAMILY_MAP).flatMap(([family, names]) => names.map((n) => [n, family] as const)));

export function osFamilyOf(distribution: string): string {
  return OS_FAMILY.get(distribution) ?? distribution;
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s;
}

const dots = (v: string) => v.split('.').length;

/**
 * Whether the `distro` package Ansible uses reads /etc/debian_version (1.7 and later): the
 * system's python3-distro when the target has it; else Ansible's bundled copy, 1.6, which does not.
 */
export function distroReadsDebianVersion(systemDistro: string | undefined): boolean {
  const [major = 0, minor = 0] = (systemDistro ?? '').split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 7);
}

/**
 * distro's guess: id, version, codename. For Debian the version is distro's "best" one: of
 * os-release's VERSION_ID, lsb_release's release and (distro 1.7+) /etc/debian_version, the last
 * with the most dots.
 */
function guess(os: Record<string, string>, debianVersion: string | null, lsbRelease: string, readsDebianVersion: boolean) {
  const id = (os.ID ?? '').toLowerCase().replace(/ /g, '_');
  let name = capitalize(id);
  if (name === 'Amzn') name = 'Amazon';
  else if (name === 'Rhel') name = 'Redhat';
  else if (!name) name = 'OtherLinux';
  let version = os.VERSION_ID ?? '';
  if (id === 'debian') {
    const firstLine = (debianVersion ?? '').split('\n')[0]!.trim();
    for (const candidate of [lsbRelease, readsDebianVersion ? firstLine : '']) if (dots(candidate) > dots(version) || version === '') version = candidate;
  }
  const codename = os.VERSION_CODENAME ?? os.UBUNTU_CODENAME ?? null;
  const facts: Record<string, unknown> = {
    distribution: name || 'NA',
    distribution_version: version || 'NA',
    distribution_release: codename === null ? 'NA' : codename,
  };
  facts.distribution_major_version = String(facts.distribution_version).split('.')[0] || 'NA';
  return facts;
}

/** parse_distribution_file_Debian on /etc/os-release; null when the file is not Debian's kind. */
function debianFile(data: string, debianVersion: string | null, collected: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const versionId = /VERSION_ID="(.*)"/.exec(data)?.[1];
  if (data.includes('Debian') || data.includes('Raspbian')) {
    out.distribution = 'Debian';
    const release = /PRETTY_NAME=[^(]+ \(?([^)]+?)\)/.exec(data);
    if (release) out.distribution_release = release[1];
    for (const line of (debianVersion ?? '').split('\n')) {
      const m = /(\d+)\.(\d+)/.exec(line.trim());
      if (m) out.distribution_minor_version = m[2];
    }
    void collected;
  } else if (data.includes('Ubuntu')) out.distribution = 'Ubuntu';
  else if (data.includes('SteamOS')) out.distribution = 'SteamOS';
  else if (data.includes('Kali') || data.includes('Parrot')) {
    out.distribution = data.includes('Kali') ? 'Kali' : 'Parrot';
    const release = /DISTRIB_RELEASE=(.*)/.exec(data);
    if (release) out.distribution_release = release[1];
  } else if (data.includes('Devuan')) {
    out.distribution = 'Devuan';
    const release = /PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?/.exec(data);
    if (release) out.distribution_release = release[1];
    if (versionId !== undefined) Object.assign(out, { distribution_version: versionId, distribution_major_version: versionId });
  } else if (data.includes('Mint')) {
    out.distribution = 'Linux Mint';
    if (versionId !== undefined) Object.assign(out, { distribution_version: versionId, distribution_major_version: versionId.split('.')[0] });
  } else return null;
  return out;
}

/** `systemDistro`: the version of the target's python3-distro, '' or undefined when it has none. */
export function parseDistribution(blocks: Blocks, systemDistro?: string): Record<string, unknown> {
  const osText = fileContent(blocks, '/etc/os-release') ?? fileContent(blocks, '/usr/lib/os-release') ?? '';
  const os = parseOsReleaseFields(osText);
  const debianVersion = fileContent(blocks, '/etc/debian_version');
  const lsbRelease =
    blockLines(blocks, 'lsb_release')
      .find((l) => l.startsWith('Release:'))
      ?.slice(8)
      .trim() ?? '';
  const facts = guess(os, debianVersion, lsbRelease, distroReadsDebianVersion(systemDistro));
  const etcOsRelease = fileContent(blocks, '/etc/os-release');
  if (etcOsRelease !== null) {
    // Ansible's earlier os-release parsers (Amazon, Arch Linux, SUSE) claim those files first.
    const data = etcOsRelease.replace(/^['"\\]+|['"\\]+$/g, '');
    const earlier = data.includes('Amazon') || data.includes('Arch Linux') || data.toLowerCase().includes('suse');
    const parsed = earlier ? null : debianFile(data, debianVersion, facts);
    if (parsed) {
      Object.assign(
        facts,
        {
          distribution: 'Debian',
          distribution_file_path: '/etc/os-release',
          distribution_file_variety: 'Debian',
          distribution_file_parsed: true,
        },
        parsed,
      );
    }
  }
  facts.os_family = osFamilyOf(String(facts.distribution));
  return facts;
}

const LSB_STRIP = /^['"\\]+|['"\\]+$/g;

/** Ansible's `lsb` collector: `lsb_release -a` when installed, else /etc/lsb-release. */
export function parseLsb(blocks: Blocks): Record<string, unknown> {
  const lsb: Record<string, string> = {};
  for (const line of blockLines(blocks, 'lsb_release')) {
    if (line.length < 1 || !line.includes(':')) continue;
    const value = line.slice(line.indexOf(':') + 1).trim();
    if (line.includes('LSB Version:')) lsb.release = value;
    else if (line.includes('Distributor ID:')) lsb.id = value;
    else if (line.includes('Description:')) lsb.description = value;
    else if (line.includes('Release:')) lsb.release = value;
    else if (line.includes('Codename:')) lsb.codename = value;
  }
  if (Object.keys(lsb).length === 0 && exists(blocks, '/etc/lsb-release')) {
    for (const line of (fileContent(blocks, '/etc/lsb-release') ?? '').split('\n')) {
      if (!line.includes('=')) continue;
      const value = line.slice(line.indexOf('=') + 1).trim();
      if (line.includes('DISTRIB_ID')) lsb.id = value;
      else if (line.includes('DISTRIB_RELEASE')) lsb.release = value;
      else if (line.includes('DISTRIB_DESCRIPTION')) lsb.description = value;
      else if (line.includes('DISTRIB_CODENAME')) lsb.codename = value;
    }
  }
  if (lsb.release !== undefined) lsb.major_release = lsb.release.split('.')[0]!;
  for (const [k, v] of Object.entries(lsb)) if (v) lsb[k] = v.replace(LSB_STRIP, '');
  return { lsb };
}
