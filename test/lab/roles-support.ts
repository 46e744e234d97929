/** Helpers shared by the role end-to-end tests (roles*.test.ts, egress*.test.ts). */
import type { ExecutionContext } from 'ava';
import { join } from 'node:path';
import { readInventory, repoRoot, run, ssh, type LabInventory, type Run } from '../helpers/lab.js';

/** `prov ARGS…` through the CLI's own entry point. */
export function prov(args: string[]): Promise<Run> {
  return run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), ...args]);
}

export function inventoryPath(name: string): string {
  return join('inventory', `${name}.yml`);
}

/** The recap's counters per host: `r1 : ok=12 changed=3 unreachable=0 failed=0 …`. */
export function recap(stdout: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const m of stdout.matchAll(/^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$/gm)) {
    out[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((p) => [p[1]!, Number(p[2])]));
  }
  return out;
}

/** Asserts that a run's recap names every node and reports no change and no failure on any. */
export function assertConverged(t: ExecutionContext, r: Run, nodes: string[], what: string): void {
  t.is(r.code, 0, `${what}: ${r.stderr}\n${r.stdout.slice(-3000)}`);
  const counts = recap(r.stdout);
  for (const node of nodes) {
    t.truthy(counts[node], `${what}: no recap line for ${node}\n${r.stdout.slice(-2000)}`);
    t.is(counts[node]?.['changed'], 0, `${what}: ${node} changed something\n${r.stdout.slice(-4000)}`);
    t.is(counts[node]?.['failed'], 0, `${what}: ${node} failed`);
  }
}

export async function onNode(t: ExecutionContext, inv: LabInventory, node: string, command: string): Promise<string> {
  const address = inv.routers[node]?.ansible_host ?? inv.hosts[node]?.ansible_host;
  if (!address) throw new Error(`no node ${node} in the lab inventory`);
  const r = await ssh(inv, address, command);
  t.is(r.code, 0, `${node}: ${command}: ${r.stderr}`);
  return r.stdout;
}

/** The next hops of the host's BGP default route, and every default route line. */
export async function hostDefaults(t: ExecutionContext, inv: LabInventory, host = 'host'): Promise<{ text: string; hops: string[]; others: string[] }> {
  const text = await onNode(t, inv, host, 'ip -4 route show default');
  const hops = [...text.matchAll(/nexthop via (\S+) dev/g)].map((m) => m[1]!);
  if (hops.length === 0) {
    const single = /^default (?:nhid \d+ )?via (\S+) dev \S+ proto bgp/m.exec(text);
    if (single) hops.push(single[1]!);
  }
  const others = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('default') && !l.includes('proto bgp'));
  return { text, hops, others };
}

/** The seed's route shape: one BGP default, metric 20, one `nexthop via` per router, weight 1. */
export function assertSeedShape(t: ExecutionContext, text: string, routers: string[]): void {
  t.regex(text, /^default (nhid \d+ )?proto bgp metric 20 *$/m, text);
  for (const r of routers) t.regex(text, new RegExp(`^\\s+nexthop via ${r.replace(/\./g, '\\.')} dev ens6 weight 1 *$`, 'm'), text);
  t.is([...text.matchAll(/nexthop via/g)].length, routers.length, text);
  t.is(text.split('\n').filter((l) => l.startsWith('default')).length, 1, `exactly one default route:\n${text}`);
}

/** Checksums of a node's frr.conf on disk and of FRR's running config. */
export async function frrState(t: ExecutionContext, inv: LabInventory, node: string): Promise<{ file: string; running: string }> {
  const out = await onNode(t, inv, node, "md5sum < /etc/frr/frr.conf; vtysh -c 'show running-config' | grep -v '^Building configuration' | md5sum");
  const [file, running] = out
    .trim()
    .split('\n')
    .map((l) => l.split(' ')[0]!);
  return { file: file!, running: running! };
}

/** Opens `count` TCP connections from a node to address:port (echo server) and returns how many answered. */
export async function tcpEcho(t: ExecutionContext, inv: LabInventory, node: string, address: string, port: number, count: number): Promise<number> {
  const one = `timeout 3 bash -c 'exec 3<>/dev/tcp/${address}/${port} && echo e2e >&3 && head -c 1 <&3 >/dev/null' && echo ok`;
  const out = await onNode(t, inv, node, `for i in $(seq 1 ${count}); do ( ${one} ) & done 2>/dev/null; wait; true`);
  return out.split('\n').filter((l) => l === 'ok').length;
}

export { readInventory, type LabInventory };

/** `prov verify` on a lab inventory must exit 0; returns the run for further checks. */
export async function assertVerifies(t: ExecutionContext, inventory: string): Promise<Run> {
  const verify = await prov(['verify', inventory]);
  t.is(verify.code, 0, verify.stdout + verify.stderr);
  return verify;
}

/** A second apply right after the first changes nothing on any node. */
export async function assertSecondApplyConverges(t: ExecutionContext, inventory: string, nodes: string[]): Promise<void> {
  const second = await prov(['apply', inventory]);
  t.log(`second apply: ${second.ms} ms`);
  assertConverged(t, second, nodes, 'second apply');
}

/**
 * After an apply on a systemd-networkd host (directly or through netplan): the seed route and no
 * other default, the role's networkd settings and drop-ins in `dropinDir`, the supernet route
 * owned by networkd, no DHCP route to the DNS server, and DNS answering over the BGP route.
 */
export async function assertNetworkdHostApplied(t: ExecutionContext, inv: LabInventory, routers: string[], dropinDir: string): Promise<void> {
  const after = await hostDefaults(t, inv);
  assertSeedShape(t, after.text, routers);
  t.deepEqual(after.others, []);
  const files = await onNode(t, inv, 'host', `cat /etc/systemd/networkd.conf.d/90-prov-foreign.conf; ls ${dropinDir}; cat ${dropinDir}/*.conf`);
  t.regex(files, /^ManageForeignRoutes=no$/m);
  t.regex(files, /^ManageForeignRoutingPolicyRules=no$/m);
  t.regex(files, /^90-prov-route\.conf$/m);
  t.regex(files, /^91-prov-dhcp\.conf$/m);
  t.regex(files, /^UseGateway=false$/m);
  t.regex(files, /^Destination=192\.168\.100\.0\/23$/m);
  const routes = await onNode(t, inv, 'host', 'ip -4 route show 192.168.100.0/23; ip -4 route show proto dhcp');
  t.regex(routes, /^192\.168\.100\.0\/23 via 192\.168\.100\.1 dev ens6 proto static/m, "the supernet route is networkd's");
  t.notRegex(routes, /198\.51\.100\.53/, 'no DHCP route to the DNS server via the subnet gateway');
  t.regex(await onNode(t, inv, 'host', 'getent hosts allowed.example.test'), /^198\.51\.100\.10\s/, 'DNS answers over the BGP route');
}
