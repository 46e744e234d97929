/**
 * BGP security on a real lab (issue 15, section 5): two routers, two hosts, bgp_password set and
 * the dynamic peers bounded. host2 plays the rogue inside the listen range (its FRR reconfigured
 * with vtysh after the apply: the operator's config is gone, the attacker's is in), the lab's peer
 * namespace (192.168.101.10, routed through the VPC, two hops from the routers) plays the node
 * outside it, and r1 plays a compromised router. Each test restores the node it changed
 * (`systemctl restart frr` reloads the managed frr.conf).
 */
import test, { type ExecutionContext } from 'ava';
import { lab, run, ssh } from '../helpers/lab.js';
import { hostDefaults, inventoryPath, onNode, prov, readInventory, type LabInventory } from './roles-support.js';

const NAME = process.env.PROV_TEST_LAB_NAME ?? 'se-bgp';
const INV = inventoryPath(NAME);
const PASSWORD = 'lab-md5-Secret-4e1';
const VARS = { bgp_password: PASSWORD, bgp_listen_limit: 2 };
const R1 = '192.168.100.20';
const R2 = '192.168.100.21';
const HOST = '192.168.100.100';
const ROGUE = '192.168.100.101';
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--routers', '2', '--hosts', '2']);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
  const r = await prov(['apply', INV, '-e', JSON.stringify(VARS)]);
  if (r.code !== 0) throw new Error(`apply failed: ${r.stderr}${r.stdout.slice(-3000)}`);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

const vtysh = (...commands: string[]) => `vtysh ${commands.map((c) => `-c '${c}'`).join(' ')}`;

async function json<T>(t: ExecutionContext, node: string, command: string): Promise<T> {
  return JSON.parse(await onNode(t, inv, node, vtysh(command))) as T;
}

type Summary = { ipv4Unicast?: { peers?: Record<string, { state: string; pfxRcd?: number }> } };

async function peerState(t: ExecutionContext, router: string, peer: string): Promise<string | undefined> {
  return (await json<Summary>(t, router, 'show bgp summary json')).ipv4Unicast?.peers?.[peer]?.state;
}

async function until(what: string, check: () => Promise<boolean>, seconds = 30): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function stateOf(router: string, peer: string): Promise<string | undefined> {
  const address = inv.routers[router]!.ansible_host;
  const r = await ssh(inv, address, vtysh('show bgp summary json'));
  if (r.code !== 0) return undefined;
  return (JSON.parse(r.stdout) as Summary).ipv4Unicast?.peers?.[peer]?.state;
}

/**
 * Puts the operator's config back on a node the test reconfigured (a restart reloads the managed
 * frr.conf) and waits until every session is up again, so that the next test starts from the
 * converged lab. Runs in teardown: no assertions, a failure throws.
 */
async function restoreFrr(node: string): Promise<void> {
  const address = inv.routers[node]?.ansible_host ?? inv.hosts[node]!.ansible_host;
  const r = await ssh(inv, address, 'systemctl restart frr');
  if (r.code !== 0) throw new Error(`${node}: systemctl restart frr: ${r.stderr}`);
  await until(
    `every session established again after ${node}'s FRR restart`,
    async () => {
      for (const router of ['r1', 'r2']) {
        for (const peer of [HOST, ROGUE]) if ((await stateOf(router, peer)) !== 'Established') return false;
      }
      return true;
    },
    90,
  );
}

/** The routes `node` installed from BGP, one entry per route (an ECMP route's nexthop lines joined). */
async function bgpRoutes(t: ExecutionContext, node: string): Promise<string[]> {
  const text = await onNode(t, inv, node, 'ip -4 route show proto bgp');
  return text
    .replace(/\n\s+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

const HOSTILE = ['0.0.0.0/0', '192.168.100.0/25', `${HOST}/32`, '203.0.113.0/24', '198.51.100.0/25'];

test.serial(
  "a rogue host inside the listen range announces a default, a more specific, another host's /32: the routers accept nothing, no host learns anything",
  async (t) => {
    t.teardown(() => restoreFrr('host2'));
    const before = await bgpRoutes(t, 'host');
    await onNode(
      t,
      inv,
      'host2',
      vtysh(
        'configure terminal',
        'router bgp 65100',
        'no bgp network import-check',
        'address-family ipv4 unicast',
        'no neighbor routers route-map PROV-TO-ROUTERS out',
        ...HOSTILE.map((p) => `network ${p}`),
      ),
    );
    // The rogue really sends them: the routers receive them (and drop them by policy).
    for (const r of ['r1', 'r2']) {
      const addr = r === 'r1' ? R1 : R2;
      await until(`host2 advertising to ${r}`, async () => {
        const adv = await json<{ totalPrefixCounter?: number }>(t, 'host2', `show bgp ipv4 unicast neighbors ${addr} advertised-routes json`);
        return (adv.totalPrefixCounter ?? 0) >= HOSTILE.length;
      });
    }
    await new Promise((r) => setTimeout(r, 3000));
    for (const r of ['r1', 'r2']) {
      const routes = await json<{ routes?: Record<string, unknown> }>(t, r, `show bgp ipv4 unicast neighbors ${ROGUE} routes json`);
      t.deepEqual(Object.keys(routes.routes ?? {}), [], `${r} accepted nothing from the rogue`);
      t.deepEqual(await bgpRoutes(t, r), [], `${r} installed no BGP route`);
      t.notRegex(await onNode(t, inv, r, `ip route get ${HOST}`), new RegExp(`via ${ROGUE}`), `${r} still reaches the host directly`);
    }
    const after = await bgpRoutes(t, 'host');
    t.deepEqual(after, before, 'the other host learnt nothing');
    t.is(after.length, 1, after.join('\n'));
    t.true(after[0]!.startsWith('default'), after.join('\n'));
    t.deepEqual((await hostDefaults(t, inv)).hops.sort(), [R1, R2], 'the host keeps its ECMP default via both routers');
  },
);

test.serial('a node outside the listen range cannot open tcp/179 nor reach BFD; a host inside can', async (t) => {
  const peerNs = `prov-${NAME}_peer`;
  const counters = async () => onNode(t, inv, 'r1', 'nft list chain ip filter INPUT');
  // The catch-all drop of each port (the line without a source address).
  const drops = (text: string, port: string) =>
    Number(new RegExp(`^\\s*(?:meta l4proto udp )?${port} counter packets (\\d+) bytes \\d+ drop`, 'm').exec(text)?.[1] ?? 'NaN');
  const before = await counters();
  const tcp = await run('ip', ['netns', 'exec', peerNs, 'timeout', '4', 'bash', '-c', `exec 3<>/dev/tcp/${R1}/179 && echo open`]);
  t.not(tcp.code, 0, 'tcp/179 from outside the range does not open');
  t.notRegex(tcp.stdout, /open/);
  await run('ip', ['netns', 'exec', peerNs, 'bash', '-c', `for p in 3784 3785; do echo x > /dev/udp/${R1}/$p; done`]);
  const after = await counters();
  t.true(drops(after, 'tcp dport 179') > drops(before, 'tcp dport 179'), `the SYN was dropped by the listen-range rule:\n${after}`);
  t.true(drops(after, 'udp dport \\{ 3784, 3785 \\}') >= drops(before, 'udp dport \\{ 3784, 3785 \\}') + 2, `the BFD packets were dropped:\n${after}`);
  // Positive control: from inside the range the port opens (bash's /dev/tcp cannot send TTL 255,
  // which GTSM requires, so the proof is the BGP session itself).
  t.is(await peerState(t, 'r1', HOST), 'Established');
});

test.serial('with bgp_password, a peer without it cannot establish; the others stay up', async (t) => {
  t.teardown(() => restoreFrr('host2'));
  t.regex(await onNode(t, inv, 'r1', vtysh('show running-config')), /password/, 'the routers use the password');
  await onNode(t, inv, 'host2', vtysh('configure terminal', 'router bgp 65100', 'no neighbor routers password'));
  await onNode(t, inv, 'host2', vtysh('clear bgp *'));
  await new Promise((r) => setTimeout(r, 12_000));
  t.not(await peerState(t, 'r1', ROGUE), 'Established', 'r1 has no session with the peer without the password');
  t.not(await peerState(t, 'r2', ROGUE), 'Established');
  t.is(await peerState(t, 'r1', HOST), 'Established', 'the host with the password keeps its session');
});

test.serial('ttl-security: a peer whose packets arrive with TTL below 255 (more than one hop away) is refused', async (t) => {
  t.teardown(() => restoreFrr('host2'));
  t.regex(await onNode(t, inv, 'r1', vtysh('show running-config')), /ttl-security hops 1/);
  // Without ttl-security, host2's bgpd sends eBGP's default TTL of 1: to the router this is a
  // peer 254 hops away (GTSM wants 255). Its password is still right, so only the TTL check refuses it.
  const gtsmDrops = async (router: string) =>
    Number(/ip ttl lt 255 counter packets (\d+)/.exec(await onNode(t, inv, router, 'nft list chain ip filter INPUT'))?.[1] ?? 'NaN');
  const before = { r1: await gtsmDrops('r1'), r2: await gtsmDrops('r2') };
  await onNode(t, inv, 'host2', vtysh('configure terminal', 'router bgp 65100', 'no neighbor routers ttl-security hops 1'));
  await onNode(t, inv, 'host2', vtysh('clear bgp *'));
  await new Promise((r) => setTimeout(r, 12_000));
  for (const router of ['r1', 'r2'] as const) {
    t.not(await peerState(t, router, ROGUE), 'Established', `${router} refuses the peer that sends TTL 1`);
    // FRR 8.4 does not enforce ttl-security on listen-range peers itself: the role's GTSM rule does.
    t.true((await gtsmDrops(router)) > before[router], `${router}'s TTL < 255 rule dropped the peer's segments`);
  }
  t.is(await peerState(t, 'r1', HOST), 'Established');
});

test.serial('a compromised router announcing specific prefixes cannot hijack the hosts: they accept only the default', async (t) => {
  t.teardown(() => restoreFrr('r1'));
  await onNode(
    t,
    inv,
    'r1',
    vtysh(
      'configure terminal',
      'router bgp 65000',
      'no bgp network import-check',
      'address-family ipv4 unicast',
      'route-map PROV-ROGUE-OUT permit 10',
      'exit',
      'router bgp 65000',
      'address-family ipv4 unicast',
      // FRR's eBGP sends nothing without an outbound policy: the attacker's says "everything".
      'neighbor fabric route-map PROV-ROGUE-OUT out',
      'network 203.0.113.0/25',
      `network ${ROGUE}/32`,
      'network 198.51.100.0/24',
    ),
  );
  await until('r1 advertising the specifics to the host', async () => {
    const adv = await json<{ advertisedRoutes?: Record<string, unknown> }>(t, 'r1', `show bgp ipv4 unicast neighbors ${HOST} advertised-routes json`);
    return Object.keys(adv.advertisedRoutes ?? {}).length >= 3;
  });
  await new Promise((r) => setTimeout(r, 3000));
  const routes = await bgpRoutes(t, 'host');
  t.is(routes.length, 1, routes.join('\n'));
  t.true(routes[0]!.startsWith('default'), 'only the default');
  const fromR1 = await json<{ routes?: Record<string, unknown> }>(t, 'host', `show bgp ipv4 unicast neighbors ${R1} routes json`);
  t.deepEqual(Object.keys(fromR1.routes ?? {}), ['0.0.0.0/0'], 'the host accepted only the default from the compromised router');
});

test.serial('the number of dynamic peers per router is bounded (bgp listen limit)', async (t) => {
  const config = await onNode(t, inv, 'r1', vtysh('show running-config'));
  t.regex(config, /bgp listen limit 2\b/);
  const peers = Object.keys((await json<Summary>(t, 'r1', 'show bgp summary json')).ipv4Unicast?.peers ?? {});
  t.true(peers.length <= 2, peers.join(', '));
});
