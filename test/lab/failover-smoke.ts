/**
 * The failover smoke shared by the per-release role tests: FRR stopped on r1 leaves the host a
 * default route via r2 alone (and no DHCP default), new connections flow through r2, and once
 * FRR runs again on r1 the host has both next hops and `prov verify` passes.
 */
import type { ExecutionContext } from 'ava';
import { assertSeedShape, assertVerifies, hostDefaults, onNode, tcpEcho, type LabInventory } from './roles-support.js';

async function waitForHops(t: ExecutionContext, inv: LabInventory, done: (hops: string[]) => boolean, seconds: number) {
  let now = await hostDefaults(t, inv);
  for (let i = 0; i < seconds * 4 && !done(now.hops); i++) {
    await new Promise((r) => setTimeout(r, 250));
    now = await hostDefaults(t, inv);
  }
  return now;
}

export async function assertFailoverSmoke(t: ExecutionContext, inv: LabInventory, inventory: string, routers: string[]): Promise<void> {
  const [r1, r2] = routers as [string, string];
  const start = Date.now();
  await onNode(t, inv, 'r1', 'systemctl stop frr');
  const one = await waitForHops(t, inv, (hops) => !hops.includes(r1), 30);
  t.log(`failover: r1's next hop left the host's route ${Date.now() - start} ms after systemctl stop frr (polled)`);
  t.deepEqual(one.hops, [r2], one.text);
  t.deepEqual(one.others, [], 'the DHCP default did not come back');
  t.is(await tcpEcho(t, inv, 'host', '198.51.100.10', 9000, 8), 8, 'new connections reach the test server through r2');

  await onNode(t, inv, 'r1', 'systemctl start frr');
  const back = await waitForHops(t, inv, (hops) => hops.length === routers.length, 60);
  assertSeedShape(t, back.text, routers);
  await assertVerifies(t, inventory);
}
