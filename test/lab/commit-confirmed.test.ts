/**
 * Commit-confirmed routing on a real lab (docs/safety.md): the host role arms a rollback on the
 * host before it touches routing and confirms over a new SSH connection once BGP and the ECMP
 * next hops are in. A change that cuts the management path (a "supernet" route that captures the
 * controller's management address) is reported as the host's failure and the host restores
 * itself; a rerun with the right variables converges; a good confirm leaves no timer; a reboot
 * while armed comes back with the old persistent files; a second transaction is refused.
 */
import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import { powerOff, powerOn } from '../../src/chaos/lab-power.js';
import { lab, ssh } from '../helpers/lab.js';
import { assertConverged, inventoryPath, onNode, prov, readInventory, recap, type LabInventory } from './roles-support.js';

const NAME = 'sf2';
const INV = inventoryPath(NAME);
const NODES = ['r1', 'r2', 'host'];
const TIMEOUT = 20;
const ARMED_THEN_FAILED = 'test/fixtures/commit-confirmed/armed-then-failed.yml';
/** The files the host role saves, and the routes: the state a rollback must bring back. */
const STATE =
  "md5sum /etc/network/if-up.d/prov-supernet-route /etc/dhcp/dhclient.conf /etc/frr/frr.conf /etc/frr/daemons; ip -4 route show table main | grep -v 'proto bgp\\|nexthop'";
const LEFTOVERS =
  'systemctl list-timers --all --no-legend prov-rollback.timer; systemctl list-units --all --no-legend prov-rollback.service; ls /var/lib/prov/rollback /etc/systemd/system/prov-rollback-boot.service 2>&1 | grep -v "No such file"; true';
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME]);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
  const first = await prov(['apply', INV]);
  if (first.code !== 0) throw new Error(`first apply failed: ${first.stdout.slice(-3000)}`);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

async function sshAnswers(): Promise<boolean> {
  return (await ssh(inv, inv.hosts.host!.ansible_host, 'true')).code === 0;
}

test.serial('a routing change that is confirmed over a new connection leaves no timer and no saved state behind', async (t) => {
  // A changed routing file makes the confirm reconnect and check the data plane.
  await onNode(t, inv, 'host', 'echo "# edited" >> /etc/network/if-up.d/prov-supernet-route');
  const r = await prov(['apply', INV, '--limit', 'host', '--json']);
  t.log(`apply with a confirm: ${r.ms} ms`);
  t.is(r.code, 0, r.stderr.slice(-3000));
  const tasks = (
    JSON.parse(r.stdout) as { plays: { tasks: { task: string; hosts: Record<string, { status: string; msg: string | null }> }[] }[] }
  ).plays.flatMap((p) => p.tasks);
  const confirm = tasks.find((x) => x.task.startsWith('confirm the routing change'))?.hosts.host;
  t.is(confirm?.status, 'ok');
  t.is(confirm?.msg, 'confirmed over a new connection (2 checks passed)');
  t.is((await onNode(t, inv, 'host', LEFTOVERS)).trim(), '');
});

test.serial('a change that cuts the management path fails the host, which restores itself; a rerun converges', async (t) => {
  const before = await onNode(t, inv, 'host', STATE);
  // More specific than the management /24 and covering the controller's address (.1): the
  // host's replies to prov leave by the subnet interface.
  const capture = `${inv.hosts.host!.ansible_host.replace(/\.\d+$/, '')}.0/25`;
  const bad = await prov(['apply', INV, '--limit', 'host', '--confirm-timeout', String(TIMEOUT), '-e', `vpc_supernet=${capture}`]);
  t.log(`bad apply: ${bad.ms} ms`);
  t.is(bad.code, 2, bad.stdout.slice(-3000));
  t.regex(bad.stdout, new RegExp(`host: the routing change armed by '[^']+' was not confirmed within ${TIMEOUT} s`));
  t.is(recap(bad.stdout).host?.failed, 1);
  // The host's own record: the timer fired within the timeout (+ its 1 s accuracy) and undid the route.
  const log = await onNode(t, inv, 'host', 'cat /var/lib/prov/rollback-last.log');
  const stamps = /rollback \(timer\) at (\S+), armed (\S+)/.exec(log);
  t.truthy(stamps, log);
  const waited = (Date.parse(stamps![1]!) - Date.parse(stamps![2]!)) / 1000;
  t.true(waited >= TIMEOUT && waited <= TIMEOUT + 5, `rolled back ${waited} s after the arm:\n${log}`);
  t.regex(log, new RegExp(`deleted route ${capture.replace(/\./g, '\\.')} via`));
  t.true(await sshAnswers());
  t.is(await onNode(t, inv, 'host', STATE), before, 'the files and routes are as before the bad apply');
  t.is((await onNode(t, inv, 'host', LEFTOVERS)).trim(), '');
  const rerun = await prov(['apply', INV]);
  t.log(`rerun: ${rerun.ms} ms`);
  assertConverged(t, rerun, NODES, 'rerun with the right variables');
});

test.serial('a second transaction is refused while one is pending; a reboot while armed restores the old files', async (t) => {
  const before = await onNode(t, inv, 'host', 'md5sum /etc/network/if-up.d/prov-supernet-route');
  const armed = await prov(['apply', INV, ARMED_THEN_FAILED]);
  t.is(armed.code, 2, armed.stdout.slice(-2000));
  t.regex(armed.stdout, /host: the routing change armed by 'arm a long rollback' was not confirmed: the host restores the state saved before it/);
  t.notDeepEqual(await onNode(t, inv, 'host', 'md5sum /etc/network/if-up.d/prov-supernet-route'), before);
  t.regex(await onNode(t, inv, 'host', 'systemctl list-timers --all --no-legend prov-rollback.timer'), /prov-rollback\.timer/);

  const second = await prov(['apply', INV, '--limit', 'host']);
  t.is(second.code, 2, second.stdout.slice(-2000));
  t.regex(second.stdout, /fatal: \[host\]: FAILED! a routing transaction is already pending \(armed [^)]+\)/);

  await powerOff(NAME, 'host');
  await powerOn(NAME, 'host');
  let up = false;
  for (let i = 0; i < 60 && !up; i++) {
    await sleep(1000);
    up = await sshAnswers();
  }
  t.true(up, 'the host answers SSH after the power cycle');
  t.is(await onNode(t, inv, 'host', 'md5sum /etc/network/if-up.d/prov-supernet-route'), before, 'the unconfirmed change is undone at boot');
  t.regex(await onNode(t, inv, 'host', 'cat /var/lib/prov/rollback-last.log'), /^prov rollback \(boot\)/);
  t.is((await onNode(t, inv, 'host', LEFTOVERS)).trim(), '');
});
