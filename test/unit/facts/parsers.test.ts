import test from 'ava';
import { parseInitSystem } from '../../../src/facts/init-system.js';
import { parseInterfaces } from '../../../src/facts/interfaces.js';
import { parseKernel } from '../../../src/facts/kernel.js';
import { parseNetworkManager } from '../../../src/facts/network-manager.js';
import { parseOsRelease } from '../../../src/facts/os-release.js';
import { defaultInterface, parseRoutes } from '../../../src/facts/routes.js';
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
