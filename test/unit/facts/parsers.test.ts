import test from 'ava';
import { parseFrrVersion, upstreamVersion } from '../../../src/facts/frr-version.js';
import { parseInitSystem } from '../../../src/facts/init-system.js';
import { parseInterfaces } from '../../../src/facts/interfaces.js';
import { parseKernel } from '../../../src/facts/kernel.js';
import { parseNetworkManager } from '../../../src/facts/network-manager.js';
import { parseOsRelease } from '../../../src/facts/os-release.js';
import { packagesCommand, parsePackages } from '../../../src/facts/packages.js';
import { defaultInterface, parseRoutes } from '../../../src/facts/routes.js';
import { parseSysctls, sysctlCommand } from '../../../src/facts/sysctl.js';
import { fixture } from './fixture.js';

test('os-release: Debian 12 (captured) and Ubuntu 22.04', (t) => {
  t.deepEqual(parseOsRelease(fixture('os-release/debian12-controller.txt')), {
    id: 'debian',
    versionId: '12',
    codename: 'bookworm',
    prettyName: 'Debian GNU/Linux 12 (bookworm)',
  });
  t.deepEqual(parseOsRelease(fixture('os-release/ubuntu-2204.txt')), {
    id: 'ubuntu',
    versionId: '22.04',
    codename: 'jammy',
    prettyName: 'Ubuntu 22.04.4 LTS',
  });
  t.deepEqual(parseOsRelease(''), { id: '', versionId: '', codename: '', prettyName: '' });
  t.is(parseOsRelease(`PRETTY_NAME='Single "quoted"'\n`).prettyName, 'Single "quoted"');
});

test('kernel: release and its numeric version', (t) => {
  t.deepEqual(parseKernel(fixture('kernel/debian12-controller.txt')), { kernel: '6.18.44-fc-v782', kernelVersion: '6.18.44' });
  t.deepEqual(parseKernel('6.1.0-18-amd64\n'), { kernel: '6.1.0-18-amd64', kernelVersion: '6.1.0' });
  t.deepEqual(parseKernel('4.19-rc1\n'), { kernel: '4.19-rc1', kernelVersion: '4.19.0' });
  t.deepEqual(parseKernel(''), { kernel: '', kernelVersion: '' });
});

test('interfaces: names, MACs (ethernet only), state, MTU, addresses', (t) => {
  const captured = parseInterfaces(fixture('interfaces/debian12-controller.txt'));
  const eth0 = captured.find((i) => i.name === 'eth0');
  t.deepEqual(eth0, {
    name: 'eth0',
    mac: '02:fc:00:00:00:01',
    up: true,
    mtu: 1400,
    addresses: [
      { family: 'inet', address: '192.0.2.2', prefixlen: 24 },
      { family: 'inet6', address: 'fd00::2', prefixlen: 64 },
      { family: 'inet6', address: 'fe80::fc:ff:fe00:1', prefixlen: 64 },
    ],
  });
  t.is(captured.find((i) => i.name === 'lo')?.mac, null);
  t.false(captured.find((i) => i.name === 'ifb0')?.up);
  const lab = parseInterfaces(fixture('interfaces/lab-host.txt'));
  t.deepEqual(
    lab.map((i) => [i.name, i.up, i.addresses.length]),
    [
      ['lo', true, 1],
      ['ens6', true, 2],
      ['mgmt0', false, 0],
    ],
  );
  t.deepEqual(parseInterfaces(''), []);
  t.deepEqual(parseInterfaces('{"not":"a list"}'), []);
});

test('routes: ECMP default keeps its next hops; default interface', (t) => {
  const ecmp = parseRoutes(fixture('routes/ecmp-bgp-host.txt'));
  t.is(ecmp.length, 3);
  t.deepEqual(
    ecmp[0]?.nexthops?.map((hop) => hop.gateway),
    ['192.168.100.20', '192.168.100.21'],
  );
  t.is(ecmp[0]?.protocol, 'bgp');
  t.is(defaultInterface(ecmp), 'ens6');
  t.is(defaultInterface(parseRoutes(fixture('routes/debian12-controller.txt'))), 'eth0');
  t.is(defaultInterface(parseRoutes(fixture('routes/two-defaults.txt'))), 'ens6');
  t.is(defaultInterface(parseRoutes(fixture('routes/no-default.txt'))), null);
  t.deepEqual(parseRoutes(fixture('routes/not-json.txt')), []);
});

test('sysctl: one grep over /proc/sys; missing keys stay absent', (t) => {
  t.deepEqual(parseSysctls(fixture('sysctl/debian12-controller.txt')), {
    'net.ipv4.ip_forward': '0',
    'net.ipv4.fib_multipath_hash_policy': '0',
    'net.ipv4.fib_multipath_use_neigh': '0',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.conf.default.rp_filter': '0',
    'net.ipv6.conf.all.forwarding': '0',
    'net.core.optmem_max': '131072',
  });
  t.deepEqual(parseSysctls('/proc/sys/net/ipv4/tcp_rmem:4096\t131072\t6291456\n'), { 'net.ipv4.tcp_rmem': '4096\t131072\t6291456' });
  t.is(sysctlCommand(['net.ipv4.ip_forward', 'net.nope']), `grep -H '' /proc/sys/net/ipv4/ip_forward /proc/sys/net/nope /dev/null`);
});

test('packages: installed ones only, with their versions', (t) => {
  t.deepEqual(parsePackages(fixture('packages/debian12-controller.txt')), {
    frr: '8.4.4-1.1~deb12u2',
    'frr-pythontools': '8.4.4-1.1~deb12u2',
    iptables: '1.8.9-2',
    nftables: '1.0.6-2+deb12u2',
    python3: '3.11.2-1+b1',
    systemd: '252.39-1~deb12u2',
  });
  t.deepEqual(parsePackages('frr\trc \t7.5.1-1.1\nsquid\thi \t5.7-2\nlibc6:amd64\tii \t2.36-9\n'), { squid: '5.7-2', libc6: '2.36-9' });
  t.regex(packagesCommand(['frr', 'squid']), /^dpkg-query -W -f='\$\{Package\}\\t\$\{db:Status-Abbrev\}\\t\$\{Version\}\\n' frr squid$/);
});

test('FRR version: dpkg first, else the vtysh banner, else null', (t) => {
  t.is(parseFrrVersion(fixture('frr-version/debian12-controller.txt')), '8.4.4');
  t.is(parseFrrVersion(fixture('frr-version/frr-apt-repo-10.txt')), '10.1.1');
  t.is(parseFrrVersion(fixture('frr-version/source-build-vtysh.txt')), '8.4.4');
  t.is(parseFrrVersion(fixture('frr-version/removed-config-only.txt')), null);
  t.is(parseFrrVersion(fixture('frr-version/not-installed.txt')), null);
  t.is(parseFrrVersion('dpkg: \nzebra version 7.5.1\n'), '7.5.1');
  t.is(upstreamVersion('1:10.0-0~deb12u1'), '10.0');
});

test('init system: systemd only when PID 1 is systemd or /run/systemd/system exists', (t) => {
  t.is(parseInitSystem(fixture('init-system/debian12-controller.txt')), 'other');
  t.is(parseInitSystem(fixture('init-system/systemd.txt')), 'systemd');
  t.is(parseInitSystem('init\n/run/systemd/system\n'), 'systemd');
  t.is(parseInitSystem(''), 'other');
});

test('network manager and DHCP client from the probe words', (t) => {
  const nm = (file: string) => parseNetworkManager(fixture(`network-manager/${file}`));
  t.deepEqual(nm('ifupdown-dhclient.txt'), { networkManager: 'ifupdown', dhcpClient: 'dhclient' });
  t.deepEqual(nm('ifupdown-static.txt'), { networkManager: 'ifupdown', dhcpClient: null });
  t.deepEqual(nm('netplan.txt'), { networkManager: 'netplan', dhcpClient: null });
  t.deepEqual(nm('systemd-networkd.txt'), { networkManager: 'systemd-networkd', dhcpClient: null });
  t.deepEqual(nm('networkmanager.txt'), { networkManager: 'NetworkManager', dhcpClient: null });
  // The controller ships networkd's default .network files but does not run networkd.
  t.deepEqual(nm('debian12-controller.txt'), { networkManager: 'unknown', dhcpClient: null });
});
