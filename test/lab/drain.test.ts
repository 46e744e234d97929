/**
 * Graceful drain on the real lab (issue 5): long-lived TCP connections run through both routers,
 * r1 is drained (`-e '{"prov_drain": ["r1"]}'`, what `prov apply --drain r1` sets), and
 * - no connection breaks, and the ones on r1 stay on r1 (connection pinning keeps them);
 * - new connections made while r1 is drained all go through r2;
 * - the drain apply waits until r1's flows are gone, then finishes;
 * - an apply without the drain puts r1 back into the hosts' ECMP route.
 * The lab is torn down even when a test fails.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lab, readInventory, repoRoot, run, type Run } from '../helpers/lab.js';
import { connectionOf } from '../../src/inventory/connection.js';
import { loadInventory } from '../../src/inventory/load.js';
import { hostVars } from '../../src/inventory/vars.js';
import { createSshTransport } from '../../src/transport/ssh.js';
import { shellQuote, type Transport } from '../../src/core/transport.js';
import { decodeRun } from '../../src/chaos/decode.js';
import { routerIn } from '../../src/chaos/analyze.js';
import { startLabReceiver, type Receiver } from '../../src/chaos/receiver-process.js';
import { defaultGateways } from '../../src/chaos/routes.js';
import type { FlowRecord } from '../../src/chaos/types.js';

const NAME = 'lab-td';
const PORT = 9100;
const inventory = join(repoRoot, 'inventory', `${NAME}.yml`);
const FLOWGEN = readFileSync(join(repoRoot, 'src/chaos/flowgen.py'), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const apply = (extra: string[] = []) => run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), 'apply', inventory, ...extra]);

interface Outcome {
  longFlows: FlowRecord[];
  drainStart: number;
  newFlows: FlowRecord[];
  drainApply: Run;
  /** When the long-lived connections were told to stop (epoch ms). */
  longStopped: number;
  gatewaysWhileDrained: string[];
  gatewaysAfterUndrain: string[];
  undrainApply: Run;
}
let outcome: Outcome | undefined;
let failure: unknown;

test.before(async () => {
  const up = await lab(['up', '--name', NAME]);
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}): ${up.stderr}`);
  const first = await apply();
  if (first.code !== 0) throw new Error(`apply failed (${first.code}): ${first.stdout.slice(-2000)}${first.stderr}`);

  const inv = readInventory(NAME);
  const routerOf = new Map(Object.entries(inv.routers).map(([name, r]) => [String(r.upstream_address), name]));
  const loaded = await loadInventory(inventory);
  const host: Transport = createSshTransport('host', connectionOf(hostVars(loaded, 'host'), 'host'), { connectTimeoutMs: 10_000, execMode: 'channel' });
  const server = String(inv.vars.lab_test_server ?? '198.51.100.10');
  const flowgen = async (tcp: number, seconds: number, stopFile: string) => {
    await host.exec(`rm -f ${stopFile}`);
    const args = [
      '--server',
      server,
      '--port',
      String(PORT),
      '--tcp',
      String(tcp),
      '--udp',
      '0',
      '--interval-ms',
      '20',
      '--duration',
      String(seconds),
      '--stall',
      '3',
      '--stop',
      stopFile,
      '--tag',
      'host',
    ];
    const r = await host.exec(`python3 - ${args.map(shellQuote).join(' ')}`, { stdin: FLOWGEN });
    if (r.code !== 0) throw new Error(`flowgen failed: ${r.stderr}`);
    return decodeRun('host', r.stdout, (a) => routerOf.get(a) ?? a).flows;
  };
  const gateways = async () => defaultGateways((await host.exec('ip -4 -j route show default')).stdout);

  let receiver: Receiver | undefined;
  try {
    receiver = await startLabReceiver(NAME, PORT);
    const longRun = flowgen(16, 240, '/run/prov-drain-long.stop');
    await sleep(4000);
    const drainStart = Date.now();
    const drainRun = apply(['--json', '-e', JSON.stringify({ prov_drain: ['r1'], router_drain_timeout: 90 })]);
    // r1 leaves the host's ECMP route once its de-preferred default arrives.
    let gatewaysWhileDrained: string[] = [];
    for (let i = 0; i < 120; i++) {
      gatewaysWhileDrained = await gateways();
      if (gatewaysWhileDrained.length === 1) break;
      await sleep(500);
    }
    const newFlows = await flowgen(8, 2, '/run/prov-drain-new.stop');
    await sleep(2000);
    const longStopped = Date.now();
    await host.exec('touch /run/prov-drain-long.stop');
    const longFlows = await longRun;
    const drainApply = await drainRun;
    const undrainApply = await apply();
    let gatewaysAfterUndrain: string[] = [];
    for (let i = 0; i < 60; i++) {
      gatewaysAfterUndrain = await gateways();
      if (gatewaysAfterUndrain.length === 2) break;
      await sleep(500);
    }
    outcome = { longFlows, drainStart, newFlows, drainApply, longStopped, gatewaysWhileDrained, gatewaysAfterUndrain, undrainApply };
  } catch (err) {
    failure = err;
  } finally {
    receiver?.stop();
    await host.close().catch(() => undefined);
  }
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

function get(t: { fail: (m: string) => void }): Outcome | undefined {
  if (!outcome) t.fail(`the drain scenario did not run: ${String(failure)}`);
  return outcome;
}

test.serial('the drain apply succeeds and waits until r1 has no flow left', (t) => {
  const o = get(t);
  if (!o) return;
  t.is(o.drainApply.code, 0, o.drainApply.stdout.slice(-3000) + o.drainApply.stderr);
  const result = JSON.parse(o.drainApply.stdout) as { plays: { tasks: { task: string; hosts: Record<string, { msg: string | null; ms: number }> }[] }[] };
  const tasks = result.plays.flatMap((p) => p.tasks);
  const report = tasks.find((x) => x.task.startsWith('drain - report'))?.hosts.r1?.msg ?? '';
  const wait = tasks.find((x) => x.task.startsWith('drain - wait'))?.hosts.r1?.ms ?? 0;
  t.regex(report, /^drained: no flow from \S+ left after \d+ s$/, 'the wait ended because the flows were gone, not by timeout');
  t.log(`${report}; wait task ${(wait / 1000).toFixed(1)} s; drain apply ${(o.drainApply.ms / 1000).toFixed(1)} s`);
  t.true(o.drainStart + o.drainApply.ms >= o.longStopped, 'the drain apply did not finish before the long-lived connections ended');
});

test.serial('while drained, the hosts route new flows only through r2', (t) => {
  const o = get(t);
  if (!o) return;
  t.deepEqual(o.gatewaysWhileDrained, ['192.168.100.21']);
  t.is(o.newFlows.length, 8);
  for (const f of o.newFlows) {
    t.true(f.echoes.length > 0, `${f.id} got echoes`);
    t.deepEqual([...new Set(f.echoes.map((e) => e.router))], ['r2'], `${f.id} went through r2 only`);
  }
});

test.serial('draining breaks no established connection and leaves r1 its own', (t) => {
  const o = get(t);
  if (!o) return;
  const onR1 = o.longFlows.filter((f) => routerIn(f.echoes, o.drainStart - 2000, o.drainStart) === 'r1');
  t.log(`long flows: ${o.longFlows.length}, on r1 when the drain started: ${onR1.length}`);
  t.true(onR1.length > 0, 'some long-lived connections were on r1');
  for (const f of o.longFlows) {
    t.is(f.conns.length, 1, `${f.id} kept its first connection (${f.conns.map((c) => c.reason).join(', ')})`);
    t.is(f.conns[0]?.reason, 'open', `${f.id} was never reset or stalled`);
  }
  for (const f of onR1) {
    const last = f.echoes[f.echoes.length - 1]!;
    t.is(routerIn(f.echoes, last.trecv - 1000, last.trecv + 1), 'r1', `${f.id} stayed on r1 while it was drained`);
  }
});

test.serial('an apply without --drain puts r1 back', (t) => {
  const o = get(t);
  if (!o) return;
  t.is(o.undrainApply.code, 0, o.undrainApply.stdout.slice(-3000) + o.undrainApply.stderr);
  t.deepEqual([...o.gatewaysAfterUndrain].sort(), ['192.168.100.20', '192.168.100.21']);
});
