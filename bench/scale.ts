/**
 * `npm run bench:scale [-- --peers N]`: one router pair serving N (default 200) dynamic BGP peers.
 * The routers are lab nodes configured by `prov apply --limit routers`; the peers are FRR in plain
 * network namespaces on the lab's subnet, each with the frr.conf that `prov render cloud-init`
 * gives a host of that address (bench/scale/plan.ts). Prints, from one run:
 *   1. join: from the peers' FRR start until every peer has the ECMP default via both routers
 *   2. steady state (60 s): the routers' bgpd/bfdd/zebra memory and CPU, the peers' memory, and
 *      false flaps (next-hop changes on any peer, BFD session-down events on the routers)
 *   3. routers' start: FRR stopped on both, then started; until every peer has both next hops
 *   4. failover: r1 powered off; per peer, until its default route is via r2 alone (the outage of
 *      the flows r1 carried), and how many peers were ever left with no default route
 *   5. failback: r1 powered on; until every peer has both again, and whether any lost its route
 * The lab (`sc`) and the peers are torn down at the end, also on failure or Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { stats } from '../src/chaos/analyze.js';
import { powerOff, powerOn, nodePids } from '../src/chaos/lab-power.js';
import { keyDirFor } from '../src/lab/inventory.js';
import { labKeys, sshArgs } from '../src/lab/ssh.js';
import { readState, runtimeDir } from '../src/lab/state.js';
import type { Stats } from '../src/chaos/types.js';
import { wirePeers, startPeers, peerPids } from './scale/peers.js';
import { planPeers, type Peer } from './scale/plan.js';
import { cpuTicksOf, named, rssOf } from './scale/procs.js';
import { RouteWatch, changesIn } from './scale/watch.js';
import { countFlag } from './count-flag.js';

const root = join(import.meta.dirname, '..');
const LAB = 'sc';
const INVENTORY = join(root, 'inventory', `${LAB}.yml`);
const STEADY_S = Number(process.env.BENCH_SCALE_STEADY_S ?? 60);
const ROUTER_DAEMONS = ['bgpd', 'bfdd', 'zebra'];

const say = (msg: string) => process.stderr.write(`bench:scale: ${msg}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const spreadMs = (s: Stats | null) => (s ? `median ${s.median.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (n=${s.count})` : 'none');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function prov(args: string[]): { code: number; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'prov.js'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return { code: r.status ?? 1, ms: Date.now() - t0 };
}

function labCmd(args: string[]): void {
  const r = prov(['lab', ...args]);
  if (r.code !== 0) throw new Error(`prov lab ${args.join(' ')} exited ${r.code}`);
}

/** A command on a router over the lab's SSH (strict host keys, the lab's own key). */
function onRouter(address: string, command: string): Promise<string> {
  const keys = labKeys(keyDirFor(INVENTORY, LAB));
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs(keys, address), command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`ssh ${address} ${command}: ${err.trim() || `exit ${code}`}`))));
  });
}

/** BFD session-down events counted by a router's bfdd, over all its sessions. */
async function bfdDowns(address: string): Promise<number> {
  const peers = JSON.parse(await onRouter(address, "vtysh -c 'show bfd peers counters json'")) as Record<string, unknown>[];
  return peers.reduce((sum, p) => sum + Number(p['session-down'] ?? 0), 0);
}

/** Sessions in state up in a router's bfdd. */
async function bfdUp(address: string): Promise<number> {
  const peers = JSON.parse(await onRouter(address, "vtysh -c 'show bfd peers json'")) as { status?: string }[];
  return peers.filter((p) => p.status === 'up').length;
}

/**
 * Waits until every router has `count` BFD sessions up; ms after t0, or null at the deadline.
 * BGP comes up before BFD does: a fault before then is found by BGP's hold timer, not by BFD.
 */
async function waitBfd(routers: readonly string[], count: number, t0: number, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // a router that is booting (ssh refused, bgpd not up yet) has no session up yet
    const up = await Promise.all(routers.map((r) => bfdUp(r).catch(() => 0)));
    if (up.every((n) => n >= count)) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

const bfdFigure = (ms: number | null, count: number) =>
  ms === null ? `BFD not up on all ${count} sessions per router` : `BFD up on all ${count} sessions per router ${seconds(ms)} after it`;

/** The lab's inventory with the peers as its hosts group and a listen range that holds them. */
function scaleInventory(peers: readonly Peer[]): string {
  // biome-ignore lint/suspicious/noExplicitAny: the lab's own inventory (src/lab/inventory.ts writes it)
  const doc = load(readFileSync(INVENTORY, 'utf8')) as any;
  doc.all.vars.bgp_listen_range = '192.168.100.0/24';
  doc.all.children.hosts.hosts = Object.fromEntries(peers.map((p) => [p.name, { ansible_host: p.address, subnet_address: p.address }]));
  const dir = mkdtempSync(join(tmpdir(), 'prov-scale-'));
  const file = join(dir, 'scale.yml');
  writeFileSync(file, dump(doc, { lineWidth: 120 }));
  return file;
}

/** Each peer's frr.conf, from the user-data `prov render cloud-init` writes for it. */
function renderedConfigs(inventory: string): Map<string, string> {
  const outDir = join(inventory, '..', 'user-data');
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'prov.js'), 'render', 'cloud-init', inventory, '--group', 'hosts', '--release', 'bookworm', '--out-dir', outDir],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`prov render cloud-init exited ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  const out = new Map<string, string>();
  for (const f of readdirSync(outDir)) {
    const doc = load(readFileSync(join(outDir, f), 'utf8')) as { write_files: { path: string; content: string }[] };
    const conf = doc.write_files.find((w) => w.path.endsWith('/etc/frr/frr.conf'));
    if (!conf) throw new Error(`${f}: no frr.conf in the user-data`);
    out.set(f.replace(/\.user-data$/, ''), conf.content);
  }
  return out;
}

async function main(): Promise<void> {
  const count = countFlag('bench:scale', 'peers', 200);
  say(`lab up (2 routers), then ${count} peers`);
  labCmd(['up', '--name', LAB, '--hosts', '1']);
  const state = readState(LAB)!;
  const routers = state.topology.nodes.filter((n) => n.role === 'router');
  const [r1, r2] = routers.map((r) => r.subnetAddress);
  const routerAddrs = routers.map((r) => r.mgmtAddress);
  const peers = planPeers(
    LAB,
    count,
    state.topology.nodes.map((n) => n.subnetAddress),
    join(runtimeDir(LAB), 'peers'),
  );
  const inventory = scaleInventory(peers);

  const apply = prov(['apply', inventory, '--limit', 'routers']);
  if (apply.code !== 0) throw new Error(`prov apply --limit routers exited ${apply.code}`);
  say(`routers applied in ${seconds(apply.ms)}`);
  const configs = renderedConfigs(inventory);
  await wirePeers(state.topology.namespaces.testnet, peers, (p) => configs.get(p.name)!);
  const watch = await RouteWatch.start(peers.map((p) => p.netns));
  const both = (gw: string[]) => gw.includes(r1!) && gw.includes(r2!);
  const lines: string[] = [];
  try {
    // 1. join
    const tJoin = Date.now();
    await startPeers(peers);
    const started = Date.now() - tJoin;
    const join1 = await watch.until(tJoin, both, 300_000);
    const joinAll = Math.max(...join1.at.values()) - tJoin;
    lines.push(
      `join: ${count} peers' FRR started in ${seconds(started)}; every peer has both next hops ${seconds(joinAll)} after the first start, ` +
        bfdFigure(await waitBfd(routerAddrs, count, tJoin, 300_000), count) +
        (join1.missing.length ? ` (${join1.missing.length} never did)` : ''),
    );

    // 2. steady state
    const routerPids = routers.map((r) => named(nodePids(LAB, r.name), ROUTER_DAEMONS));
    const allPeerPids = peers.flatMap(peerPids);
    const downs0 = await Promise.all(routers.map((r) => bfdDowns(r.mgmtAddress)));
    const ticks0 = routerPids.map(cpuTicksOf);
    const peerTicks0 = cpuTicksOf(allPeerPids);
    const tSteady = Date.now();
    say(`steady state for ${STEADY_S} s`);
    await new Promise((r) => setTimeout(r, STEADY_S * 1000));
    const steadyMs = Date.now() - tSteady;
    const cpu = (ticks: number) => `${((ticks / (steadyMs / 10)) * 100).toFixed(1)} % of one core`;
    const downs1 = await Promise.all(routers.map((r) => bfdDowns(r.mgmtAddress)));
    routers.forEach((r, i) => {
      const pids = routerPids[i]!;
      lines.push(
        `${r.name}: bgpd+bfdd+zebra ${mb(rssOf(pids))} resident, CPU ${cpu(cpuTicksOf(pids) - ticks0[i]!)}, BFD session-down events ${downs1[i]! - downs0[i]!}`,
      );
    });
    const flaps = changesIn(watch.events, tSteady, Date.now());
    lines.push(
      `peers: ${mb(rssOf(allPeerPids))} resident in all (${mb(rssOf(allPeerPids) / count)} each), CPU ${cpu(cpuTicksOf(allPeerPids) - peerTicks0)} in all; ` +
        `false flaps in ${STEADY_S} s: ${[...flaps.values()].reduce((a, b) => a + b, 0)} next-hop changes on ${flaps.size} peers`,
    );

    // 3. routers' start
    await Promise.all(routers.map((r) => onRouter(r.mgmtAddress, 'systemctl stop frr')));
    const gone = await watch.until(Date.now(), (gw) => gw.length === 0, 60_000);
    if (gone.missing.length) throw new Error(`${gone.missing.length} peers kept a default route with FRR stopped on both routers`);
    const tStart = Date.now();
    await Promise.all(routers.map((r) => onRouter(r.mgmtAddress, 'systemctl start frr')));
    const [back, bfdStart] = await Promise.all([watch.until(tStart, both, 300_000), waitBfd(routerAddrs, count, tStart, 300_000)]);
    lines.push(
      `routers' start: FRR started on both; every peer has both next hops ${seconds(Math.max(...back.at.values()) - tStart)} later (per peer ${spreadMs(stats([...back.at.values()].map((t) => t - tStart)))}), ${bfdFigure(bfdStart, count)}` +
        (back.missing.length ? `; ${back.missing.length} never did` : ''),
    );
    if (bfdStart === null) throw new Error('BFD did not come up on every session: a failover now would measure BGP hold timers');

    // 4. failover
    const onlyR2 = (gw: string[]) => gw.length === 1 && gw[0] === r2;
    const tOff = Date.now();
    await powerOff(LAB, 'r1');
    const over = await watch.until(tOff, onlyR2, 60_000);
    const lostOver = new Set(watch.events.filter((e) => e.t >= tOff && e.gw.length === 0).map((e) => e.ns));
    lines.push(
      `failover (r1 powered off): default route via r2 alone, per peer ${spreadMs(stats([...over.at.values()].map((t) => t - tOff)))}; ` +
        `peers ever without a default route: ${lostOver.size}` +
        (over.missing.length ? `; ${over.missing.length} never moved` : ''),
    );

    // 5. failback
    const tOn = Date.now();
    await powerOn(LAB, 'r1');
    // in parallel: each figure is then read against the same power-on time
    const [fb, bfdBack] = await Promise.all([watch.until(tOn, both, 300_000), waitBfd([routers[0]!.mgmtAddress], count, tOn, 300_000)]);
    const lostBack = new Set(watch.events.filter((e) => e.t >= tOn && e.gw.length === 0).map((e) => e.ns));
    lines.push(
      `failback (r1 powered on, boots): every peer has both next hops ${seconds(Math.max(...fb.at.values()) - tOn)} after power-on, ${bfdFigure(bfdBack, count)}; ` +
        `peers ever without a default route: ${lostBack.size}` +
        (fb.missing.length ? `; ${fb.missing.length} never did` : ''),
    );
  } finally {
    watch.stop();
  }
  console.log(
    `dataplane scale (lab, 2 routers + ${count} FRR peers in network namespaces, BFD 80 ms x 3, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
  );
  for (const l of lines) console.log(`  ${l}`);
  rmSync(join(inventory, '..'), { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    say(`${signal}: tearing the lab down`);
    prov(['lab', 'down', '--name', LAB]);
    process.exit(130);
  });
}
try {
  await main();
} finally {
  if (!process.env.BENCH_KEEP_LAB) prov(['lab', 'down', '--name', LAB]);
}
