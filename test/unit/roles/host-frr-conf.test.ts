import test from 'ava';
import { configLines, fakeFacts, labHostvars, labVars, render } from './render.js';

const renderHost = (frrVersion: string, vars: Record<string, unknown> = {}, extra: Partial<Parameters<typeof render>[0]> = {}) =>
  configLines(
    render({
      role: 'host',
      template: 'frr.conf.ejs',
      vars: { ...labVars('host'), frr_installed_version: frrVersion, ...vars },
      facts: fakeFacts({ hostname: 'host' }),
      ...extra,
    }),
  );

test('one neighbour per router of the routers group, accept 0/0 exactly, announce nothing', (t) => {
  const lines = renderHost('8.4.4');
  for (const l of [
    'router bgp 65100',
    'bgp router-id 192.168.100.100',
    'neighbor routers peer-group',
    'neighbor routers remote-as external',
    'neighbor routers ttl-security hops 1',
    'neighbor 192.168.100.20 peer-group routers',
    'neighbor 192.168.100.21 peer-group routers',
    'ip prefix-list PROV-FROM-ROUTERS seq 5 permit 0.0.0.0/0',
    'route-map PROV-TO-ROUTERS deny 10',
    'neighbor routers route-map PROV-FROM-ROUTERS in',
    'neighbor routers route-map PROV-TO-ROUTERS out',
    'neighbor routers bfd profile gateway',
  ]) {
    t.true(lines.includes(l), l);
  }
  t.is(lines.filter((l) => l.startsWith('ip prefix-list')).length, 1);
  t.false(lines.some((l) => l.startsWith('network ')));
});

test('maximum-paths grows with the number of routers', (t) => {
  const routers = Array.from({ length: 20 }, (_, i) => `r${i + 1}`);
  const hostvars = Object.fromEntries(routers.map((r, i) => [r, { subnet_address: `192.168.100.${20 + i}` }]));
  const lines = renderHost('8.4.4', {}, { hostvars, groups: { routers, hosts: ['host'] } });
  t.true(lines.includes('maximum-paths 20'));
  t.is(lines.filter((l) => / peer-group routers$/.test(l)).length, 20);
  t.true(renderHost('8.4.4').includes('maximum-paths 16'));
});

test('a configured neighbour list replaces the inventory group', (t) => {
  const lines = renderHost('8.4.4', { host_bgp_neighbors: ['10.0.0.5'] });
  t.true(lines.includes('neighbor 10.0.0.5 peer-group routers'));
  t.false(lines.some((l) => l.includes('192.168.100.20')));
});

test("the routers' extra prefixes are accepted too", (t) => {
  const hostvars = { ...labHostvars, r1: { ...labHostvars.r1, router_extra_prefixes: [{ prefix: '10.8.0.0/16', via: '203.0.113.1' }] } };
  const lines = renderHost('8.4.4', {}, { hostvars });
  t.true(lines.includes('ip prefix-list PROV-FROM-ROUTERS seq 10 permit 10.8.0.0/16'));
});

test('FRR 7.3.1 vs 10.4: BFD syntax and defaults line', (t) => {
  const old = renderHost('7.3.1');
  t.true(old.includes('neighbor routers bfd 3 80 80'));
  t.false(old.some((l) => l.startsWith('frr defaults')));
  const recent = renderHost('10.4');
  t.true(recent.includes('frr defaults datacenter'));
  t.true(recent.includes('neighbor routers bfd profile gateway'));
});

test('password only when set', (t) => {
  t.false(renderHost('8.4.4').some((l) => l.includes('password')));
  t.true(renderHost('8.4.4', { bgp_password: 'pw' }).includes('neighbor routers password pw'));
});

// FRR 10.2.0-10.2.2 and 10.3.0 (trixie's 10.3-3) keep a BGP peer Idle while its BFD session is down, and
// the routers' BFD session for a host comes only with its BGP session: BFD runs as bfdd peers there.
for (const version of ['10.3-3+deb13u1', '10.3', '10.2.2', '10.2']) {
  test(`FRR ${version}: BFD as bfdd peers, not bound to the BGP neighbours`, (t) => {
    const lines = renderHost(version);
    t.false(lines.some((l) => / bfd( |$)/.test(l) && l.startsWith('neighbor')));
    for (const address of ['192.168.100.20', '192.168.100.21']) t.true(lines.includes(`peer ${address} interface ens6`), address);
    t.is(lines.filter((l) => l === 'profile gateway').length, 3);
  });
}
for (const version of ['10.3.1', '10.2.3', '10.4.0', '9.1', '8.4.4']) {
  test(`FRR ${version}: BFD bound to the BGP neighbours`, (t) => {
    const lines = renderHost(version);
    t.true(lines.includes('neighbor routers bfd profile gateway'));
    t.false(lines.some((l) => l.startsWith('peer ')));
  });
}
