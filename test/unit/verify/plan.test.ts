import test from 'ava';
import { loadInventory } from '../../../src/inventory/load.js';
import { planVerify, sortRows } from '../../../src/verify/plan.js';
import { makeProject } from '../../helpers/project.js';

/** planVerify decides from the inventory alone what `prov verify` contacts and expects. */
async function inventory(allVars = '') {
  const p = await makeProject({
    'inv.yml': `all:
  vars:
    lab_echo_port: 7
${allVars}  children:
    routers:
      hosts:
        r1: { ansible_host: 10.0.0.1, subnet_address: 192.168.1.1 }
        r2: { ansible_host: 10.0.0.2 }
    hosts:
      hosts:
        h1: { ansible_host: 10.0.0.3 }
        h2: { ansible_host: 10.0.0.4 }
`,
  });
  const inv = await loadInventory(p.path('inv.yml'));
  await p.remove();
  return inv;
}

test('--limit narrows what is contacted, never what each node should see', async (t) => {
  const plan = planVerify(await inventory(), 'inv.yml', { limit: 'h2' });
  t.deepEqual([plan.routers, plan.hosts], [[], ['h2']]);
  t.deepEqual(plan.routerPeers, [
    { name: 'r1', address: '192.168.1.1' },
    { name: 'r2', address: '10.0.0.2' },
  ]);
  t.deepEqual(
    plan.hostPeers.map((p) => p.name),
    ['h1', 'h2'],
  );
  t.true(plan.limited);
});

test('traffic targets come from the lab variables, and a bad setting is a failed row', async (t) => {
  const lab = planVerify(await inventory('    lab_test_server: 203.0.113.10\n'), 'inv.yml', {});
  t.deepEqual(lab.internet, { address: '203.0.113.10', port: 7 });
  t.is(lab.peer, undefined);
  const bad = planVerify(await inventory('    verify_internet_target: "no port here"\n'), 'inv.yml', {});
  t.like(bad.internet, { node: '-', check: 'internet tcp', ok: false });
});

test('a group without routers, or a limit matching nothing, is an options error', async (t) => {
  const inv = await inventory();
  t.throws(() => planVerify(inv, 'inv.yml', { routersGroup: 'nope' }), { message: "inv.yml: group 'nope' has no hosts" });
  t.throws(() => planVerify(inv, 'inv.yml', { limit: 'zzz' }), { message: /--limit 'zzz' matches no host/ });
});

test('rows are reported routers first, then hosts, then rows about the whole set', async (t) => {
  const plan = planVerify(await inventory(), 'inv.yml', {});
  const row = (node: string) => ({ node, check: 'c', ok: true, detail: '' });
  t.deepEqual(
    sortRows(plan, [row('-'), row('h2'), row('r2'), row('h1'), row('r1')]).map((r) => r.node),
    ['r1', 'r2', 'h1', 'h2', '-'],
  );
});
