import test from 'ava';
import { DEFAULT_OPTIONS } from '../../../src/chaos/options.js';
import { planChaos } from '../../../src/chaos/plan.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { makeProject } from '../../helpers/project.js';

/** planChaos checks the inventory before any flow or receiver is started. */
async function inventory(text: string) {
  const p = await makeProject({ 'inv.yml': text });
  try {
    return await loadInventory(p.path('inv.yml'));
  } finally {
    await p.remove();
  }
}

const LAB = `all:
  vars: { lab_name: t1, lab_test_server: 198.51.100.7 }
  children:
    routers:
      hosts:
        r1: { subnet_address: 192.168.1.1, upstream_address: 203.0.113.1 }
        r2: { subnet_address: 192.168.1.2, upstream_address: 203.0.113.2 }
    hosts:
      hosts:
        h1: {}
`;

test('a lab inventory: the receiver is started in the lab, NAT addresses name their router', async (t) => {
  const plan = planChaos(await inventory(LAB), 'inv.yml', DEFAULT_OPTIONS);
  t.deepEqual(plan.receiver, { address: '198.51.100.7', port: DEFAULT_OPTIONS.receiverPort, start: true });
  t.deepEqual(plan.routerAddrs, ['192.168.1.1', '192.168.1.2']);
  t.is(plan.routerByAddress.get('203.0.113.2'), 'r2');
  t.is(plan.lab, 't1');
});

test('--target replaces the lab receiver, and must be ADDRESS:PORT', async (t) => {
  const inv = await inventory(LAB);
  t.deepEqual(planChaos(inv, 'inv.yml', { ...DEFAULT_OPTIONS, target: '10.1.2.3:99' }).receiver, { address: '10.1.2.3', port: 99, start: false });
  t.throws(() => planChaos(inv, 'inv.yml', { ...DEFAULT_OPTIONS, target: 'nowhere' }), { message: "chaos: --target must be ADDRESS:PORT, got 'nowhere'" });
});

test('too few routers, an unknown router, or a router without subnet_address is an options error', async (t) => {
  const one = await inventory('all:\n  children:\n    routers:\n      hosts: { r1: {} }\n    hosts:\n      hosts: { h1: {} }\n');
  t.throws(() => planChaos(one, 'inv.yml', DEFAULT_OPTIONS), { message: "inv.yml: chaos needs at least 2 routers in group 'routers'" });
  const lab = await inventory(LAB);
  t.throws(() => planChaos(lab, 'inv.yml', { ...DEFAULT_OPTIONS, router: 'r9' }), { message: "inv.yml: r9 is not in group 'routers'" });
  const noAddr = await inventory(LAB.replace('r2: { subnet_address: 192.168.1.2, ', 'r2: { '));
  t.throws(() => planChaos(noAddr, 'inv.yml', DEFAULT_OPTIONS), { message: 'inv.yml: every router needs subnet_address' });
});
