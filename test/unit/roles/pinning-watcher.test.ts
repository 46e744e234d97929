/**
 * The host role's connection-pinning watcher (roles/host/files/pinning-watcher.py): its decisions
 * (which per-router tables hold a route, the fast-failover override), its nftables ruleset, and its
 * parsing of bfdd's control socket and of netlink route dumps. The real Python file runs under
 * python3 through pinning-watcher-harness.py, which replaces only its I/O edges.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import { labVars, render, repoRoot } from './render.js';

const harness = path.join(repoRoot, 'test', 'unit', 'roles', 'pinning-watcher-harness.py');

// The system's tools only: under npx, PATH starts with node_modules/.bin, which has an unrelated `nft`.
const systemEnv = { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
// The interpreter the hosts run the watcher with (its shebang), when this machine has it.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const R1 = '192.168.100.20';
const R2 = '192.168.100.21';
const R3 = '192.168.100.22';

interface Router {
  address: string;
  mark: number;
  table: number;
}
interface PinningConfig {
  interface: string;
  subnet: string;
  mask: number;
  override_table: number;
  routers: Router[];
  fast_failover_hold_seconds?: number;
}

/** The config the host role installs for the lab inventory (routers r1 = table 101, r2 = table 102, override table 100). */
function labConfig(): PinningConfig {
  return JSON.parse(render({ role: 'host', template: 'pinning-config.json.ejs', vars: labVars('host') })) as PinningConfig;
}

function harnessRun<T>(scenario: Record<string, unknown>): T {
  const r = spawnSync(python, [harness], { input: JSON.stringify(scenario), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`harness exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

// --- Watcher decisions ------------------------------------------------------------------------

interface BfdStatus {
  op: string;
  id: number;
  'peer-address': string;
  'local-address': string;
  state: string;
}
type Step = { at?: number; sync: { gateways: string[]; offered?: string[] | null; startup?: boolean; lost?: number[] } } | { at?: number; bfd: BfdStatus[] };
interface StepResult {
  lines: string[];
  unflushed: string;
  pinned: Record<string, boolean>;
  override: string[] | null;
  bgpAsked: number;
}

/** A bfdd status notification as bfdd sends it on its control socket. */
function status(peer: string, state: string): BfdStatus {
  return { op: 'status', id: 1, 'peer-address': peer, 'local-address': '192.168.100.100', state };
}

function runWatcher(steps: Step[], config: PinningConfig = labConfig()): StepResult[] {
  const out = harnessRun<{ steps: StepResult[] }>({ kind: 'watcher', config, steps });
  for (const s of out.steps) if (s.unflushed !== '') throw new Error(`lines written to ip -batch but never flushed: ${s.unflushed}`);
  return out.steps;
}

const startBoth: Step[] = [{ sync: { gateways: [R1, R2], startup: true } }, { bfd: [status(R1, 'up'), status(R2, 'up')] }];

test('startup with both routers in the ECMP route: both tables get their default route, the override table is left alone', (t) => {
  const [start, bfdUp] = runWatcher(startBoth);
  t.deepEqual(start!.lines, [`route replace default via ${R1} dev ens6 onlink table 101`, `route replace default via ${R2} dev ens6 onlink table 102`]);
  t.deepEqual(start!.pinned, { [R1]: true, [R2]: true });
  t.is(start!.override, null);
  t.is(start!.bgpAsked, 0, 'bgpd is asked only when a router left the ECMP route');
  t.deepEqual(bfdUp!.lines, [], 'BFD up for pinned routers changes nothing');
});

test('BFD down while FRR still routes to r1: unpin r1 and override via r2 at once; FRR catching up ends the override; r1 returns pinned', (t) => {
  const steps = runWatcher([
    ...startBoth,
    { at: 0.05, bfd: [status(R1, 'down')] },
    { at: 0.1, sync: { gateways: [R1, R2] } }, // a route event before FRR's route changed
    { at: 0.13, sync: { gateways: [R2] } }, // FRR dropped r1
    { at: 0.5, sync: { gateways: [R2], offered: [R2] } },
    { at: 5, bfd: [status(R1, 'init'), status(R1, 'up')] },
    { at: 6, sync: { gateways: [R1, R2] } },
  ]);
  const [, , down, stale, caughtUp, resync, up, back] = steps;
  t.deepEqual(down!.lines, ['route flush table 101', `route replace default table 100 via ${R2} dev ens6 onlink`]);
  t.deepEqual(down!.pinned, { [R1]: false, [R2]: true });
  t.deepEqual(down!.override, [R2]);
  t.deepEqual(stale!.lines, [], "FRR still lists r1: the override and r1's empty table stay");
  t.deepEqual(stale!.override, [R2]);
  t.deepEqual(caughtUp!.lines, ['route flush table 100']);
  t.is(caughtUp!.override, null);
  t.deepEqual(caughtUp!.pinned, { [R1]: false, [R2]: true });
  t.is(caughtUp!.bgpAsked, 0, 'r1 is not pinned any more: nothing to keep, bgpd is not asked');
  t.deepEqual(resync!.lines, []);
  t.deepEqual(up!.lines, [], "BFD up alone does not pin: FRR's route decides");
  t.deepEqual(back!.lines, [`route replace default via ${R1} dev ens6 onlink table 101`]);
  t.deepEqual(back!.pinned, { [R1]: true, [R2]: true });
  t.is(back!.override, null);
});

test("the kernel deleted the pinned tables' routes (a link reconfigure) while FRR kept its route: the next sync puts them back", (t) => {
  // systemd-networkd 247 removes and re-adds the DHCP address on `networkctl reconfigure`: the
  // kernel deletes every route via the subnet's routers, zebra puts FRR's back, nothing else.
  const [, , lost, again] = runWatcher([...startBoth, { at: 1, sync: { gateways: [R1, R2], lost: [101, 102] } }, { at: 3, sync: { gateways: [R1, R2] } }]);
  t.deepEqual(lost!.lines, [`route replace default via ${R1} dev ens6 onlink table 101`, `route replace default via ${R2} dev ens6 onlink table 102`]);
  t.deepEqual(lost!.pinned, { [R1]: true, [R2]: true });
  t.deepEqual(again!.lines, [], 'once back, a resync writes nothing');
});

test("a link event flushed every route via the link (the DHCP lease given up): the pinned tables go back at once, before FRR's route, and only BFD takes a router out", (t) => {
  // networkd 247's reconfigure: the last address goes, the kernel silently deletes FRR's route and
  // both pinned tables; FRR puts its route back 10-100 ms later. A pinned connection that meets
  // FRR's route before its table is back rides it to the router the hash picks, whose NAT resets it.
  const [, , flushed, bfdDown, frrBack] = runWatcher([
    ...startBoth,
    { at: 1, sync: { gateways: [], lost: [101, 102] } },
    { at: 1.01, bfd: [status(R1, 'down')] },
    { at: 1.05, sync: { gateways: [R2] } },
  ]);
  t.deepEqual(flushed!.lines, [`route replace default via ${R1} dev ens6 onlink table 101`, `route replace default via ${R2} dev ens6 onlink table 102`]);
  t.deepEqual(flushed!.pinned, { [R1]: true, [R2]: true });
  t.is(flushed!.bgpAsked, 0, 'no default route at all: bgpd is not asked, the tables are put back as they were');
  t.deepEqual(bfdDown!.lines, ['route flush table 101'], 'BFD down during the gap unpins r1');
  t.is(bfdDown!.override, null);
  t.deepEqual(frrBack!.lines, []);
  t.deepEqual(frrBack!.pinned, { [R1]: false, [R2]: true });
});

test('no default route for longer than the hold (FRR stopped on the host): the RIB decides, and with no bgpd the tables are emptied', (t) => {
  const [, , flushed, within, after] = runWatcher([
    ...startBoth,
    { at: 1, sync: { gateways: [], lost: [101, 102] } },
    { at: 3.5, sync: { gateways: [], offered: null } },
    { at: 4.5, sync: { gateways: [], offered: null } },
  ]);
  t.is(flushed!.lines.length, 2, 'put back at once');
  t.deepEqual(within!.lines, []);
  t.is(within!.bgpAsked, 0, 'within the hold (3 s) the tables stay as they were');
  t.deepEqual(after!.lines, ['route flush table 101', 'route flush table 102']);
  t.is(after!.bgpAsked, 1);
  t.deepEqual(after!.pinned, { [R1]: false, [R2]: false });
});

test('iproute2 puts the pinned routes back while the interface has no address (onlink)', (t) => {
  const steps = runWatcher([...startBoth, { at: 1, sync: { gateways: [], lost: [101, 102] } }]);
  const r = ipBatchInPrivateNetns(steps[2]!.lines, { address: false });
  t.is(r.status, 0, `${r.stderr}\n${steps[2]!.lines.join('\n')}`);
  t.is(
    r.tables,
    ['table 100:', 'table 101:', `default via ${R1} dev ens6 onlink `, 'table 102:', `default via ${R2} dev ens6 onlink `, 'table 103:', ''].join('\n'),
  );
});

test("the kernel deleted the override table's route during a fast failover: the watcher knows it is empty", (t) => {
  const [, , down, lost] = runWatcher([...startBoth, { at: 0.05, bfd: [status(R1, 'down')] }, { at: 0.1, sync: { gateways: [R1, R2], lost: [100] } }]);
  t.deepEqual(down!.override, [R2]);
  t.deepEqual(
    lost!.lines,
    [`route replace default table 100 via ${R2} dev ens6 onlink`],
    "r1 is still BFD-down and in FRR's route: the override is written again",
  );
  t.deepEqual(lost!.override, [R2]);
});

test('a BFD down for a router never seen up, or for an unknown peer, changes nothing', (t) => {
  const [, first, unknown] = runWatcher([
    { sync: { gateways: [R1, R2], startup: true } },
    { bfd: [status(R1, 'down')] },
    { bfd: [status('192.168.100.99', 'up'), status('192.168.100.99', 'down')] },
  ]);
  t.deepEqual(first!.lines, []);
  t.deepEqual(first!.pinned, { [R1]: true, [R2]: true });
  t.deepEqual(unknown!.lines, []);
  t.is(unknown!.override, null);
});

test('BFD down for every router: the override table is emptied, never pointed at a dead router', (t) => {
  const [, , r1Down, r2Down] = runWatcher([...startBoth, { bfd: [status(R1, 'down')] }, { bfd: [status(R2, 'down')] }]);
  t.deepEqual(r1Down!.override, [R2]);
  t.deepEqual(r2Down!.lines, ['route flush table 102', 'route flush table 100']);
  t.is(r2Down!.override, null);
  t.deepEqual(r2Down!.pinned, { [R1]: false, [R2]: false });
});

test('three routers: BFD down for r1 overrides via both survivors, as one multipath route', (t) => {
  const config = labConfig();
  config.routers.push({ address: R3, mark: 3, table: 103 });
  const [start, , down] = runWatcher(
    [{ sync: { gateways: [R3, R1, R2], startup: true } }, { bfd: [status(R1, 'up'), status(R2, 'up'), status(R3, 'up')] }, { bfd: [status(R1, 'down')] }],
    config,
  );
  t.is(start!.lines.length, 3);
  t.deepEqual(down!.lines, ['route flush table 101', `route replace default table 100 nexthop via ${R2} dev ens6 onlink nexthop via ${R3} dev ens6 onlink`]);
  t.deepEqual(down!.override, [R2, R3]);
});

test('a drained router keeps its table while BGP still offers its default path; flushed once it does not', (t) => {
  const steps = runWatcher([
    ...startBoth,
    { at: 1, sync: { gateways: [R2], offered: [R1, R2] } }, // r1 drained: out of the ECMP route, path still valid
    { at: 3, sync: { gateways: [R2], offered: [R1, R2] } }, // resync while drained
    { at: 5, sync: { gateways: [R2], offered: [R2] } }, // r1's path withdrawn
    { at: 7, sync: { gateways: [R2], offered: [R1, R2] } }, // offered again, still out of the ECMP route
    { at: 9, sync: { gateways: [R1, R2] } }, // undrained
  ]);
  const [, , drained, again, withdrawn, reoffered, undrained] = steps;
  t.deepEqual(drained!.lines, []);
  t.deepEqual(drained!.pinned, { [R1]: true, [R2]: true });
  t.is(drained!.override, null);
  t.is(drained!.bgpAsked, 1);
  t.deepEqual(again!.lines, []);
  t.is(again!.bgpAsked, 1, 'asked every resync while the drain lasts');
  t.deepEqual(withdrawn!.lines, ['route flush table 101']);
  t.deepEqual(withdrawn!.pinned, { [R1]: false, [R2]: true });
  t.deepEqual(reoffered!.lines, [], 'an emptied table is refilled only by the ECMP route, not by a BGP path');
  t.is(reoffered!.bgpAsked, 0);
  t.deepEqual(undrained!.lines, [`route replace default via ${R1} dev ens6 onlink table 101`]);
});

test("FRR's route is the authority: a BFD-down router that FRR dropped and lists again is pinned, even before BFD says up", (t) => {
  const [, , down, dropped, back] = runWatcher([
    ...startBoth,
    { at: 0, bfd: [status(R1, 'down')] },
    { at: 0.1, sync: { gateways: [R2] } },
    { at: 1, sync: { gateways: [R1, R2] } }, // within the hold time
  ]);
  t.deepEqual(down!.override, [R2]);
  t.deepEqual(dropped!.lines, ['route flush table 100']);
  t.deepEqual(back!.lines, [`route replace default via ${R1} dev ens6 onlink table 101`]);
  t.is(back!.override, null);
});

test('a router re-pinned after the hold with BFD still down is not kept as drained when FRR drops it while BGP offers it', (t) => {
  const [, , , repinned, dropped] = runWatcher([
    ...startBoth,
    { at: 0, bfd: [status(R1, 'down')] },
    { at: 4, sync: { gateways: [R1, R2] } }, // hold over: FRR's view wins, r1 pinned again
    { at: 9, sync: { gateways: [R2], offered: [R1, R2] } }, // FRR drops r1 (BGP hold timer), the RIB still has its path
  ]);
  t.true(repinned!.pinned[R1]);
  t.deepEqual(dropped!.lines, ['route flush table 101'], 'its BFD session is down: not a drain');
  t.is(dropped!.override, null);
});

test('a drained router is not kept when bgpd cannot be asked, or when its BFD session is not up', (t) => {
  const [, , noBgpd] = runWatcher([...startBoth, { sync: { gateways: [R2], offered: null } }]);
  t.deepEqual(noBgpd!.lines, ['route flush table 101']);
  t.is(noBgpd!.bgpAsked, 1);

  const [, , , bfdDown] = runWatcher([...startBoth, { sync: { gateways: [R2], offered: [R1, R2] } }, { bfd: [status(R1, 'down')] }]);
  t.deepEqual(bfdDown!.lines, ['route flush table 101'], 'a drained router whose session dies is unpinned, with no override');
  t.is(bfdDown!.override, null);
});

test('startup: a router out of the ECMP route and not offered by BGP is not pinned; one still offered (drained) is', (t) => {
  const [gone] = runWatcher([{ sync: { gateways: [R2], offered: [R2], startup: true } }]);
  t.false(gone!.pinned[R1]);
  t.true(gone!.pinned[R2]);
  t.false(
    gone!.lines.some((l) => l.startsWith('route replace') && l.endsWith('table 101')),
    gone!.lines.join('\n'),
  );
  t.true(gone!.lines.includes(`route replace default via ${R2} dev ens6 onlink table 102`));
  t.is(gone!.bgpAsked, 1);

  const [drained] = runWatcher([{ sync: { gateways: [R2], offered: [R1, R2], startup: true } }]);
  t.true(drained!.pinned[R1]);
  t.true(drained!.lines.includes(`route replace default via ${R1} dev ens6 onlink table 101`));
});

test('fast failover hold: a BFD-down router FRR still routes to stops being overridden after the hold (3 s by default)', (t) => {
  const steps = runWatcher([
    ...startBoth,
    { at: 0, bfd: [status(R1, 'down')] },
    { at: 2.9, sync: { gateways: [R1, R2] } },
    { at: 3.1, sync: { gateways: [R1, R2] } },
  ]);
  const [, , , within, after] = steps;
  t.deepEqual(within!.lines, []);
  t.deepEqual(within!.override, [R2]);
  t.false(within!.pinned[R1]);
  t.deepEqual(after!.lines, [`route replace default via ${R1} dev ens6 onlink table 101`, 'route flush table 100'], "FRR's view wins");
  t.is(after!.override, null);
  t.true(after!.pinned[R1]);
});

test('fast failover hold: fast_failover_hold_seconds from the config', (t) => {
  const config = { ...labConfig(), fast_failover_hold_seconds: 0.5 };
  const [, , , within, after] = runWatcher(
    [...startBoth, { at: 0, bfd: [status(R1, 'down')] }, { at: 0.4, sync: { gateways: [R1, R2] } }, { at: 0.6, sync: { gateways: [R1, R2] } }],
    config,
  );
  t.deepEqual(within!.override, [R2]);
  t.is(after!.override, null);
  t.true(after!.pinned[R1]);
});

test("the override lists routers only, also when the main table has another default next hop (a DHCP default left beside FRR's)", (t) => {
  const dhcp = '192.168.100.1';
  const [, , down, stale] = runWatcher([
    { sync: { gateways: [R1, R2, dhcp], startup: true } },
    { bfd: [status(R1, 'up'), status(R2, 'up')] },
    { bfd: [status(R1, 'down')] },
    { sync: { gateways: [R1, R2, dhcp] } },
  ]);
  t.deepEqual(down!.override, [R2]);
  t.deepEqual(stale!.lines, [], 'a route event before FRR caught up keeps the override as the BFD down set it');
  t.deepEqual(stale!.override, [R2]);
});

/** Runs commands through `ip -force -batch -` (as the watcher does) in a private network namespace with an ens6 on the lab subnet; returns the tables. */
function ipBatchInPrivateNetns(lines: string[], opts: { address: boolean } = { address: true }): { status: number | null; stderr: string; tables: string } {
  const script = [
    'set -e',
    'ip link set lo up', // as on a host: the local table exists (the onlink check looks the gateway up in it)
    'ip link add ens6 type veth peer name prov-peer',
    ...(opts.address ? ['ip addr add 192.168.100.100/24 dev ens6'] : []),
    'ip link set prov-peer up',
    'ip link set ens6 up',
    'ip -force -batch -',
    'for t in 100 101 102 103; do echo "table $t:"; ip route show table $t 2>/dev/null || true; done', // a table never written does not exist
  ].join('\n');
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { input: lines.map((l) => `${l}\n`).join(''), encoding: 'utf8', env: systemEnv });
  return { status: r.status, stderr: r.stderr, tables: r.stdout };
}

test('iproute2 accepts every command of a failover and failback, and the tables end as the watcher believes', (t) => {
  const config = labConfig();
  config.routers.push({ address: R3, mark: 3, table: 103 });
  const steps = runWatcher(
    [
      { sync: { gateways: [R1, R2, R3], startup: true } },
      { bfd: [status(R1, 'up'), status(R2, 'up'), status(R3, 'up')] },
      { bfd: [status(R1, 'down')] },
      { sync: { gateways: [R2, R3] } },
      { bfd: [status(R2, 'down')] },
    ],
    config,
  );
  const lines = steps.flatMap((s) => s.lines);
  const r = ipBatchInPrivateNetns(lines);
  t.is(r.status, 0, `${r.stderr}\n${lines.join('\n')}`);
  t.is(
    r.tables,
    ['table 100:', `default via ${R3} dev ens6 onlink `, 'table 101:', 'table 102:', 'table 103:', `default via ${R3} dev ens6 onlink `, ''].join('\n'),
  );
  t.deepEqual(steps.at(-1)!.pinned, { [R1]: false, [R2]: false, [R3]: true });
  t.deepEqual(steps.at(-1)!.override, [R3]);
});

// --- nftables ruleset -------------------------------------------------------------------------

/** `nft -c`: nft and the kernel check the ruleset without applying it, here in a private network namespace. */
function nftCheck(text: string): { status: number | null; stderr: string } {
  const r = spawnSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: text, encoding: 'utf8', env: systemEnv });
  return { status: r.status, stderr: r.stderr };
}

test('nft_ruleset: map elements with the marks, the mask, the interface and the subnet; nft -c accepts it', (t) => {
  const { ruleset } = harnessRun<{ ruleset: string }>({ kind: 'ruleset', config: labConfig() });
  t.true(ruleset.startsWith('table ip prov_pinning {'));
  t.regex(ruleset, /type ipv4_addr : mark\n\s*elements = \{ 192\.168\.100\.20 : 0x1, 192\.168\.100\.21 : 0x2 \}/);
  t.regex(ruleset, /type route hook output priority mangle; policy accept;\n\s*ct mark & 0xff != 0 meta mark set ct mark & 0xff\n/);
  t.regex(
    ruleset,
    /type filter hook postrouting priority mangle; policy accept;\n\s*oifname "ens6" ip daddr != 192\.168\.100\.0\/24 ct mark set rt ip nexthop map @nexthop_mark\n/,
  );

  const check = (text: string) => nftCheck(text);
  const ok = check(ruleset);
  t.is(ok.status, 0, ok.stderr);
  const broken = check(ruleset.replace('type route hook output', 'type route hook postrouting'));
  t.not(broken.status, 0, 'the kernel refuses a route chain outside output: the check must be able to fail');
  t.regex(broken.stderr, /Operation not supported/);
});

test('nft_ruleset: another mask and three routers', (t) => {
  const config = { ...labConfig(), mask: 0xf00, interface: 'eth1', subnet: '10.1.0.0/16' };
  config.routers = [
    { address: '10.1.0.1', mark: 0x100, table: 201 },
    { address: '10.1.0.2', mark: 0x200, table: 202 },
    { address: '10.1.0.3', mark: 0x300, table: 203 },
  ];
  const { ruleset } = harnessRun<{ ruleset: string }>({ kind: 'ruleset', config });
  t.true(ruleset.includes('elements = { 10.1.0.1 : 0x100, 10.1.0.2 : 0x200, 10.1.0.3 : 0x300 }'));
  t.true(ruleset.includes('ct mark & 0xf00 != 0 meta mark set ct mark & 0xf00'));
  t.true(ruleset.includes('oifname "eth1" ip daddr != 10.1.0.0/16 ct mark'));
  const ok = nftCheck(ruleset);
  t.is(ok.status, 0, ok.stderr);
});

// --- bfdd control socket framing ----------------------------------------------------------------

/** struct bfd_control_msg (FRR bfdd/bfdctl.h): payload length, id, type, version, all network order; then the payload. */
function bfdFrame(type: number, payload: string, id = 0): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.writeUInt16BE(id, 4);
  head.writeUInt8(type, 6);
  head.writeUInt8(1, 7);
  return Buffer.concat([head, body]);
}
const BMT_RESPONSE = 1;
const BMT_NOTIFY = 4;

interface BfdRead {
  messages: BfdStatus[];
  rest: string;
}
function runBfd(reads: Buffer[], close = false): (BfdRead | null)[] {
  return harnessRun<{ reads: (BfdRead | null)[] }>({ kind: 'bfd', reads: reads.map((b) => b.toString('hex')), close }).reads;
}

test('bfd_messages: two status messages in one read', (t) => {
  const down = status(R1, 'down');
  const up = status(R2, 'up');
  const [read] = runBfd([Buffer.concat([bfdFrame(BMT_NOTIFY, JSON.stringify(down)), bfdFrame(BMT_NOTIFY, JSON.stringify(up))])]);
  t.deepEqual(read, { messages: [down, up], rest: '' });
});

test('bfd_messages: a message split across reads (inside the header, then inside the payload) is decoded once complete', (t) => {
  const first = bfdFrame(BMT_NOTIFY, JSON.stringify(status(R1, 'down')));
  const second = bfdFrame(BMT_NOTIFY, JSON.stringify(status(R2, 'down')));
  const stream = Buffer.concat([first, second]);
  const cuts = [
    3, // inside the first header
    20, // inside the first payload
    first.length - 3, // all but the payload's last 3 bytes
    first.length + 5, // the first complete, the second's header begun
  ];
  const chunks = [0, ...cuts].map((from, i) => stream.subarray(from, cuts[i] ?? stream.length));
  const reads = runBfd(chunks);
  t.deepEqual(reads[0], { messages: [], rest: stream.subarray(0, cuts[0]).toString('hex') });
  t.deepEqual(reads[1], { messages: [], rest: stream.subarray(0, cuts[1]).toString('hex') });
  t.deepEqual(reads[2], { messages: [], rest: stream.subarray(0, cuts[2]).toString('hex') });
  t.deepEqual(reads[3], { messages: [status(R1, 'down')], rest: second.subarray(0, 5).toString('hex') });
  t.deepEqual(reads[4], { messages: [status(R2, 'down')], rest: '' });
});

test('bfd_messages: only notifications count (not a response, whatever it holds); non-status notifications and bad JSON are skipped; a closed socket reads as None', (t) => {
  const stream = Buffer.concat([
    bfdFrame(BMT_RESPONSE, '{"status":"ok"}', 1),
    bfdFrame(BMT_RESPONSE, JSON.stringify(status(R2, 'down')), 2),
    bfdFrame(BMT_NOTIFY, '{"op":"add","id":7}'),
    bfdFrame(BMT_NOTIFY, '{not json'),
    bfdFrame(BMT_NOTIFY, JSON.stringify(status(R1, 'up'))),
  ]);
  const reads = runBfd([stream], true);
  t.deepEqual(reads, [{ messages: [status(R1, 'up')], rest: '' }, null]);
});

// --- netlink route dump parsing -------------------------------------------------------------------

const RTM_NEWROUTE = 24;
const RTM_GETROUTE = 26;
const NLMSG_DONE = 3;
const NLM_F_MULTI = 2;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_MULTIPATH = 9;
const RTA_FLOW = 11;
const RTA_TABLE = 15;
const RTA_PREF = 20;
const le = endianness() === 'LE'; // netlink is in host byte order

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(n);
  else b.writeUInt16BE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(n);
  else b.writeUInt32BE(n);
  return b;
}
function ipv4(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}
function pad4(b: Buffer): Buffer {
  return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
}
/** struct rtattr: length (without padding), type, value; padded to 4 bytes. */
function rta(type: number, value: Buffer): Buffer {
  return pad4(Buffer.concat([u16(4 + value.length), u16(type), value]));
}
/** struct rtnexthop: length, flags, hops, ifindex; then its attributes. */
function rtnh(ifindex: number, attrs: Buffer[]): Buffer {
  const body = Buffer.concat(attrs);
  return Buffer.concat([u16(8 + body.length), Buffer.from([0, 0]), u32(ifindex), body]);
}
/** struct nlmsghdr + struct rtmsg + attributes. */
function routeMessage(opts: { dstLen: number; table: number; attrs: Buffer[] }): Buffer {
  const rtmsg = Buffer.concat([Buffer.from([2, opts.dstLen, 0, 0, opts.table, 186, 0, 1]), u32(0)]);
  const body = Buffer.concat([rtmsg, ...opts.attrs]);
  return Buffer.concat([u32(16 + body.length), u16(RTM_NEWROUTE), u16(NLM_F_MULTI), u32(1), u32(0), body]);
}
function done(): Buffer {
  return Buffer.concat([u32(20), u16(NLMSG_DONE), u16(NLM_F_MULTI), u32(1), u32(0), u32(0)]);
}

interface GatewaysResult {
  gateways: string[];
  sent: string;
  closed: boolean;
  unread: number;
}
function runGateways(reads: Buffer[]): GatewaysResult {
  return harnessRun<GatewaysResult>({ kind: 'gateways', reads: reads.map((b) => b.toString('hex')) });
}

const ecmpDefault = routeMessage({
  dstLen: 0,
  table: 254,
  attrs: [
    rta(RTA_TABLE, u32(254)),
    rta(RTA_PREF, Buffer.from([0])), // 5 bytes: the next attribute starts after padding
    rta(RTA_PRIORITY, u32(20)),
    rta(RTA_MULTIPATH, Buffer.concat([rtnh(2, [rta(RTA_GATEWAY, ipv4(R1))]), rtnh(2, [rta(RTA_FLOW, u32(0)), rta(RTA_GATEWAY, ipv4(R2))])])),
  ],
});
const pinnedTableDefault = routeMessage({
  dstLen: 0,
  table: 101,
  attrs: [rta(RTA_TABLE, u32(101)), rta(RTA_GATEWAY, ipv4('192.168.100.30')), rta(RTA_OIF, u32(2))],
});
const mainSubnetRoute = routeMessage({
  dstLen: 8,
  table: 254,
  attrs: [rta(RTA_TABLE, u32(254)), rta(RTA_GATEWAY, ipv4('192.168.100.31')), rta(RTA_OIF, u32(2))],
});

test("gateways: the main table's default route's multipath next hops; other tables and prefixes ignored", (t) => {
  const r = runGateways([Buffer.concat([pinnedTableDefault, ecmpDefault, mainSubnetRoute]), done()]);
  t.deepEqual(r.gateways, [R1, R2]);
  t.true(r.closed);
  t.is(r.unread, 0);
  // The request: a 28-byte RTM_GETROUTE dump (NLM_F_REQUEST | NLM_F_DUMP) for AF_INET.
  const sent = Buffer.from(r.sent, 'hex');
  t.is(sent.length, 28);
  t.deepEqual(sent.subarray(0, 8), Buffer.concat([u32(28), u16(RTM_GETROUTE), u16(0x301)]));
  t.is(sent[16], 2);
});

test('gateways: a single-gateway default route in the main table (one router left), the dump spread over reads', (t) => {
  const single = routeMessage({ dstLen: 0, table: 254, attrs: [rta(RTA_TABLE, u32(254)), rta(RTA_GATEWAY, ipv4(R2)), rta(RTA_OIF, u32(2))] });
  const r = runGateways([pinnedTableDefault, Buffer.concat([mainSubnetRoute, single]), done()]);
  t.deepEqual(r.gateways, [R2]);
  t.is(r.unread, 0);
});
