/** The lab's addressing plan and mirror discovery, without touching the machine. */
import test from 'ava';
import { listenRange, planTopology, isLabRootLink, MAX_HOSTS } from '../../src/lab/topology.js';
import { mirrorsFromDeb822, mirrorsFromOneLine } from '../../src/lab/mirror.js';
import { rootBatch } from '../../src/lab/network.js';
import { parseUpOptions } from '../../src/lab/options.js';

test('the lab "lab" has the seed addresses', (t) => {
  const topo = planTopology('lab', 2, 2);
  t.is(topo.mgmt.cidr, '192.168.121.0/24');
  t.deepEqual(
    topo.nodes.map((n) => [n.name, n.mgmtAddress, n.subnetAddress, n.upstreamAddress ?? null]),
    [
      ['r1', '192.168.121.10', '192.168.100.20', '203.0.113.20'],
      ['r2', '192.168.121.11', '192.168.100.21', '203.0.113.21'],
      ['host', '192.168.121.12', '192.168.100.100', null],
      ['host2', '192.168.121.13', '192.168.100.101', null],
    ],
  );
});

test('two lab names get different management subnets and interface prefixes', (t) => {
  const a = planTopology('dev1', 2, 1);
  const b = planTopology('dev2', 2, 1);
  t.not(a.mgmt.cidr, b.mgmt.cidr);
  t.not(a.id, b.id);
  t.true(isLabRootLink(a.id, a.nodes[0]!.mgmtVeth));
  t.false(isLabRootLink(b.id, a.nodes[0]!.mgmtVeth));
});

test('every interface name fits in 15 characters, even for the biggest lab', (t) => {
  const topo = planTopology('a-twenty-char-name-x', 2, MAX_HOSTS);
  for (const line of rootBatch(topo)) {
    for (const m of line.matchAll(/\b(?:link add|name) (\S+)/g)) t.true(m[1]!.length <= 15, m[1]);
  }
});

test('the listen range is the seed /27 while hosts fit, then grows', (t) => {
  t.is(listenRange(1), '192.168.100.96/27');
  t.is(listenRange(28), '192.168.100.96/27');
  t.is(listenRange(29), '192.168.100.0/24');
});

test('host MACs are unique within a lab', (t) => {
  const macs = planTopology('lab', 2, 150).nodes.map((n) => n.subnetMac);
  t.is(new Set(macs).size, macs.length);
  for (const mac of macs) t.regex(mac, /^02(:[0-9a-f]{2}){5}$/);
});

test('the mirror comes from the deb822 URIs line, not from -security or disabled entries', (t) => {
  const text = [
    'Types: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm\nComponents: main',
    'Types: deb\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security',
    'Enabled: no\nTypes: deb\nURIs: http://other.invalid/debian',
  ].join('\n\n');
  t.deepEqual(mirrorsFromDeb822(text), ['http://mirror.invalid/debian', 'http://mirror.invalid/debian-security']);
  t.deepEqual(mirrorsFromOneLine('# x\ndeb [arch=amd64] http://m.invalid/debian bookworm main\n'), ['http://m.invalid/debian']);
});

test('options: defaults and limits', (t) => {
  t.like(parseUpOptions({}), { name: 'lab', routers: 2, hosts: 1, release: 'bookworm' });
  t.true(parseUpOptions({}).inventoryPath.endsWith('/inventory/lab.yml'));
  t.throws(() => parseUpOptions({ hosts: '1.5' }), { message: /--hosts must be a whole number/ });
  t.throws(() => parseUpOptions({ routers: '0' }), { message: /--routers/ });
  t.notThrows(() => parseUpOptions({ hosts: String(MAX_HOSTS) }));
});
