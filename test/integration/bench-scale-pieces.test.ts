/**
 * The pieces of `npm run bench:scale` (bench/scale.ts), on their own: the peers' address plan,
 * the route watcher against real namespaces and kernel routes, and one peer's FRR daemons started
 * with the bench's argv and config. The bench itself (200 peers on a lab) prints figures only.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chownSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_DAEMONS, daemonArgs, peerAddresses, planPeers, type Peer } from '../../bench/scale/plan.js';
import { RouteWatch, changesIn, firstReached, type RouteEvent } from '../../bench/scale/watch.js';
import { peerPids } from '../../bench/scale/peers.js';
import { rssOf } from '../../bench/scale/procs.js';

const NS = ['prov-tbs_a', 'prov-tbs_b'];
const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const cleanup = () => {
  for (const ns of NS) {
    try {
      // kills what runs in it (the FRR test's daemons) before the namespace goes
      for (const pid of ip('netns', 'pids', ns).split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
      ip('netns', 'del', ns);
    } catch {
      // not there
    }
  }
};
test.before(() => {
  cleanup();
  for (const ns of NS) {
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'add', 'ens6', 'type', 'veth', 'peer', 'name', 'other');
    ip('-n', ns, 'addr', 'add', '10.99.0.2/24', 'dev', 'ens6');
    ip('-n', ns, 'link', 'set', 'ens6', 'up');
    ip('-n', ns, 'link', 'set', 'other', 'up');
  }
});
test.after.always(cleanup);

test('peers take the free addresses of the subnet, never the gateway or a node', (t) => {
  const got = peerAddresses(3, ['192.168.100.2', '192.168.100.4']);
  t.deepEqual(got, ['192.168.100.3', '192.168.100.5', '192.168.100.6']);
  t.is(peerAddresses(250, ['192.168.100.20', '192.168.100.21', '192.168.100.100']).length, 250);
  t.throws(() => peerAddresses(251, ['192.168.100.20', '192.168.100.21', '192.168.100.100']), { message: /room for 250 peers beside its nodes, not 251/ });
  const [p] = planPeers('sc', 1, [], '/run/prov/sc/peers');
  t.deepEqual(p, { name: 'p1', netns: 'prov-sc_p1', address: '192.168.100.2', bridgePort: 's1', dir: '/run/prov/sc/peers/p1' });
});

test('firstReached: when each namespace first had the state after t0, and which never did', (t) => {
  const events: RouteEvent[] = [
    { t: 0, ns: 'a', gw: ['r1', 'r2'] },
    { t: 0, ns: 'b', gw: ['r1', 'r2'] },
    { t: 0, ns: 'c', gw: ['r2'] },
    { t: 150, ns: 'a', gw: ['r2'] },
    { t: 170, ns: 'b', gw: [] },
    { t: 400, ns: 'b', gw: ['r2'] },
  ];
  const r = firstReached(events, 100, ['a', 'b', 'c', 'd'], (gw) => gw.length === 1 && gw[0] === 'r2');
  t.deepEqual(
    [...r.at],
    [
      ['a', 150],
      ['b', 400],
      ['c', 100],
    ],
  );
  t.deepEqual(r.missing, ['d']);
  t.deepEqual(
    [...changesIn(events, 100, 200)],
    [
      ['a', 1],
      ['b', 1],
    ],
  );
});

test.serial('route-watch.py reports each namespace’s default next hops as the kernel changes them', async (t) => {
  const watch = await RouteWatch.start(NS);
  try {
    t.deepEqual(
      watch.events.map((e) => [e.ns, e.gw]),
      [
        [NS[0], []],
        [NS[1], []],
      ],
    );
    const t0 = Date.now();
    ip('-n', NS[0]!, 'route', 'add', 'default', 'via', '10.99.0.1');
    ip('-n', NS[1]!, 'route', 'add', 'default', 'nexthop', 'via', '10.99.0.1', 'nexthop', 'via', '10.99.0.3');
    const two = await watch.until(t0, (gw) => gw.length > 0, 5000);
    t.deepEqual(two.missing, []);
    t.deepEqual(
      watch.events.filter((e) => e.t >= t0).map((e) => [e.ns, e.gw]),
      [
        [NS[0], ['10.99.0.1']],
        [NS[1], ['10.99.0.1', '10.99.0.3']],
      ],
    );
    const t1 = Date.now();
    ip('-n', NS[1]!, 'route', 'replace', 'default', 'via', '10.99.0.3');
    const one = await watch.until(t1, (gw) => gw.length === 1 && gw[0] === '10.99.0.3', 1000);
    t.deepEqual(one.missing, [NS[0]]);
    t.true(one.at.get(NS[1]!)! >= t1);
  } finally {
    watch.stop();
  }
});

test.serial('a peer’s zebra, bfdd and bgpd start in its namespace with the bench’s argv and read its frr.conf', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'prov-peer-'));
  const peer: Peer = { name: 'p1', netns: NS[0]!, address: '10.99.0.2', bridgePort: 's1', dir };
  const frr = readFileSync('/etc/passwd', 'utf8').match(/^frr:x:(\d+):(\d+):/m)!;
  writeFileSync(
    join(dir, 'frr.conf'),
    'hostname p1\nrouter bgp 65100\n bgp router-id 10.99.0.2\n neighbor 10.99.0.1 remote-as external\n!\nbfd\n peer 10.99.0.1\n !\n!\n',
  );
  for (const f of [dir, join(dir, 'frr.conf')]) chownSync(f, Number(frr[1]), Number(frr[2]));
  try {
    for (const d of PEER_DAEMONS) execFileSync('ip', ['netns', 'exec', peer.netns, `/usr/lib/frr/${d}`, ...daemonArgs(peer, d)]);
    const pids = peerPids(peer);
    t.is(pids.length, 3);
    t.true(rssOf(pids) > 3 * 2 ** 20);
    const out = execFileSync('vtysh', ['--vty_socket', dir, '-c', 'show bgp summary', '-c', 'show bfd peers brief'], { encoding: 'utf8' });
    t.regex(out, /BGP router identifier 10\.99\.0\.2, local AS number 65100/);
    t.regex(out, /10\.99\.0\.1/);
  } finally {
    for (const pid of peerPids(peer)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
