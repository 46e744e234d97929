/**
 * The host role's netplan path on a real lab: hosts take ens6 by DHCP from systemd-networkd as
 * netplan configures it (`prov lab up --host-network netplan`: /etc/netplan/50-prov-lab.yaml,
 * rendered at boot into /run/systemd/network/10-netplan-ens6.network). `prov apply` gives the
 * seed's ECMP route with no other default and puts its drop-ins beside netplan's file, `prov
 * verify` passes, a second apply changes nothing, and a `netplan apply` (netplan renders again
 * and restarts networkd's configuration) neither brings the DHCP default back nor loses the ECMP
 * route or the pinning rules. The subnet anchor keeps the BGP sessions and the default route
 * through networkd's reconfigure: the chaos probe's flows lose at most a few packets.
 */
import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import { lab } from '../helpers/lab.js';
import { networkManagerCommand, parseNetworkManager } from '../../src/facts/network-manager.js';
import {
  assertSeedShape,
  hostDefaults,
  inventoryPath,
  onNode,
  prov,
  readInventory,
  recap,
  type LabInventory,
  assertVerifies,
  assertSecondApplyConverges,
  assertNetworkdHostApplied,
} from './roles-support.js';
import { assertNoReconfigureGap, measureReconfigureGap } from './reconfigure-gap.js';

const NAME = process.env.PROV_TEST_LAB_NAME ?? 'lab-tnp';
const INV = inventoryPath(NAME);
const NODES = ['r1', 'r2', 'host'];
const ROUTERS = ['192.168.100.20', '192.168.100.21'];
const DROPINS = '/etc/systemd/network/10-netplan-ens6.network.d';
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--host-network', 'netplan']);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

/** The host's ip rules that prov's pinning made (its tables 10x and fwmark rules). */
const pinningRules = async (t: Parameters<typeof onNode>[0]) =>
  (await onNode(t, inv, 'host', 'ip -4 rule show')).split('\n').filter((l) => /lookup 10\d\b|fwmark/.test(l));

/** Polls the host's default routes until `done` holds (or ~15 s pass), then returns them. */
async function defaultsWhen(t: Parameters<typeof onNode>[0], done: (d: Awaited<ReturnType<typeof hostDefaults>>) => boolean) {
  let now = await hostDefaults(t, inv);
  for (let i = 0; i < 30 && !done(now); i++) {
    await sleep(500);
    now = await hostDefaults(t, inv);
  }
  return now;
}

test.serial('the lab host takes ens6 from systemd-networkd via netplan, with the DHCP default route', async (t) => {
  const status = await onNode(t, inv, 'host', 'systemctl is-active systemd-networkd; networkctl status ens6 --no-pager');
  t.regex(status, /^active$/m);
  t.regex(status, /Network File: \/run\/systemd\/network\/10-netplan-ens6\.network/);
  t.is(await onNode(t, inv, 'host', 'ls /etc/netplan; stat -c %a /etc/netplan/50-prov-lab.yaml'), '50-prov-lab.yaml\n600\n', 'netplan wants its files private');
  t.is(await onNode(t, inv, 'host', 'ls /etc/systemd/network'), '', 'the lab wrote no .network file of its own');
  t.is(await onNode(t, inv, 'host', 'grep -c "iface ens6" /etc/network/interfaces || true'), '0\n', 'no ifupdown stanza for ens6');
  // prov's own fact probe, run on the host: it must choose the role's netplan path.
  t.like(parseNetworkManager(await onNode(t, inv, 'host', networkManagerCommand())), { networkManager: 'netplan', dhcpClient: null });
  // networkd may still be finishing the lease when SSH answers. netplan gives DHCP routes metric 100.
  const before = await defaultsWhen(t, (d) => d.others.length > 0);
  t.deepEqual(before.others, ['default via 192.168.100.1 dev ens6 proto dhcp src 192.168.100.100 metric 100'], before.text);
});

test.serial('apply gives the seed route, verify passes, a second apply changes nothing', async (t) => {
  const first = await prov(['apply', INV]);
  t.is(first.code, 0, `${first.stderr}\n${first.stdout.slice(-4000)}`);
  t.log(`first apply: ${first.ms} ms`);
  const counts = recap(first.stdout);
  for (const n of NODES) t.true((counts[n]?.['changed'] ?? 0) > 0, `${n} changed on a fresh lab`);
  t.regex(first.stdout, /restart systemd-networkd to apply its settings\] \*+\nchanged: \[host\]/);
  t.regex(await onNode(t, inv, 'host', 'ls /etc/systemd/network'), /^10-netplan-ens6\.network\.d$/m);

  await assertNetworkdHostApplied(t, inv, ROUTERS, DROPINS);

  const verify = await assertVerifies(t, INV);
  t.regex(verify.stdout, /all \d+ checks passed/);

  await assertSecondApplyConverges(t, INV, NODES);
});

test.serial('netplan apply brings no DHCP default back and keeps the ECMP route and the pinning rules', async (t) => {
  const rulesBefore = await pinningRules(t);
  t.true(rulesBefore.length >= 3, rulesBefore.join('\n'));
  t.true(
    rulesBefore.some((l) => l.includes('fwmark')),
    rulesBefore.join('\n'),
  );

  const out = await onNode(
    t,
    inv,
    'host',
    'since=$(date +%s); sleep 1; netplan apply 2>&1; echo "netplan apply exit $?"; ls /run/systemd/network; ' +
      // netplan apply returns before networkd has the new lease (seconds later on a loaded machine).
      'for i in $(seq 60); do journalctl -u systemd-networkd --no-pager -o cat --since "@$since" | grep -q "DHCPv4 address" && break; sleep 0.5; done; ' +
      'journalctl -u systemd-networkd --no-pager -o cat --since "@$since"',
  );
  t.regex(out, /^netplan apply exit 0$/m, out);
  t.regex(out, /^10-netplan-ens6\.network$/m, 'netplan rendered its file again');
  t.regex(out, /^ens6: Reconfiguring with \/run\/systemd\/network\/10-netplan-ens6\.network\.$/m, `netplan had networkd reconfigure ens6:\n${out}`);
  t.regex(out, /^ens6: DHCPv4 address 192\.168\.100\.100\/24/m, `networkd took a lease again:\n${out}`);
  // networkd gives the lease up and takes it again; the subnet anchor keeps FRR's route
  // (docs/roles.md, 'Reconfiguring networkd'): check it is there and stays.
  await defaultsWhen(t, (d) => d.hops.length === ROUTERS.length);
  await sleep(3000);
  const now = await hostDefaults(t, inv);
  assertSeedShape(t, now.text, ROUTERS);
  t.deepEqual(now.others, [], 'the DHCP default did not come back');
  t.deepEqual(await pinningRules(t), rulesBefore, 'netplan and networkd left the pinning rules alone');
  t.regex(await onNode(t, inv, 'host', 'ip -4 route show 192.168.100.0/23'), /via 192\.168\.100\.1 dev ens6/);
  t.regex(await onNode(t, inv, 'host', 'ip -4 -o addr show ens6'), /inet 192\.168\.100\.100\/24/);

  await assertVerifies(t, INV);
});

test.serial('networkctl reconfigure ens6: the BGP sessions stay up and the probe through the routers loses at most a few packets', async (t) => {
  const uptimes = async () =>
    (
      await onNode(
        t,
        inv,
        'host',
        "vtysh -c 'show bgp summary' | grep -c 'Established' || true; vtysh -c 'show bgp neighbors' | grep -c 'BGP state = Established'",
      )
    ).trim();
  assertNoReconfigureGap(t, await measureReconfigureGap(NAME));
  t.regex(await onNode(t, inv, 'host', 'ip -4 -o addr show ens6'), /inet 169\.254\.0\.1\/32 scope link/, 'networkd kept the anchor');
  t.regex(await uptimes(), /2$/, 'both sessions established');
  const frr = await onNode(t, inv, 'host', "journalctl -u frr --no-pager -o cat --since '-40s' | grep ADJCHANGE || true");
  t.notRegex(frr, /Down/, `no BGP session went down during the reconfigure:\n${frr}`);
});
