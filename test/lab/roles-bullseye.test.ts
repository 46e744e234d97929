/**
 * The roles on a bullseye lab (FRR 7.5.1): the same end-to-end path as roles.test.ts (apply,
 * the seed route, verify, an idempotent rerun, a truthful --check --diff, the failover smoke) on the older FRR.
 */
import test from 'ava';
import { lab } from '../helpers/lab.js';
import { assertFailoverSmoke } from './failover-smoke.js';
import {
  assertSeedShape,
  frrState,
  hostDefaults,
  inventoryPath,
  onNode,
  prov,
  readInventory,
  type LabInventory,
  assertVerifies,
  assertSecondApplyConverges,
} from './roles-support.js';

// PROV_TEST_LAB_NAME: run the file on a lab name of your own (several labs side by side).
const NAME = process.env['PROV_TEST_LAB_NAME'] ?? 'lab-trb';
const INV = inventoryPath(NAME);
const NODES = ['r1', 'r2', 'host'];
const ROUTERS = ['192.168.100.20', '192.168.100.21'];
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--release', 'bullseye']);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

test.serial('bullseye: apply gives the seed route with FRR 7.5.1, verify passes, a second apply changes nothing', async (t) => {
  const first = await prov(['apply', INV]);
  t.is(first.code, 0, `${first.stderr}\n${first.stdout.slice(-4000)}`);
  t.log(`first apply: ${first.ms} ms`);
  t.regex(await onNode(t, inv, 'r1', "vtysh -c 'show version'"), /FRRouting 7\.5\.1/);

  const after = await hostDefaults(t, inv);
  assertSeedShape(t, after.text, ROUTERS);
  t.deepEqual(after.others, []);

  await assertVerifies(t, INV);

  await assertSecondApplyConverges(t, INV, NODES);
});

test.serial('bullseye: --check --diff after a BFD interval change shows the diffs and changes nothing', async (t) => {
  const before = Object.fromEntries(await Promise.all(NODES.map(async (n) => [n, await frrState(t, inv, n)] as const)));
  const r = await prov(['apply', INV, '--check', '--diff', '-e', 'bfd_receive_interval=150']);
  t.is(r.code, 0, r.stderr + r.stdout.slice(-3000));
  t.is(r.stdout.split('--- before: /etc/frr/frr.conf').length - 1, 3, r.stdout);
  t.is([...r.stdout.matchAll(/^\+ {2}receive-interval 150$/gm)].length, 3, r.stdout);
  for (const n of NODES) t.deepEqual(await frrState(t, inv, n), before[n], `${n}: frr.conf and the running config are unchanged`);
});

test.serial('bullseye: failover smoke (FRR stopped on r1, then started again)', async (t) => {
  await assertFailoverSmoke(t, inv, INV, ROUTERS);
});
