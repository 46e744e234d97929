import test from 'ava';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundedProv } from '../helpers/bounded-cli.js';

/**
 * A wrong address plan is caught by the roles' topology checks (roles/router and roles/host: tasks/topology.yml,
 * the first tasks of each role) before anything is installed or written (issue 15, section 4):
 * the host fails (exit 2) with one message naming the variable and the host, and changed=0.
 * The routers run on `ansible_connection: local`; the topology tasks only read variables.
 */

interface Topology {
  routers: Record<string, Record<string, unknown>>;
  hosts: Record<string, Record<string, unknown>>;
  vars?: Record<string, unknown>;
}

const GOOD: Topology = {
  vars: {
    subnet_cidr: '10.0.1.0/24',
    bgp_listen_range: '10.0.1.64/26',
    upstream_interface: 'ens6',
    subnet_interface: 'ens5',
    subnet_gateway: '10.0.1.1',
    vpc_supernet: '10.0.0.0/16',
  },
  routers: { r1: { subnet_address: '10.0.1.10' }, r2: { subnet_address: '10.0.1.11' } },
  hosts: { app1: { subnet_address: '10.0.1.70' }, app2: { subnet_address: '10.0.1.71' } },
};

function inventory(t: Topology): string {
  const hosts = (m: Record<string, Record<string, unknown>>) =>
    Object.entries(m)
      .map(([n, v]) => `        ${n}: ${JSON.stringify({ ansible_connection: 'local', ...v })}\n`)
      .join('');
  return `all:\n  vars: ${JSON.stringify(t.vars ?? {})}\n  children:\n    routers:\n      hosts:\n${hosts(t.routers)}    hosts:\n      hosts:\n${hosts(t.hosts)}`;
}

const ONLY_CHECKS = (role: string, group: string) =>
  `- hosts: ${group}\n  gather_facts: no\n  tasks:\n    - include_role: { name: ${role}, tasks_from: topology }\n`;
const FULL_ROLE = (role: string, group: string) => `- hosts: ${group}\n  gather_facts: no\n  serial: 1\n  roles: [${role}]\n`;

async function apply(topology: Topology, playbook: string, limit?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'prov-topology-'));
  try {
    await writeFile(join(dir, 'inv.yml'), inventory(topology));
    await writeFile(join(dir, 'site.yml'), playbook);
    await mkdir(join(dir, 'out'));
    const run = await boundedProv(['apply', join(dir, 'inv.yml'), join(dir, 'site.yml'), ...(limit ? ['--limit', limit] : [])], {
      cwd: dir,
      env: { ANSIBLE_CONFIG: '' },
    });
    return { ...run, files: await readdir(join(dir, 'out')) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const merge = (over: Partial<Topology>): Topology => ({
  vars: { ...GOOD.vars, ...over.vars },
  routers: over.routers ?? GOOD.routers,
  hosts: over.hosts ?? GOOD.hosts,
});

test('a good topology passes every topology check of both roles', async (t) => {
  const routers = await apply(GOOD, ONLY_CHECKS('router', 'routers'));
  t.is(routers.code, 0, routers.stdout + routers.stderr);
  t.regex(routers.stdout, /r1\s+: ok=\d+ changed=0 unreachable=0 failed=0/);
  const hosts = await apply(GOOD, ONLY_CHECKS('host', 'hosts'));
  t.is(hosts.code, 0, hosts.stdout + hosts.stderr);
});

const BAD: { title: string; topology: Topology; role?: 'router' | 'host'; host: string; message: RegExp; full?: boolean }[] = [
  {
    title: 'a listen range that does not contain the hosts',
    topology: merge({ hosts: { app1: { subnet_address: '10.0.1.70' }, app2: { subnet_address: '10.0.1.200' } } }),
    host: 'r1',
    message: /host app2 \(subnet_address 10\.0\.1\.200\) is outside bgp_listen_range 10\.0\.1\.64\/26/,
  },
  {
    title: 'a router address outside the subnet',
    topology: merge({ routers: { r1: { subnet_address: '10.0.2.10' }, r2: { subnet_address: '10.0.1.11' } } }),
    host: 'r1',
    message: /subnet_address 10\.0\.2\.10 of r1 is outside subnet_cidr 10\.0\.1\.0\/24/,
  },
  {
    title: 'a listen range outside the subnet',
    topology: merge({ vars: { bgp_listen_range: '10.9.0.0/26' } }),
    host: 'r1',
    message: /bgp_listen_range 10\.9\.0\.0\/26 is not inside subnet_cidr/,
  },
  {
    title: 'a listen range that is no prefix at all gets the prefix message, not a filter error',
    topology: merge({ vars: { bgp_listen_range: '10.0.1.300/26' } }),
    host: 'r1',
    message: /bgp_listen_range "10\.0\.1\.300\/26" is not an IPv4 prefix such as 192\.168\.100\.96\/27/,
    full: true,
  },
  {
    title: 'router ASN 0 (the full role stops at its first task)',
    topology: merge({ vars: { router_asn: 0 } }),
    host: 'r1',
    message: /router_asn 0 is not an AS number/,
    full: true,
  },
  { title: 'router ASN 4294967296', topology: merge({ vars: { router_asn: 4294967296 } }), host: 'r1', message: /router_asn 4294967296 is not an AS number/ },
  {
    title: 'router ASN "65000; reboot"',
    topology: merge({ vars: { router_asn: '65000; reboot' } }),
    host: 'r1',
    message: /router_asn 65000; reboot is not an AS number/,
  },
  {
    title: 'host ASN -1 (the full role stops at its first task)',
    topology: merge({ vars: { host_asn: -1 } }),
    role: 'host',
    host: 'app1',
    message: /host_asn -1 is not an AS number/,
    full: true,
  },
  {
    title: 'two routers with one address',
    topology: merge({ routers: { r1: { subnet_address: '10.0.1.10' }, r2: { subnet_address: '10.0.1.10' } } }),
    host: 'r1',
    message: /r2 and r1 have the same subnet_address 10\.0\.1\.10/,
  },
  {
    title: 'a host with the address of a router',
    topology: merge({ hosts: { app1: { subnet_address: '10.0.1.11' } } }),
    role: 'host',
    host: 'app1',
    message: /r2 and app1 have the same subnet_address 10\.0\.1\.11/,
  },
  {
    title: 'an extra prefix overlapping the subnet (overlapping CIDRs)',
    topology: merge({ vars: { router_extra_prefixes: ['10.0.0.0/8'] } }),
    host: 'r1',
    message: /router_extra_prefixes entry 10\.0\.0\.0\/8 overlaps subnet_cidr 10\.0\.1\.0\/24/,
  },
  {
    title: 'an extra prefix inside the subnet (overlapping CIDRs)',
    topology: merge({ vars: { router_extra_prefixes: [{ prefix: '10.0.1.128/25', via: '10.0.1.1' }] } }),
    host: 'r1',
    message: /router_extra_prefixes entry 10\.0\.1\.128\/25 overlaps subnet_cidr/,
  },
];

for (const c of BAD) {
  test(`${c.title}: the host fails before any change, naming the variable`, async (t) => {
    const role = c.role ?? 'router';
    const group = role === 'router' ? 'routers' : 'hosts';
    const run = await apply(c.topology, (c.full ? FULL_ROLE : ONLY_CHECKS)(role, group), c.host);
    t.is(run.code, 2, run.stdout + run.stderr);
    t.regex(run.stdout, new RegExp(`fatal: \\[${c.host}\\]: FAILED! .*${c.message.source}`));
    t.regex(run.stdout, new RegExp(`${c.host}\\s+: ok=\\d+ changed=0 unreachable=0 failed=1`));
    t.notRegex(run.stdout + run.stderr, /\n\s+at .+:\d+:\d+/);
    t.deepEqual(run.files, []);
  });
}
