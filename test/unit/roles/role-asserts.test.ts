/**
 * The roles' checks before anything is installed: each assert refuses what the templates cannot
 * render into a valid config, with a message that names the variable (the templates hold no checks).
 */
import test from 'ava';
import { runAssert } from './asserts.js';
import { fakeFacts, labHostvars, labVars } from './render.js';

const router = (task: string, vars: Record<string, unknown>) => runAssert({ role: 'router', task, vars: { ...labVars('r1'), ...vars } });
const host = (task: string, vars: Record<string, unknown> = {}, extra: Partial<Parameters<typeof runAssert>[0]> = {}) =>
  runAssert({ role: 'host', task, vars: { ...labVars('host'), ...vars }, ...extra });

const LISTEN = 'check the BGP listen range';

test('router: the listen range must be an IPv4 prefix with its network address', (t) => {
  t.is(router(LISTEN, {}), undefined);
  t.is(router(LISTEN, { bgp_listen_range: '10.0.0.0/8' }), undefined);
  t.is(router(LISTEN, { bgp_listen_range: '10.0.0.7/32' }), undefined);
  t.is(router(LISTEN, { bgp_listen_range: '192.168.100.300/27' }), 'bgp_listen_range "192.168.100.300/27" is not an IPv4 prefix such as 192.168.100.96/27');
  t.is(router(LISTEN, { bgp_listen_range: '192.168.100.96' }), 'bgp_listen_range "192.168.100.96" is not an IPv4 prefix such as 192.168.100.96/27');
  t.is(router(LISTEN, { bgp_listen_range: '192.168.100.96/33' }), 'bgp_listen_range "192.168.100.96/33" is not an IPv4 prefix such as 192.168.100.96/27');
  t.is(router(LISTEN, { bgp_listen_range: 'fd00::/64' }), 'bgp_listen_range "fd00::/64" is not an IPv4 prefix such as 192.168.100.96/27');
  t.is(
    router(LISTEN, { bgp_listen_range: '192.168.100.97/27' }),
    'bgp_listen_range "192.168.100.97/27" is not an IPv4 prefix such as 192.168.100.96/27 (its network address is 192.168.100.96/27)',
  );
});

for (const role of ['router', 'host'] as const) {
  test(`${role}: the BGP password must be one line`, (t) => {
    const run = (bgp_password: string) => (role === 'router' ? router : host)('check the BGP password', { bgp_password });
    t.is(run(''), undefined);
    t.is(run('Tr0ub4dor'), undefined);
    t.is(run('a\nb'), 'bgp_password must be a single line (FRR reads frr.conf line by line)');
    t.is(run('a\rb'), 'bgp_password must be a single line (FRR reads frr.conf line by line)');
  });
}

test('router: egress allow-list entries need a cidr, a known proto, and ports only with tcp or udp', (t) => {
  const run = (egress_allow: unknown[]) => router('check the egress allow-list', { egress_policy: 'allow_list', egress_allow });
  t.is(run([{ cidr: '10.0.0.0/8' }, { cidr: '10.1.0.0/16', proto: 'UDP', ports: '53' }, { cidr: '10.2.0.0/16', proto: 'icmp' }]), undefined);
  t.regex(run([{ proto: 'tcp' }])!, /^egress_allow entries need a cidr \(\[\{"proto": "tcp"\}\]\)/);
  t.regex(run([{ cidr: '10.0.0.0/8', proto: 'sctp' }])!, /a proto of tcp, udp, icmp or all \(\[\{"cidr": "10.0.0.0\/8", "proto": "sctp"\}\]\)/);
  t.regex(
    run([{ cidr: '10.0.0.0/8', proto: 'icmp', ports: [1] }])!,
    /ports only with proto tcp or udp \(\[\{"cidr": "10.0.0.0\/8", "proto": "icmp", "ports": \[1\]\}\]\)$/,
  );
});

test('host: the kernel must have the L4 multipath hash (4.19 or newer)', (t) => {
  const run = (kernel: string, kernelVersion: string) => host('check the kernel', {}, { facts: fakeFacts({ kernel, kernelVersion }) });
  t.is(run('6.1.0-18-amd64', '6.1.0'), undefined);
  t.is(run('4.19.0-27-amd64', '4.19.0'), undefined);
  t.is(run('10.0.0', '10.0.0'), undefined);
  t.regex(run('4.9.0-19-amd64', '4.9.0')!, /^kernel 4\.9\.0-19-amd64 is too old: .* needs Linux 4\.19 or newer/);
  t.regex(run('3.16.0', '3.16.0')!, /too old/);
});

test('host: at least one BGP neighbour', (t) => {
  t.is(host('check there is a BGP neighbour'), undefined);
  t.is(host('check there is a BGP neighbour', { host_bgp_neighbors: ['10.0.0.5'] }, { groups: { routers: [], hosts: ['host'] } }), undefined);
  t.is(
    host('check there is a BGP neighbour', {}, { groups: { routers: [], hosts: ['host'] } }),
    'no BGP neighbours: set host_bgp_neighbors or give each host of group "routers" a subnet_address',
  );
  const noAddress = { ...labHostvars, r1: { inventory_hostname: 'r1' }, r2: { inventory_hostname: 'r2' } };
  t.regex(host('check there is a BGP neighbour', {}, { hostvars: noAddress })!, /^no BGP neighbours/);
});

test('host: connection pinning needs a mark per router and the subnet', (t) => {
  const run = (vars: Record<string, unknown>) => host('check the connection pinning variables', vars);
  t.is(run({}), undefined);
  t.is(run({ host_connection_pinning: false, host_pinning_mark_mask: 0 }), undefined, 'not checked when pinning is off');
  t.regex(run({ host_pinning_mark_mask: 1 })!, /\(1 for 2 routers\)/);
  t.regex(run({ host_pinning_mark_mask: 0 })!, /\(0 for 2 routers\)/);
  t.regex(run({ subnet_cidr: 'nonsense' })!, /such as 192\.168\.100\.0\/24 \(not "nonsense"\)$/);
});
