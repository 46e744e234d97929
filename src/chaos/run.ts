import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProvError, errorMessage } from '../errors.js';
import { loadInventory } from '../inventory/load.js';
import type { Vars } from '../inventory/types.js';
import { allHostVars, groupsMap } from '../inventory/vars.js';
import { hostTransport } from '../runner/open-host.js';
import { shellJoin, type Transport } from '../transport/transport.js';
import { analyzeFault } from './analyze.js';
import { decodeRun } from './decode.js';
import { injectFault, recoverFault, type FaultTarget } from './faults.js';
import { droppedBetween, parseUdpCounters, sumDrops, type ProbeDrops, type UdpErrorCounters } from './probe-drops.js';
import { startLabReceiver, type Receiver } from './receiver-process.js';
import { bfdDownEvents, defaultGateways } from './routes.js';
import type { FaultKind, FaultReport, FlowRecord } from './types.js';

const FLOWGEN = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'flowgen.py'), 'utf8');
const STOP_FILE = '/run/prov-chaos.stop';

export interface ChaosOptions {
  /** Flows per host. */
  tcp: number;
  udp: number;
  faults: FaultKind[];
  router: string;
  /** Seconds of flows before the fault, fault duration, and seconds after the router is back. */
  warmupS: number;
  holdS: number;
  settleS: number;
  intervalMs: number;
  /** A TCP connection with no echo for this long counts as broken (stalled). */
  stallS: number;
  /** Also run a no-fault phase with busy loops on every node, counting BFD flaps. */
  cpuLoadS: number;
  receiverPort: number;
  /** address:port of a receiver.mjs you run yourself (outside a lab). */
  target?: string;
  routersGroup: string;
  hostsGroup: string;
  timeoutS: number;
}

export const DEFAULT_OPTIONS: ChaosOptions = {
  tcp: 64,
  udp: 64,
  faults: ['link', 'frr-stop', 'frr-kill', 'power'],
  router: 'r1',
  warmupS: 3,
  holdS: 5,
  settleS: 4,
  intervalMs: 10,
  stallS: 3,
  cpuLoadS: 0,
  receiverPort: 9100,
  routersGroup: 'routers',
  hostsGroup: 'hosts',
  timeoutS: 10,
};

export interface LoadReport {
  seconds: number;
  /** BFD session-down events on every node while nothing was broken on purpose. */
  falseFlaps: number;
  lostPackets: number;
  brokenTcp: number;
  maxGapMs: number;
  probeDrops: ProbeDrops;
}

export interface ChaosResult {
  inventory: string;
  options: ChaosOptions;
  faults: FaultReport[];
  load: LoadReport | null;
  /** The lab receiver's UDP receive buffer in bytes (null with --target). */
  receiverBufferBytes: number | null;
  /** Flows of each fault, for the timeline (not in --json). */
  flows: FlowRecord[][];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Nodes {
  private readonly open = new Map<string, Transport>();
  constructor(private readonly vars: Record<string, Vars>, private readonly timeoutS: number) {}
  get(name: string): Transport {
    let t = this.open.get(name);
    if (!t) {
      t = hostTransport(name, this.vars[name]!, { trustNewHostKeys: false, connectTimeoutMs: this.timeoutS * 1000, execMode: 'channel' });
      this.open.set(name, t);
    }
    return t;
  }
  /** Forgets a connection (after a power cycle the old one is dead). */
  async drop(name: string): Promise<void> {
    const t = this.open.get(name);
    this.open.delete(name);
    await t?.close().catch(() => undefined);
  }
  async closeAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((t) => t.close().catch(() => undefined)));
    this.open.clear();
  }
}

async function exec(nodes: Nodes, name: string, command: string, stdin?: string): Promise<string> {
  const r = await nodes.get(name).exec(command, stdin === undefined ? {} : { stdin });
  if (r.code !== 0) throw new ProvError('failed', `chaos: ${name}: '${command.split(' ')[0]}' failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}

/** Waits until every host's default route has all routers as next hops. */
async function waitConverged(nodes: Nodes, hosts: string[], routerAddrs: string[], timeoutMs: number): Promise<void> {
  const want = [...routerAddrs].sort().join(',');
  const deadline = Date.now() + timeoutMs;
  for (const h of hosts) {
    for (;;) {
      const got = defaultGateways(await exec(nodes, h, 'ip -4 -j route show default').catch(() => '')).join(',');
      if (got === want) break;
      if (Date.now() > deadline) throw new ProvError('failed', `chaos: ${h}: default route has next hops [${got}], expected [${want}] (roles applied? BGP up?)`);
      await sleep(200);
    }
  }
}

async function waitSsh(nodes: Nodes, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await nodes.drop(name);
    try {
      await nodes.get(name).connect();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new ProvError('unreachable', `chaos: ${name} did not come back after power on: ${errorMessage(err)}`);
      await sleep(500);
    }
  }
}

async function bfdDowns(nodes: Nodes, names: string[]): Promise<number> {
  const counts = await Promise.all(names.map((n) => exec(nodes, n, "vtysh -c 'show bfd peers counters json'").then(bfdDownEvents, () => 0)));
  return counts.reduce((a, b) => a + b, 0);
}

export async function runChaos(inventoryPath: string, options: ChaosOptions, log: (line: string) => void): Promise<ChaosResult> {
  const inv = await loadInventory(inventoryPath);
  const groups = groupsMap(inv);
  const routers = groups[options.routersGroup] ?? [];
  const hosts = groups[options.hostsGroup] ?? [];
  if (routers.length < 2) throw new ProvError('options', `${inventoryPath}: chaos needs at least 2 routers in group '${options.routersGroup}'`);
  if (hosts.length === 0) throw new ProvError('options', `${inventoryPath}: group '${options.hostsGroup}' has no hosts`);
  if (!routers.includes(options.router)) throw new ProvError('options', `${inventoryPath}: ${options.router} is not in group '${options.routersGroup}'`);
  const vars = allHostVars(inv);
  const lab = typeof vars[hosts[0]!]!.lab_name === 'string' ? String(vars[hosts[0]!]!.lab_name) : undefined;
  // The router each NAT address belongs to: the receiver sees the router's upstream address.
  const routerByAddress = new Map<string, string>();
  for (const r of routers) for (const k of ['upstream_address', 'public_address', 'ansible_host']) if (vars[r]![k]) routerByAddress.set(String(vars[r]![k]), r);
  const routerAddrs = routers.map((r) => String(vars[r]!.subnet_address ?? ''));
  if (routerAddrs.some((a) => !a)) throw new ProvError('options', `${inventoryPath}: every router needs subnet_address`);

  let server: string;
  let port: number;
  let receiver: Receiver | undefined;
  if (options.target) {
    const m = /^([\d.]+):(\d+)$/.exec(options.target);
    if (!m) throw new ProvError('options', `chaos: --target must be ADDRESS:PORT, got '${options.target}'`);
    [server, port] = [m[1]!, Number(m[2])];
  } else {
    if (!lab) throw new ProvError('options', `${inventoryPath}: not a lab inventory (no lab_name): run receiver.mjs next to your test server and pass --target ADDRESS:PORT`);
    server = String(vars[hosts[0]!]!.lab_test_server ?? '198.51.100.10');
    port = options.receiverPort;
    receiver = await startLabReceiver(lab, port);
  }
  const nodes = new Nodes(vars, options.timeoutS);
  const faults: FaultReport[] = [];
  const allFlows: FlowRecord[][] = [];
  let load: LoadReport | null = null;
  try {
    for (const h of hosts) await exec(nodes, h, 'command -v python3 >/dev/null || { echo "python3 is missing (the host role installs it with host_connection_pinning)" >&2; exit 1; }');
    await waitConverged(nodes, hosts, routerAddrs, 60_000);

    const generate = (maxS: number) =>
      Promise.all(
        hosts.map(async (h) => {
          await exec(nodes, h, `rm -f ${STOP_FILE}`);
          const args = ['--server', server, '--port', String(port), '--tcp', String(options.tcp), '--udp', String(options.udp), '--interval-ms', String(options.intervalMs), '--duration', String(maxS), '--stall', String(options.stallS), '--stop', STOP_FILE, '--tag', h];
          return { host: h, out: await exec(nodes, h, `python3 - ${shellJoin(args)}`, FLOWGEN) };
        }),
      );
    // The probe's own UDP drops (socket overflows) in the receiver's and the hosts' namespaces.
    interface ProbeReading { receiver: UdpErrorCounters | null; hosts: (UdpErrorCounters | null)[] }
    const readProbe = async (): Promise<ProbeReading> => ({
      receiver: receiver ? await receiver.udpCounters() : null,
      hosts: await Promise.all(hosts.map((h) => exec(nodes, h, 'cat /proc/net/snmp').then(parseUdpCounters, () => null))),
    });
    const probeDropsBetween = (a: ProbeReading, b: ProbeReading): ProbeDrops => ({
      receiver: droppedBetween(a.receiver, b.receiver),
      generators: sumDrops(hosts.map((_, i) => droppedBetween(a.hosts[i] ?? null, b.hosts[i] ?? null))),
    });
    const stopGenerators = () => Promise.all(hosts.map((h) => exec(nodes, h, `touch ${STOP_FILE}`)));
    const decodeAll = (outs: { host: string; out: string }[]) => outs.map((o) => decodeRun(o.host, o.out, (a) => routerByAddress.get(a) ?? a));

    const target: FaultTarget = {
      router: options.router,
      subnetInterface: String(vars[options.router]!.subnet_interface ?? 'ens6'),
      transport: () => nodes.get(options.router),
      lab,
    };
    for (const fault of options.faults) {
      log(`chaos: ${fault} on ${options.router}: ${hosts.length} host(s) x ${options.tcp} TCP + ${options.udp} UDP flows`);
      await waitConverged(nodes, hosts, routerAddrs, 90_000);
      const probeBefore = await readProbe();
      const running = generate(options.warmupS + options.holdS + options.settleS + 120);
      await sleep(options.warmupS * 1000);
      const faultAt = Date.now();
      await injectFault(fault, target);
      const faultDoneAt = Date.now();
      if (fault === 'power') await nodes.drop(options.router);
      await sleep(options.holdS * 1000);
      const recoverAt = Date.now();
      await recoverFault(fault, target);
      const recoverDoneAt = Date.now();
      if (fault === 'power') await waitSsh(nodes, options.router, 60_000);
      await waitConverged(nodes, hosts, routerAddrs, 60_000);
      log(`chaos: ${options.router} back in every host's route ${((Date.now() - recoverAt) / 1000).toFixed(1)} s after recovery`);
      await sleep(options.settleS * 1000);
      await stopGenerators();
      const runs = decodeAll(await running);
      const flows = runs.flatMap((r) => r.flows);
      const start = Math.min(...runs.map((r) => r.start));
      const end = Math.min(...runs.map((r) => r.end));
      const probeDrops = probeDropsBetween(probeBefore, await readProbe());
      faults.push(analyzeFault(fault, options.router, { start, faultAt, faultDoneAt, recoverAt, recoverDoneAt, end, intervalMs: runs[0]!.intervalMs }, flows, probeDrops));
      allFlows.push(flows);
    }

    if (options.cpuLoadS > 0) {
      log(`chaos: ${options.cpuLoadS} s of CPU load on every node, no fault`);
      await waitConverged(nodes, hosts, routerAddrs, 60_000);
      const all = [...routers, ...hosts];
      const before = await bfdDowns(nodes, all);
      const probeBefore = await readProbe();
      const running = generate(options.cpuLoadS + 60);
      await sleep(1000);
      const busy = `for i in $(seq $(nproc)); do timeout ${options.cpuLoadS} sh -c 'while :; do :; done' >/dev/null 2>&1 & done; wait`;
      await Promise.all(all.map((n) => exec(nodes, n, busy)));
      await sleep(1000);
      await stopGenerators();
      const runs = decodeAll(await running);
      const flows = runs.flatMap((r) => r.flows);
      const after = await bfdDowns(nodes, all);
      const probeDrops = probeDropsBetween(probeBefore, await readProbe());
      const t0 = Math.min(...runs.map((r) => r.start));
      const t1 = Math.min(...runs.map((r) => r.end));
      const none = analyzeFault('link', '(none)', { start: t0, faultAt: t0 + 1000, recoverAt: t1, end: t1, intervalMs: runs[0]!.intervalMs }, flows);
      load = {
        seconds: options.cpuLoadS,
        falseFlaps: after - before,
        lostPackets: none.survivors.lostPackets,
        brokenTcp: none.survivors.brokenTcp,
        maxGapMs: none.survivors.maxGapMs,
        probeDrops,
      };
    }
  } finally {
    receiver?.stop();
    await nodes.closeAll();
  }
  return { inventory: inventoryPath, options, faults, load, receiverBufferBytes: receiver?.recvBufferBytes ?? null, flows: allFlows };
}
