/**
 * The roles on a real lab (bookworm, FRR 8.4.4): a fresh lab, `prov apply`, the seed's ECMP route,
 * `prov verify`, idempotent reruns and slices, a truthful --check --diff, a rejected variable, and
 * a failover smoke test. One lab for the whole file; the checks run in order.
 */
import test from 'ava';
import { lab } from '../helpers/lab.js';
import { provInPty } from '../helpers/pty.js';
import {
  assertConverged,
  assertSeedShape,
  frrState,
  hostDefaults,
  inventoryPath,
  onNode,
  prov,
  readInventory,
  recap,
  tcpEcho,
  type LabInventory,
  assertVerifies,
  assertSecondApplyConverges,
} from './roles-support.js';

const NAME = 'lab-tr';
const INV = inventoryPath(NAME);
const NODES = ['r1', 'r2', 'host'];
const ROUTERS = ['192.168.100.20', '192.168.100.21'];
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME]);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

test.serial('a fresh lab: apply gives the seed route, verify passes, a second apply changes nothing', async (t) => {
  const before = await hostDefaults(t, inv);
  t.deepEqual(before.others, ['default via 192.168.100.1 dev ens6'], before.text);

  const first = await prov(['apply', INV]);
  t.is(first.code, 0, `${first.stderr}\n${first.stdout.slice(-4000)}`);
  t.log(`first apply: ${first.ms} ms`);
  const counts = recap(first.stdout);
  for (const n of NODES) t.true((counts[n]?.['changed'] ?? 0) > 0, `${n} changed on a fresh lab`);

  const after = await hostDefaults(t, inv);
  assertSeedShape(t, after.text, ROUTERS);
  t.deepEqual(after.others, []);

  const verify = await assertVerifies(t, INV);
  t.regex(verify.stdout, /all \d+ checks passed/);

  await assertSecondApplyConverges(t, INV, NODES);
});

test.serial('--check --diff after a BFD interval change shows the frr.conf diff per node and changes nothing', async (t) => {
  const before = Object.fromEntries(await Promise.all(NODES.map(async (n) => [n, await frrState(t, inv, n)] as const)));
  const r = await prov(['apply', INV, '--check', '--diff', '-e', 'bfd_receive_interval=150']);
  t.is(r.code, 0, r.stderr + r.stdout.slice(-3000));
  const diffs = r.stdout.split('--- before: /etc/frr/frr.conf').length - 1;
  t.is(diffs, 3, `one frr.conf diff per node:\n${r.stdout}`);
  t.is([...r.stdout.matchAll(/^- {2}receive-interval 80$/gm)].length, 3, r.stdout);
  t.is([...r.stdout.matchAll(/^\+ {2}receive-interval 150$/gm)].length, 3, r.stdout);
  const counts = recap(r.stdout);
  for (const n of NODES) t.is(counts[n]?.['changed'], 2, `${n}: frr.conf and its 'reload frr' handler would change, as a real apply would report`);
  for (const n of NODES) t.deepEqual(await frrState(t, inv, n), before[n], `${n}: frr.conf and the running config are unchanged`);
  const running = await onNode(t, inv, 'r1', "vtysh -c 'show running-config' | grep receive-interval");
  t.regex(running, /receive-interval 80/);
});

test.serial('--tags frr, --tags egress and --role host rerun a slice and change nothing on a converged lab', async (t) => {
  for (const slice of [
    ['--tags', 'frr'],
    ['--tags', 'egress'],
    ['--role', 'host'],
  ]) {
    const r = await prov(['apply', INV, ...slice]);
    const nodes = slice[1] === 'host' ? ['host'] : NODES;
    assertConverged(t, r, nodes, slice.join(' '));
    // The slice ran the tasks it names, not just the always-tagged checks.
    if (slice[1] === 'egress') t.regex(r.stdout, /write the iptables rules/);
    if (slice[1] === 'frr') t.regex(r.stdout, /write frr\.conf/);
    if (slice[1] === 'host') t.notRegex(r.stdout, /TASK \[router/);
  }
});

test.serial('in a real terminal (160x50), apply, --check --diff, --limit r2 and --tags frr end as they do without one', async (t) => {
  for (const extra of [[], ['--check', '--diff', '-e', 'bfd_receive_interval=150'], ['--limit', 'r2'], ['--tags', 'frr']]) {
    const what = ['apply', ...extra].join(' ');
    const r = await provInPty(['apply', INV, ...extra], { timeoutMs: 120_000 });
    t.false(r.hung, `${what} never ended in a terminal; the screen showed:\n${r.text.slice(-1500)}`);
    t.is(r.code, 0, `${what}:\n${r.text.slice(-2000)}`);
    const counts = recap(r.text);
    const nodes = extra[1] === 'r2' ? ['r2'] : NODES;
    for (const n of nodes) t.truthy(counts[n], `${what}: a recap line for ${n}`);
    for (const n of nodes) t.is(counts[n]?.['failed'], 0, `${what}: ${n} failed nothing`);
    if (!extra.includes('--check')) for (const n of nodes) t.is(counts[n]?.['changed'], 0, `${what}: ${n} is converged`);
    t.log(`${what}: ${r.ms} ms in a terminal`);
  }
});

test.serial('an invalid listen range fails validation with a clear message and touches nothing', async (t) => {
  const before = Object.fromEntries(await Promise.all(['r1', 'r2'].map(async (n) => [n, await frrState(t, inv, n)] as const)));
  const r = await prov(['apply', INV, '-e', 'bgp_listen_range=192.168.100.300/27']);
  t.not(r.code, 0);
  const out = r.stdout + r.stderr;
  t.regex(out, /fatal: \[r1\]: FAILED! bgp_listen_range "192\.168\.100\.300\/27" is not an IPv4 prefix such as 192\.168\.100\.96\/27\n/);
  t.is(recap(r.stdout)['r2']?.['ok'], 0, 'serial 1: the second router is never touched');
  t.notRegex(out, /\n\s+at .*\.(ts|js):\d+/, 'no stack trace');
  for (const n of ['r1', 'r2']) t.deepEqual(await frrState(t, inv, n), before[n], `${n}: config untouched`);
  assertSeedShape(t, (await hostDefaults(t, inv)).text, ROUTERS);
});

test.serial('failover smoke: FRR stopped on r1 leaves one next hop within 2 s, traffic flows, and r1 comes back', async (t) => {
  // The host polls its route and prints the time (ns) at which the r1 next hop is gone.
  const watch = onNode(
    t,
    inv,
    'host',
    `end=$(( $(date +%s) + 15 )); while [ $(date +%s) -lt $end ]; do
    if ! ip -4 route show default | grep -q 'via 192.168.100.20 '; then date +%s%N; ip -4 route show default; exit 0; fi
    sleep 0.02; done; echo timeout`,
  );
  await new Promise((r) => setTimeout(r, 1000));
  const stoppedAt = Number((await onNode(t, inv, 'r1', 'date +%s%N; systemctl stop frr')).trim().split('\n')[0]);
  const seen = (await watch).trim().split('\n');
  t.not(seen[0], 'timeout', 'r1 next hop never left the host route');
  const ms = (Number(seen[0]) - stoppedAt) / 1e6;
  t.log(`failover: r1 next hop gone ${ms.toFixed(0)} ms after systemctl stop frr`);
  t.true(ms < 2000, `failover took ${ms} ms`);

  const one = await hostDefaults(t, inv);
  t.deepEqual(one.hops, ['192.168.100.21'], one.text);
  t.deepEqual(one.others, [], 'the DHCP default did not come back');
  t.is(await tcpEcho(t, inv, 'host', '198.51.100.10', 9000, 16), 16, 'new connections reach the test server through r2');

  await onNode(t, inv, 'r1', 'systemctl start frr');
  let back = one;
  for (let i = 0; i < 60 && back.hops.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 500));
    back = await hostDefaults(t, inv);
  }
  assertSeedShape(t, back.text, ROUTERS);
  await assertVerifies(t, INV);
});
