/** Facts of a plain Debian 12 host, for module and runner tests. */
import type { Facts } from '../../src/core/facts.js';

/** Ansible-shaped facts consistent with prov's own (the few that tests read). */
export function ansibleGroupsOf(f: Omit<Facts, 'ansible'>): Facts['ansible'] {
  return {
    platform: {
      system: 'Linux',
      hostname: f.hostname,
      nodename: f.hostname,
      fqdn: f.hostname,
      domain: '',
      kernel: f.kernel,
      machine: f.arch,
      architecture: f.arch,
    },
    distribution: {
      distribution: 'Debian',
      distribution_version: f.os.versionId,
      distribution_major_version: f.os.versionId.split('.')[0],
      distribution_release: f.os.codename,
      os_family: 'Debian',
    },
    network: {
      interfaces: f.interfaces.map((i) => i.name),
      default_ipv4: f.defaultInterface ? { interface: f.defaultInterface } : {},
      default_ipv6: {},
    },
    service_mgr: { service_mgr: f.initSystem === 'systemd' ? 'systemd' : 'sysvinit' },
    pkg_mgr: { pkg_mgr: 'apt' },
  };
}

export function debianFacts(overrides: Partial<Facts> = {}): Facts {
  const facts: Omit<Facts, 'ansible'> = {
    hostname: 'host',
    os: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    kernel: '6.1.0-18-amd64',
    kernelVersion: '6.1.0',
    arch: 'x86_64',
    interfaces: [
      { name: 'lo', mac: null, up: true, mtu: 65536, addresses: [{ family: 'inet', address: '127.0.0.1', prefixlen: 8 }] },
      { name: 'ens6', mac: '52:54:00:12:34:56', up: true, mtu: 1500, addresses: [{ family: 'inet', address: '192.168.100.100', prefixlen: 24 }] },
    ],
    routes: [{ dst: '192.168.100.0/24', dev: 'ens6', protocol: 'kernel', scope: 'link', prefsrc: '192.168.100.100' }],
    defaultInterface: null,
    initSystem: 'systemd',
    networkManager: 'ifupdown',
    dhcpClient: 'dhclient',
    ...overrides,
  };
  return { ...facts, ansible: overrides.ansible ?? ansibleGroupsOf(facts) };
}
