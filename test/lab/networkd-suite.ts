/**
 * The host role's systemd-networkd path on a real lab, for one Debian release: hosts take ens6
 * by DHCP from systemd-networkd (`prov lab up --host-network networkd`). `prov apply` gives the
 * seed's ECMP route with no other default, `prov verify` passes, a second apply changes nothing,
 * and a `networkctl reconfigure ens6` (a fresh DHCP lease) neither brings the DHCP default back
 * nor loses the ECMP route or the pinning rules, and costs the chaos probe's flows through the
 * routers at most a few packets and no connection. roles-networkd.test.ts runs it on bookworm
 * (systemd 252), roles-networkd-bullseye.test.ts on bullseye (systemd 247).
 */
import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import { lab } from '../helpers/lab.js';
import { assertNoReconfigureGap, measureReconfigureGap } from './reconfigure-gap.js';
import type { Release } from '../../src/lab/image.js';
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

const NODES = ['r1', 'r2', 'host'];
const ROUTERS = ['192.168.100.20', '192.168.100.21'];

export interface NetworkdSuite {
  /** The lab's name (PROV_TEST_LAB_NAME overrides it). */
  name: string;
  release: Release;
  /** The `systemctl --version` major the release ships, checked on the lab host. */
  systemd: number;
}

export function networkdSuite(suite: NetworkdSuite): void {
  const name = process.env['PROV_TEST_LAB_NAME'] ?? suite.name;
  const INV = inventoryPath(name);
  const label = `${suite.release} (systemd ${suite.systemd})`;
  let inv: LabInventory;

  test.before(async () => {
    const up = await lab(['up', '--name', name, '--release', suite.release, '--host-network', 'networkd']);
    if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
    inv = readInventory(name);
  });

  test.after.always(async () => {
    await lab(['down', '--name', name]);
  });

  test.serial(`${label}: the lab host takes ens6 from systemd-networkd, with the DHCP default route`, async (t) => {
    const status = await onNode(
      t,
      inv,
      'host',
      'systemctl --version | head -n 1; systemctl is-active systemd-networkd; networkctl status ens6 --no-pager; grep -c "iface ens6" /etc/network/interfaces || true',
    );
    t.regex(status, new RegExp(`^systemd ${suite.systemd} `, 'm'));
    t.regex(status, /^active$/m);
    t.regex(status, /Network File: \/etc\/systemd\/network\/10-ens6\.network/);
    t.regex(status, /^0$/m, 'no ifupdown stanza for ens6');
    // networkd may still be finishing the lease when SSH answers.
    let before = await hostDefaults(t, inv);
    for (let i = 0; i < 20 && before.others.length === 0; i++) {
      await sleep(500);
      before = await hostDefaults(t, inv);
    }
    t.deepEqual(before.others, ['default via 192.168.100.1 dev ens6 proto dhcp src 192.168.100.100 metric 1024'], before.text);
  });

  test.serial(`${label}: apply gives the seed route, verify passes, a second apply changes nothing`, async (t) => {
    const first = await prov(['apply', INV]);
    t.is(first.code, 0, `${first.stderr}\n${first.stdout.slice(-4000)}`);
    t.log(`first apply: ${first.ms} ms`);
    const counts = recap(first.stdout);
    for (const n of NODES) t.true((counts[n]?.['changed'] ?? 0) > 0, `${n} changed on a fresh lab`);
    t.regex(first.stdout, /restart systemd-networkd to apply its settings\] \*+\nchanged: \[host\]/);

    await assertNetworkdHostApplied(t, inv, ROUTERS, '/etc/systemd/network/10-ens6.network.d');

    const verify = await assertVerifies(t, INV);
    t.regex(verify.stdout, /all \d+ checks passed/);

    await assertSecondApplyConverges(t, INV, NODES);
  });

  test.serial(`${label}: networkctl reconfigure ens6 brings no DHCP default back and keeps the ECMP route and the pinning rules`, async (t) => {
    const rules = async () => (await onNode(t, inv, 'host', 'ip -4 rule show')).split('\n').filter((l) => /lookup 10\d\b|fwmark/.test(l));
    const rulesBefore = await rules();
    t.true(rulesBefore.length >= 3, rulesBefore.join('\n'));

    const out = await onNode(t, inv, 'host', 'networkctl reconfigure ens6 && sleep 1 && journalctl -u systemd-networkd --no-pager -n 5');
    t.regex(out, /DHCPv4 address 192\.168\.100\.100\/24/, `networkd took a lease again:\n${out}`);
    // networkd gives the lease up and takes it again; if the kernel drops FRR's route for a
    // moment, it is back when the sessions are (docs/roles.md, 'Reconfiguring networkd'): wait
    // for it, then check it stays.
    let now = await hostDefaults(t, inv);
    for (let i = 0; i < 30 && now.hops.length < ROUTERS.length; i++) {
      await sleep(500);
      now = await hostDefaults(t, inv);
    }
    await sleep(3000);
    now = await hostDefaults(t, inv);
    assertSeedShape(t, now.text, ROUTERS);
    t.deepEqual(now.others, [], 'the DHCP default did not come back');
    t.deepEqual(await rules(), rulesBefore, 'networkd left the pinning rules alone');
    const supernet = await onNode(t, inv, 'host', 'ip -4 route show 192.168.100.0/23');
    t.regex(supernet, /via 192\.168\.100\.1 dev ens6/);

    await assertVerifies(t, INV);
  });

  test.serial(`${label}: networkctl reconfigure ens6 under UDP streams and TCP connections through the routers loses at most a few packets`, async (t) => {
    // Pinned connections ride the per-router tables: on systemd 247 the reconfigure took their
    // routes away for good until the pinning watcher read the kernel's tables back.
    assertNoReconfigureGap(t, await measureReconfigureGap(name));
    await assertVerifies(t, INV);
  });
}
