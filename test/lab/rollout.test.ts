/**
 * Rolling router changes under traffic (issue 15, §3), on a real lab with the chaos probe's flows
 * (UDP streams and TCP connections from the host through both routers to the lab's test server):
 * - an apply that changes the BFD intervals, the egress allow list and turns squid on, router by
 *   router (serial: 1), loses no packet, breaks no connection and flaps no BFD session; each
 *   router passes its health check (every host session back) before the next one is touched;
 * - a change after which r1 does not come back healthy (a BGP password the host does not have:
 *   FRR accepts the config, then refuses the host's session) fails r1 at the health check with a
 *   message naming it, the rollout stops before r2, r2 is untouched and keeps the host's default
 *   route;
 * - the same bad apply again (nothing left to change on r1) checks r1 again, from the count its
 *   failed check left in /var/lib/prov/router-health-pending, and stops before r2 again;
 * - an apply with the right variables converges again, both routers in the host's ECMP route
 *   (removing the password restarts FRR: bgpd 8.4 keeps TCP-MD5 on its listen socket otherwise).
 * The lab is torn down even when a test fails.
 */
import test from 'ava';
import { lab } from '../helpers/lab.js';
import { DEFAULT_OPTIONS, runChaosDuring } from '../../src/chaos/run.js';
import { assertConverged, hostDefaults, inventoryPath, onNode, prov, readInventory, recap, type LabInventory } from './roles-support.js';

const NAME = process.env.PROV_TEST_LAB_NAME ?? 'lab-tro';
const INV = inventoryPath(NAME);
const NODES = ['r1', 'r2', 'host'];
const ROUTERS = ['192.168.100.20', '192.168.100.21'];
const HEALTH_TASK = 'wait until this router has every host session it had before its changes';
const BAD_PASSWORD = 'NotOnTheHost1';
let inv: LabInventory;

/** The change rolled over the routers: BFD intervals, an allow list that still passes the probe, squid on. */
const CHANGE = {
  bfd_receive_interval: 150,
  bfd_transmit_interval: 150,
  egress_policy: 'allow_list',
  egress_allow: [
    { cidr: '198.51.100.0/24', proto: 'udp', ports: [DEFAULT_OPTIONS.receiverPort] },
    { cidr: '198.51.100.0/24', proto: 'tcp', ports: [DEFAULT_OPTIONS.receiverPort, 80, 443] },
    { cidr: '203.0.113.0/24', proto: 'icmp' },
  ],
  squid_enabled: true,
  squid_allowed_domains: ['example.test'],
};

test.before(async () => {
  const up = await lab(['up', '--name', NAME]);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
  const first = await prov(['apply', INV]);
  if (first.code !== 0) throw new Error(`first apply failed:\n${first.stderr}\n${first.stdout.slice(-3000)}`);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

/** Each banner of the apply's output (TASK, RUNNING HANDLER, PLAY) that names `task`, with the lines under it. */
function sections(stdout: string, task: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of stdout.split('\n')) {
    if (/^(TASK|RUNNING HANDLER|PLAY( RECAP)?) \[/.test(line)) {
      current = line.includes(task) ? [] : null;
      if (current) out.push(current);
    } else if (current && line.trim() !== '') current.push(line);
  }
  return out;
}
const taskLines = (stdout: string, task: string) => sections(stdout, task).flat();

test.serial('a change rolled over both routers under traffic loses no packet, breaks no connection, and each router passes its health check', async (t) => {
  const { report, result: apply } = await runChaosDuring(
    INV,
    { ...DEFAULT_OPTIONS, tcp: 8, udp: 16, intervalMs: 10, warmupS: 2, settleS: 3 },
    () => prov(['apply', INV, '-e', JSON.stringify(CHANGE)]),
    (line) => t.log(line),
  );
  t.is(apply.code, 0, `${apply.stderr}\n${apply.stdout.slice(-4000)}`);
  const counts = recap(apply.stdout);
  for (const r of ['r1', 'r2']) t.true((counts[r]?.['changed'] ?? 0) > 0, `${r} changed`);
  // Both routers waited for their sessions, r1 before r2 (serial: 1).
  const health = sections(apply.stdout, HEALTH_TASK).map((lines) => lines.join('\n'));
  t.is(health.length, 2, apply.stdout.slice(-4000));
  t.regex(health[0]!, /^ok: \[r1\]/m, 'r1 first');
  t.regex(health[1]!, /^ok: \[r2\]/m, 'then r2');
  t.log(
    `rollout: ${report.seconds.toFixed(1)} s under ${report.flows.udp} UDP + ${report.flows.tcp} TCP flows, carried by ${JSON.stringify(report.flowsPerRouter)}; lost ${report.lostPackets} packets, broke ${report.brokenTcp} connections, longest gap ${Math.round(report.maxGapMs)} ms, BFD downs ${report.bfdDowns}`,
  );
  t.true(Object.keys(report.flowsPerRouter).length >= 2, `flows went through both routers: ${JSON.stringify(report.flowsPerRouter)}`);
  t.is(report.lostPackets, 0, 'no UDP packet lost');
  t.is(report.brokenTcp, 0, 'no TCP connection broken');
  t.is(report.bfdDowns, 0, 'no BFD session went down');
  // The change took effect on the routers.
  t.regex(await onNode(t, inv, 'r1', "vtysh -c 'show running-config' | grep -E 'receive-interval|transmit-interval'"), /receive-interval 150/);
  t.is((await onNode(t, inv, 'r2', 'systemctl is-active squid')).trim(), 'active');
  t.regex(await onNode(t, inv, 'r2', 'iptables -S PROV-EGRESS'), /-d 198\.51\.100\.0\/24 -p udp/);
});

test.serial('a router that does not come back healthy stops the rollout before the next router, which keeps serving', async (t) => {
  // r1 resets its host session at the reload and refuses the next one, which has no password.
  const bad = await prov(['apply', INV, '--limit', 'routers', '-e', JSON.stringify({ ...CHANGE, bgp_password: BAD_PASSWORD, router_health_timeout: 10 })]);
  t.is(bad.code, 2, `${bad.stderr}\n${bad.stdout.slice(-4000)}`);
  const health = taskLines(bad.stdout, HEALTH_TASK).join('\n');
  t.regex(health, /FAILED: \[r1\]|fatal: \[r1\]|failed: \[r1\]/i, bad.stdout.slice(-4000));
  t.regex(bad.stdout + bad.stderr, /r1 has 0 of the 1 BGP sessions with hosts it had before this apply, after 10 s: the rollout stops before the next router/);
  t.regex(bad.stdout + bad.stderr, /stopped: no host of the serial batch is left \(r1: failed\)/);
  t.notRegex(bad.stdout, /\[r2\]/, 'no task ran on r2');
  t.like(recap(bad.stdout)['r1'], { failed: 1 });
  t.is((await onNode(t, inv, 'r2', `grep -c 'password' /etc/frr/frr.conf || true`)).trim(), '0', "r2's frr.conf was not touched");
  t.regex(await onNode(t, inv, 'r1', 'cat /etc/frr/frr.conf'), new RegExp(`password ${BAD_PASSWORD}`), 'r1 has the bad change');
  // The host keeps its default route through r2 (r1 withdrew its own with the sessions).
  const now = await hostDefaults(t, inv);
  t.deepEqual(now.hops, ['192.168.100.21'], now.text);
  t.deepEqual(now.others, [], 'no other default route came back');
});

test.serial('the same bad apply again, with nothing left to change on r1, checks r1 again and still stops before r2', async (t) => {
  // r1's frr.conf already holds the change: the check it failed is pending on r1, not forgotten.
  t.is((await onNode(t, inv, 'r1', 'cat /var/lib/prov/router-health-pending')).trim(), '1', 'r1 keeps the session count it wants');
  const again = await prov(['apply', INV, '--limit', 'routers', '-e', JSON.stringify({ ...CHANGE, bgp_password: BAD_PASSWORD, router_health_timeout: 5 })]);
  t.is(again.code, 2, `${again.stderr}\n${again.stdout.slice(-4000)}`);
  t.regex(again.stdout + again.stderr, /r1 has 0 of the 1 BGP sessions with hosts it had before an earlier apply that failed here/);
  t.regex(again.stdout + again.stderr, /stopped: no host of the serial batch is left \(r1: failed\)/);
  t.notRegex(again.stdout, /\[r2\]/, 'no task ran on r2');
  t.like(recap(again.stdout)['r1'], { changed: 0, failed: 1 });
});

test.serial('an apply with the right variables converges again, with both routers in the ECMP route', async (t) => {
  const good = await prov(['apply', INV, '-e', JSON.stringify(CHANGE)]);
  t.is(good.code, 0, `${good.stderr}\n${good.stdout.slice(-4000)}`);
  t.regex(good.stdout, /restart FRR when the BGP password is removed[^\n]*\n+changed: \[r1\]/, 'r1 restarted FRR for a clean listener');
  t.regex(taskLines(good.stdout, HEALTH_TASK).join('\n'), /ok: \[r1\]/, "r1's pending check ran and passed");
  t.is((await onNode(t, inv, 'r1', 'test -e /var/lib/prov/router-health-pending && echo pending || echo none')).trim(), 'none', 'the pending check is cleared');
  const now = await hostDefaults(t, inv);
  t.deepEqual([...now.hops].sort(), ROUTERS, now.text);
  const again = await prov(['apply', INV, '-e', JSON.stringify(CHANGE)]);
  assertConverged(t, again, NODES, 'the rerun');
  t.deepEqual(
    taskLines(again.stdout, HEALTH_TASK).filter((l) => /\[r[12]\]/.test(l) && !/skipping/.test(l)),
    [],
    'a no-op waits for nothing',
  );
});
