/**
 * AWS on the lab (issue 13): a bastion and the instance metadata service.
 * - r1 is the bastion and the only node the controller can reach: r2's and host's own network
 *   namespaces drop tcp/22 from any address but r1's (an nftables table of the test's, at a
 *   priority before the roles' iptables), so they are reached only with
 *   `-o ProxyJump=root@<r1>` / `-J root@<r1>`; `prov apply` converges through it and a second
 *   run changes nothing.
 * - The inventory has neither vpc_supernet nor subnet_gateway: the host role takes them from the
 *   lab's IMDSv2 service (src/lab/imds.ts), and the host gets the supernet route.
 * - From the host, with curl: 401 without a token, 400 without a TTL, the host's own MAC with a
 *   token.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '../../src/core/transport.js';
import { connectionOf } from '../../src/inventory/connection.js';
import { createTransport } from '../../src/transport/create.js';
import { lab, run } from '../helpers/lab.js';
import { assertConverged, prov, readInventory, recap, type LabInventory } from './roles-support.js';

const NAME = process.env.PROV_TEST_LAB_NAME ?? 'bs1';
const NODES = ['r1', 'r2', 'host'];
const FENCED = ['r2', 'host'];
let inv: LabInventory;
let dir: string;
let inventory: string;
const open: Transport[] = [];

const mgmt = (node: string) => inv.routers[node]?.ansible_host ?? inv.hosts[node]!.ansible_host;

/** ssh's arguments for the controller's own, direct connection to a node. */
const directSsh = (node: string) => [
  '-i',
  String(inv.vars.ansible_ssh_private_key_file),
  '-o',
  `UserKnownHostsFile=${inv.vars.prov_known_hosts_file}`,
  '-o',
  'BatchMode=yes',
  '-o',
  'ConnectTimeout=3',
  `root@${mgmt(node)}`,
];

function hostVars(node: string): Record<string, unknown> {
  const { vpc_supernet: _supernet, subnet_gateway: _gateway, ...vars } = inv.vars;
  const own = inv.routers[node] ?? inv.hosts[node]!;
  return { ...vars, ...own, ...(node === 'r1' ? {} : { ansible_ssh_common_args: `-o ProxyJump=root@${mgmt('r1')}` }) };
}

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--routers', '2', '--hosts', '1']);
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}): ${up.stderr}`);
  inv = readInventory(NAME);
  dir = mkdtempSync(join(tmpdir(), 'prov-bastion-'));
  // Only the bastion answers the controller: the others accept SSH from r1's address alone.
  const fence = join(dir, 'fence.nft');
  writeFileSync(
    fence,
    `table inet prov_test_fence {\n  chain input {\n    type filter hook input priority -200; policy accept;\n    tcp dport 22 ip saddr != ${mgmt('r1')} drop\n  }\n}\n`,
  );
  for (const node of FENCED) {
    // Once the node has booted, by its full path: the `nft` on npm's PATH is @vercel/nft.
    await run('ssh', [...directSsh(node), 'systemctl is-system-running --wait >/dev/null; true']);
    const r = await run('ip', ['netns', 'exec', `prov-${NAME}_${node}`, '/usr/sbin/nft', '-f', fence]);
    if (r.code !== 0) throw new Error(`fencing ${node}: ${r.stderr}`);
  }
  inventory = join(dir, 'aws-like.yml');
  const { vpc_supernet: _s, subnet_gateway: _g, ...allVars } = inv.vars;
  const doc = {
    all: {
      vars: allVars,
      children: {
        routers: {
          vars: inv.routerVars,
          hosts: { r1: inv.routers['r1'], r2: { ...inv.routers['r2'], ansible_ssh_common_args: `-o ProxyJump=root@${mgmt('r1')}` } },
        },
        hosts: { hosts: { host: { ...inv.hosts['host'], ansible_ssh_common_args: `-J root@${mgmt('r1')}` } } },
      },
    },
  };
  writeFileSync(inventory, JSON.stringify(doc, null, 2));
});

test.after.always(async () => {
  await Promise.all(open.map((t) => t.close()));
  await lab(['down', '--name', NAME]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function onNode(t: ExecutionContext, node: string, command: string): Promise<string> {
  const transport = createTransport(node, connectionOf(hostVars(node), node), { trustNewHostKeys: false, connectTimeoutMs: 15_000 });
  open.push(transport);
  const r = await transport.exec(command);
  t.is(r.code, 0, `${node}: ${command}: ${r.stderr}`);
  return r.stdout;
}

test.serial('the controller cannot reach r2 and host directly; through the bastion it can', async (t) => {
  for (const node of FENCED) {
    const direct = await run('ssh', [...directSsh(node), 'true']);
    const rules = await run('ip', ['netns', 'exec', `prov-${NAME}_${node}`, '/usr/sbin/nft', 'list', 'ruleset']);
    t.not(direct.code, 0, `${node} must not answer the controller; its ruleset:\n${rules.stdout}${rules.stderr}`);
    t.regex(direct.stderr, /timed out/i, direct.stderr);
    t.is((await onNode(t, node, 'hostname')).trim(), node, `${node} through the bastion`);
  }
});

test.serial('prov apply through the bastion, without vpc_supernet and subnet_gateway, converges; a second run changes nothing', async (t) => {
  const first = await prov(['apply', inventory]);
  t.is(first.code, 0, `${first.stderr}\n${first.stdout.slice(-4000)}`);
  const counts = recap(first.stdout);
  for (const n of NODES) t.true((counts[n]?.['changed'] ?? 0) > 0, `${n} changed on a fresh lab`);
  const route = await onNode(t, 'host', 'ip -4 route show exact 192.168.100.0/23');
  t.regex(route, /^192\.168\.100\.0\/23 via 192\.168\.100\.1 dev ens6/m, 'the supernet route from the metadata facts');
  const second = await prov(['apply', inventory]);
  assertConverged(t, second, NODES, 'second apply through the bastion');
});

test.serial("the host's metadata service: 401 without a token, 400 without a TTL, its own MAC with one", async (t) => {
  const url = 'http://169.254.169.254/latest';
  const code = (args: string) => onNode(t, 'host', `curl -s -o /dev/null -w '%{http_code}' ${args}`);
  t.is(await code(`${url}/meta-data/mac`), '401');
  t.is(await code(`-X PUT ${url}/api/token`), '400');
  t.is(await code(`-H 'X-aws-ec2-metadata-token: forged' ${url}/meta-data/mac`), '401');
  const mac = await onNode(
    t,
    'host',
    `t=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 30' ${url}/api/token) && curl -sf -H "X-aws-ec2-metadata-token: $t" ${url}/meta-data/mac`,
  );
  t.is(mac, (await onNode(t, 'host', 'cat /sys/class/net/ens6/address')).trim());
});
