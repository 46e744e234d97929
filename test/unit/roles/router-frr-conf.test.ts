import test from 'ava';
import { configLines, labVars, render } from './render.js';

const renderRouter = (frrVersion: string, vars: Record<string, unknown> = {}) =>
  configLines(render({ role: 'router', template: 'frr.conf.ejs', vars: { ...labVars('r1'), frr_installed_version: frrVersion, ...vars } }));

for (const version of ['7.5.1', '8.4.4', '10.2']) {
  test(`FRR ${version}: datacenter defaults and a BFD profile`, (t) => {
    const lines = renderRouter(version);
    t.true(lines.includes('frr defaults datacenter'));
    t.true(lines.includes('neighbor fabric bfd profile gateway'));
    t.true(lines.includes('profile gateway'));
    t.true(lines.includes('receive-interval 80'));
    t.false(lines.some((l) => /^neighbor fabric bfd \d/.test(l)));
    t.false(lines.includes('timers bgp 3 9'));
  });
}

test('FRR 7.3.1: no defaults line, legacy BFD timers on the neighbour, explicit fast timers', (t) => {
  const lines = renderRouter('7.3.1', { bfd_receive_interval: 250, bfd_transmit_interval: 200, bfd_detect_multiplier: 4 });
  t.false(lines.some((l) => l.startsWith('frr defaults')));
  t.true(lines.includes('neighbor fabric bfd 4 250 200'));
  t.false(lines.some((l) => l.startsWith('bfd') || l.startsWith('profile')));
  t.true(lines.includes('timers bgp 3 9'));
});

test('the installed package version (a Debian version string) is read', (t) => {
  const lines = configLines(
    render({
      role: 'router',
      template: 'frr.conf.ejs',
      vars: { ...labVars('r1'), frr_installed_version: '7.3.1-1~deb10u1' },
    }),
  );
  t.true(lines.includes('neighbor fabric bfd 3 80 80'));
});

test('the seed shape: listen range, peer group, default-originate, policies, ttl-security', (t) => {
  const lines = renderRouter('8.4.4');
  for (const l of [
    'router bgp 65000',
    'bgp router-id 192.168.100.20',
    'bgp listen range 192.168.100.96/27 peer-group fabric',
    'neighbor fabric peer-group',
    'neighbor fabric remote-as external',
    'neighbor fabric ttl-security hops 1',
    'neighbor fabric default-originate',
    'neighbor fabric route-map PROV-FROM-HOSTS in',
    'neighbor fabric route-map PROV-TO-HOSTS out',
    'route-map PROV-FROM-HOSTS deny 10',
    'ip prefix-list PROV-TO-HOSTS seq 5 permit 0.0.0.0/0',
    'maximum-paths 16',
  ]) {
    t.true(lines.includes(l), l);
  }
  t.is(lines.filter((l) => l.startsWith('ip prefix-list PROV-TO-HOSTS')).length, 1);
});

test('listen limit: at least 100, sized to the range when it holds more hosts, or as configured', (t) => {
  t.true(renderRouter('8.4.4').includes('bgp listen limit 100'));
  t.true(renderRouter('8.4.4', { bgp_listen_range: '192.168.96.0/22' }).includes('bgp listen limit 1022'));
  t.true(renderRouter('8.4.4', { bgp_listen_range: '10.0.0.0/8' }).includes('bgp listen limit 65535'));
  t.true(renderRouter('8.4.4', { bgp_listen_limit: 300 }).includes('bgp listen limit 300'));
});

test('password only when set, and a configured host AS', (t) => {
  t.false(renderRouter('8.4.4').some((l) => l.includes('password')));
  const lines = renderRouter('8.4.4', { bgp_password: 'Tr0ub4dor', router_host_remote_as: 65100 });
  t.true(lines.includes('neighbor fabric password Tr0ub4dor'));
  t.true(lines.includes('neighbor fabric remote-as 65100'));
});

test('extra prefixes: advertised, permitted out, and a static route when a next hop is given', (t) => {
  const lines = renderRouter('8.4.4', { router_extra_prefixes: ['10.9.0.0/16', { prefix: '10.8.0.0/16', via: '203.0.113.1' }] });
  t.true(lines.includes('ip route 10.8.0.0/16 203.0.113.1'));
  t.false(lines.some((l) => l.startsWith('ip route 10.9.0.0/16')));
  t.true(lines.includes('network 10.9.0.0/16'));
  t.true(lines.includes('network 10.8.0.0/16'));
  t.true(lines.includes('ip prefix-list PROV-TO-HOSTS seq 10 permit 10.9.0.0/16'));
  t.true(lines.includes('ip prefix-list PROV-TO-HOSTS seq 15 permit 10.8.0.0/16'));
});
