/**
 * Connection pinning on the real lab (issue 5, host role): the watcher's rules and tables, and
 * the safety promise "pinned tables never point at a dead router; when the watcher is not
 * running, pinning is off and the plain ECMP route carries everything":
 * - a converged host has the nftables table, one fwmark rule per router and a per-router table
 *   with that router's default;
 * - a router whose BGP session goes away leaves its pinned table empty, and gets it back when
 *   it returns;
 * - the watcher stopped: no table, rule or pinned route is left, and traffic still flows;
 * - the watcher SIGKILLed: systemd cleans up and restarts it, with exactly one copy of each rule;
 * - `host_connection_pinning: false` removes the service and its files, and a second apply with
 *   it off changes nothing.
 * The lab is torn down even when a test fails.
 */
import test, { type ExecutionContext } from 'ava';
import { lab, readInventory } from '../helpers/lab.js';
import { assertConverged, hostDefaults, inventoryPath, onNode, prov } from './roles-support.js';

const NAME = 'lab-tp';
const INV = inventoryPath(NAME);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let inv: ReturnType<typeof readInventory>;
let r1: string;
let r2: string;

test.before(async () => {
  const up = await lab(['up', '--name', NAME]);
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}): ${up.stderr}`);
  const apply = await prov(['apply', INV]);
  if (apply.code !== 0) throw new Error(`apply failed (${apply.code}): ${apply.stdout.slice(-2000)}${apply.stderr}`);
  inv = readInventory(NAME);
  r1 = inv.routers['r1']!.subnet_address;
  r2 = inv.routers['r2']!.subnet_address;
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

/** What pinning has put on the host: nftables table, fwmark rules, the per-router tables. */
async function pinningState(t: ExecutionContext) {
  const sh = (cmd: string) => onNode(t, inv, 'host', cmd);
  const nft = await sh('nft list table ip prov_pinning 2>/dev/null || true');
  const rules = (await sh('ip -4 rule show')).split('\n').filter((l) => /fwmark|suppress_prefixlength|lookup 10\d/.test(l));
  const table = async (n: number) => (await sh(`ip -4 route show table ${n} 2>/dev/null || true`)).trim();
  return { nft, rules, override: await table(100), pinned1: await table(101), pinned2: await table(102) };
}

/** Polls `check` every 200 ms until it is true or `ms` pass; returns whether it became true. */
async function eventually(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

/** The host reaches the lab's test server (echo port) through whatever route is in force. */
async function reachesServer(t: ExecutionContext): Promise<boolean> {
  const server = String(inv.vars.lab_test_server ?? '198.51.100.10');
  const out = await onNode(
    t,
    inv,
    'host',
    `python3 -c "import socket; s=socket.create_connection(('${server}', 9000), 3); s.sendall(b'ping\\n'); print(s.recv(64).decode().strip())" || true`,
  );
  return out.includes('ping');
}

function assertPinningOn(t: ExecutionContext, s: Awaited<ReturnType<typeof pinningState>>) {
  t.regex(s.nft, /table ip prov_pinning/, 'the nftables table is there');
  t.regex(s.nft, /ct mark set rt ip nexthop map @nexthop_mark/, s.nft);
  t.is(s.rules.filter((l) => /fwmark 0x1\/0xff lookup 101/.test(l)).length, 1, s.rules.join('\n'));
  t.is(s.rules.filter((l) => /fwmark 0x2\/0xff lookup 102/.test(l)).length, 1, s.rules.join('\n'));
  t.is(s.rules.filter((l) => /suppress_prefixlength 0/.test(l)).length, 1, s.rules.join('\n'));
  t.is(s.rules.filter((l) => /lookup 100\b/.test(l)).length, 1, s.rules.join('\n'));
  t.regex(s.pinned1, new RegExp(`^default via ${r1.replace(/\./g, '\\.')} dev ens6`), `table 101: ${s.pinned1}`);
  t.regex(s.pinned2, new RegExp(`^default via ${r2.replace(/\./g, '\\.')} dev ens6`), `table 102: ${s.pinned2}`);
  t.is(s.override, '', 'the fast-failover table is empty when nothing failed');
}

test.serial('a converged host pins: nftables table, one fwmark rule and one table per router', async (t) => {
  t.is((await onNode(t, inv, 'host', 'systemctl is-active prov-pinning')).trim(), 'active');
  assertPinningOn(t, await pinningState(t));
});

test.serial("a router that leaves FRR's ECMP route leaves its pinned table empty, and gets it back on return", async (t) => {
  await onNode(t, inv, 'r1', 'systemctl stop frr');
  try {
    const gone = await eventually(10_000, async () => (await hostDefaults(t, inv)).hops.join(',') === r2);
    t.true(gone, 'r1 left the host default route');
    const emptied = await eventually(3000, async () => (await pinningState(t)).pinned1 === '');
    const s = await pinningState(t);
    t.true(emptied, `table 101 still points at the stopped router: ${s.pinned1}`);
    t.regex(s.pinned2, new RegExp(`^default via ${r2.replace(/\./g, '\\.')}`), 'the survivor stays pinned');
    t.true(await reachesServer(t), 'traffic flows through r2');
  } finally {
    await onNode(t, inv, 'r1', 'systemctl start frr');
  }
  const back = await eventually(60_000, async () => (await hostDefaults(t, inv)).hops.length === 2);
  t.true(back, 'r1 came back into the host default route');
  t.true(await eventually(5000, async () => (await pinningState(t)).pinned1 !== ''), 'table 101 is filled again');
  assertPinningOn(t, await pinningState(t));
});

test.serial('the watcher stopped: no rule, table or pinned route is left and the ECMP route carries traffic', async (t) => {
  await onNode(t, inv, 'host', 'systemctl stop prov-pinning');
  try {
    const s = await pinningState(t);
    t.is(s.nft, '', 'no nftables table');
    t.deepEqual(s.rules, [], 'no pinning rule');
    t.deepEqual([s.override, s.pinned1, s.pinned2], ['', '', ''], 'no pinned route');
    t.is((await hostDefaults(t, inv)).hops.length, 2, "FRR's ECMP route is untouched");
    t.true(await reachesServer(t), 'traffic flows without pinning');
  } finally {
    await onNode(t, inv, 'host', 'systemctl start prov-pinning');
  }
  t.true(await eventually(5000, async () => (await pinningState(t)).pinned2 !== ''), 'pinning is back after start');
  assertPinningOn(t, await pinningState(t));
});

test.serial('the watcher SIGKILLed: systemd cleans up and restarts it with one copy of each rule', async (t) => {
  const pid = (await onNode(t, inv, 'host', 'systemctl show -p MainPID --value prov-pinning')).trim();
  t.not(pid, '0');
  await onNode(t, inv, 'host', 'systemctl kill -s KILL prov-pinning');
  const restarted = await eventually(10_000, async () => {
    const now = (await onNode(t, inv, 'host', 'systemctl show -p MainPID --value prov-pinning')).trim();
    return now !== '0' && now !== pid && (await pinningState(t)).pinned2 !== '';
  });
  t.true(restarted, 'a new watcher runs and has filled the tables');
  const log = await onNode(t, inv, 'host', 'journalctl -u prov-pinning --no-pager -o cat 2>/dev/null | tail -n 30 || true');
  t.log(log.split('\n').slice(-4).join('\n'));
  assertPinningOn(t, await pinningState(t));
  t.true(await reachesServer(t));
});

test.serial('host_connection_pinning: false removes the service, its files and its rules; a rerun changes nothing', async (t) => {
  const off = ['apply', INV, '--limit', 'host', '-e', 'host_connection_pinning=false'];
  const first = await prov(off);
  t.is(first.code, 0, `${first.stderr}\n${first.stdout.slice(-3000)}`);
  const s = await pinningState(t);
  t.is(s.nft, '');
  t.deepEqual(s.rules, []);
  t.deepEqual([s.pinned1, s.pinned2], ['', '']);
  const files = await onNode(
    t,
    inv,
    'host',
    'ls /etc/systemd/system/prov-pinning.service /usr/local/sbin/prov-pinning /etc/prov/pinning.json 2>/dev/null || true',
  );
  t.is(files.trim(), '', 'the unit, the program and the configuration are gone');
  t.is((await hostDefaults(t, inv)).hops.length, 2, 'the ECMP route stays');
  t.true(await reachesServer(t));
  assertConverged(t, await prov(off), ['host'], 'second apply with pinning off');
  const on = await prov(['apply', INV, '--limit', 'host']);
  t.is(on.code, 0, `${on.stderr}\n${on.stdout.slice(-3000)}`);
  t.true(await eventually(5000, async () => (await pinningState(t)).pinned2 !== ''), 'pinning is back');
  assertPinningOn(t, await pinningState(t));
});
