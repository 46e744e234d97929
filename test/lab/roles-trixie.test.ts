/**
 * The roles on a trixie lab (FRR 10.3): apply with apt's recommends switched off on every node
 * (frr-pythontools, which frr-reload.py needs, is only a Recommends of frr), the seed route,
 * verify, an idempotent rerun, and the failover smoke. One lab for the file; the checks run in order.
 */
import test from 'ava';
import { lab } from '../helpers/lab.js';
import { assertFailoverSmoke } from './failover-smoke.js';
import {
  assertSecondApplyConverges,
  assertSeedShape,
  assertVerifies,
  hostDefaults,
  inventoryPath,
  onNode,
  prov,
  readInventory,
  type LabInventory,
} from './roles-support.js';

// PROV_TEST_LAB_NAME: run the file on a lab name of your own (several labs side by side).
const NAME = process.env['PROV_TEST_LAB_NAME'] ?? 'lab-trx';
const INV = inventoryPath(NAME);
const NODES = ['r1', 'r2', 'host'];
const ROUTERS = ['192.168.100.20', '192.168.100.21'];
const NO_RECOMMENDS = '/etc/apt/apt.conf.d/99prov-test-no-recommends';
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--release', 'trixie']);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

test.serial('trixie, recommends off: apply gives the seed route with FRR 10.3, verify passes, a second apply changes nothing', async (t) => {
  for (const node of NODES) {
    await onNode(t, inv, node, `echo 'APT::Install-Recommends "false";' > ${NO_RECOMMENDS}`);
    t.regex(await onNode(t, inv, node, 'apt-config dump APT::Install-Recommends'), /^APT::Install-Recommends "false";$/m, node);
  }
  const first = await prov(['apply', INV]);
  t.is(first.code, 0, `${first.stderr}\n${first.stdout.slice(-4000)}`);
  t.log(`first apply: ${first.ms} ms`);
  for (const node of NODES) {
    t.regex(await onNode(t, inv, node, "vtysh -c 'show version'"), /FRRouting 10\.3/, node);
    t.is(await onNode(t, inv, node, "dpkg-query -W -f='${Status}' frr-pythontools"), 'install ok installed', `${node}: frr-pythontools`);
  }
  // The handlers ran frr-reload.py: FRR runs the role's config (the BFD profile is not in Debian's frr.conf).
  t.regex(await onNode(t, inv, 'host', "vtysh -c 'show running-config'"), /^ profile gateway$/m);

  const after = await hostDefaults(t, inv);
  assertSeedShape(t, after.text, ROUTERS);
  t.deepEqual(after.others, []);
  // FRR 10.3 starts no BGP session while its BFD session is down: the host's BFD runs as bfdd peers, and is up.
  const bfd = await onNode(t, inv, 'host', "vtysh -c 'show bfd peers brief'");
  for (const r of ROUTERS) t.regex(bfd, new RegExp(`${r.replace(/\./g, '\\.')}\\s+up`), bfd);

  await assertVerifies(t, INV);
  await assertSecondApplyConverges(t, INV, NODES);
});

test.serial('trixie: failover smoke (FRR stopped on r1, then started again)', async (t) => {
  await assertFailoverSmoke(t, inv, INV, ROUTERS);
});
