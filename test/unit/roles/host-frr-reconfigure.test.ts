/** The host's FRR settings for networkd reconfigures: connect retry, advertisement interval, and the anchored hosts' connected check. */
import test from 'ava';
import type { Facts } from '../../../src/core/facts.js';
import { configLines, fakeFacts, labVars, render } from './render.js';

const renderHost = (networkManager: Facts['networkManager'], vars: Record<string, unknown> = {}) =>
  configLines(
    render({
      role: 'host',
      template: 'frr.conf.ejs',
      vars: { ...labVars('host'), frr_installed_version: '8.4.4', ...vars },
      facts: fakeFacts({ hostname: 'host', networkManager }),
    }),
  );

test('connect retry and advertisement interval come from the role defaults and can be set', (t) => {
  const lines = renderHost('ifupdown');
  t.true(lines.includes('neighbor routers timers connect 2'), lines.join('\n'));
  t.true(lines.includes('neighbor routers advertisement-interval 0'));
  const set = renderHost('ifupdown', { host_bgp_connect_retry: 5, host_bgp_advertisement_interval: 1 });
  t.true(set.includes('neighbor routers timers connect 5'));
  t.true(set.includes('neighbor routers advertisement-interval 1'));
});

test('networkd and netplan hosts with the subnet anchor keep their sessions without the connected check; others keep it', (t) => {
  t.true(renderHost('systemd-networkd').includes('neighbor routers disable-connected-check'));
  t.true(renderHost('netplan').includes('neighbor routers disable-connected-check'));
  t.false(renderHost('ifupdown').includes('neighbor routers disable-connected-check'));
  t.false(renderHost('systemd-networkd', { host_subnet_anchor: false }).includes('neighbor routers disable-connected-check'));
});

test('networkd and netplan hosts keep zebra off kernel nexthop objects (networkd deletes them) from FRR 7.3.1 on; ifupdown hosts keep the default', (t) => {
  const line = 'no zebra nexthop kernel enable';
  for (const manager of ['systemd-networkd', 'netplan'] as const) {
    t.true(renderHost(manager).includes(line), manager);
    t.true(renderHost(manager, { frr_installed_version: '7.3.1' }).includes(line), `${manager}, FRR 7.3.1`);
    t.true(renderHost(manager, { frr_installed_version: '10.3' }).includes(line), `${manager}, FRR 10.3`);
    t.false(renderHost(manager, { frr_installed_version: '7.3' }).includes(line), `${manager}, FRR 7.3 has no such switch`);
  }
  t.false(renderHost('ifupdown').includes(line));
  // It sits with the global settings, before any router block (zebra reads it before it installs routes).
  const lines = renderHost('netplan');
  t.true(lines.indexOf(line) < lines.findIndex((l) => l.startsWith('router bgp')));
});
