import test from 'ava';
import { verifyHost } from '../../../src/verify/host-checks.js';
import type { CommandOutputs } from '../../../src/verify/types.js';
import { fixture, hostExpect, ok } from './fixtures.js';

function outputs(over: Partial<Record<string, string>> = {}): CommandOutputs {
  const base: Record<string, string> = {
    bgpSummary: fixture('8.4.4/host-summary-healthy.json'),
    defaultRoutes: fixture('ip-route-default-ecmp.json'),
    supernetRoute: fixture('ip-route-supernet.json'),
    hashPolicy: '1\n',
    ...over,
  };
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, ok(v)]));
}

const failed = (results: { check: string; ok: boolean }[]) => results.filter((r) => !r.ok).map((r) => r.check);

test('healthy host (FRR 8.4.4): every check passes', (t) => {
  const results = verifyHost(outputs(), hostExpect);
  t.deepEqual(failed(results), []);
  t.deepEqual(results.map((r) => r.check).sort(), ['bgp sessions', 'default route', 'hash policy', 'no dhcp default', 'supernet route']);
  t.regex(results.find((r) => r.check === 'default route')!.detail, /192\.168\.100\.20, 192\.168\.100\.21/);
});

test('healthy host (FRR 7.5.1): every check passes', (t) => {
  t.deepEqual(failed(verifyHost(outputs({ bgpSummary: fixture('7.5.1/host-summary-healthy.json') }), hostExpect)), []);
});

test('one router down: the session check fails, the route with one next hop matches the healthy router', (t) => {
  const results = verifyHost(
    outputs({ bgpSummary: fixture('8.4.4/host-summary-r1-active.json'), defaultRoutes: fixture('ip-route-default-one-hop.json') }),
    hostExpect,
  );
  t.deepEqual(failed(results), ['bgp sessions']);
  t.regex(results[0]!.detail, /r1 \(192\.168\.100\.20\) Active/);
});

test('one router down but the route still has its next hop: the default route check fails', (t) => {
  const results = verifyHost(outputs({ bgpSummary: fixture('8.4.4/host-summary-r1-active.json') }), hostExpect);
  t.deepEqual(failed(results), ['bgp sessions', 'default route']);
  t.regex(results.find((r) => r.check === 'default route')!.detail, /expected 192\.168\.100\.21$/);
});

test('DHCP default still present: named with its gateway', (t) => {
  const results = verifyHost(outputs({ defaultRoutes: fixture('ip-route-default-dhcp-still.json') }), hostExpect);
  t.deepEqual(failed(results), ['no dhcp default']);
  t.regex(results.find((r) => r.check === 'no dhcp default')!.detail, /via 192\.168\.100\.1 proto boot/);
});

test('hash policy 0, no supernet route, no BGP route: each named', (t) => {
  const results = verifyHost(outputs({ hashPolicy: '0\n', supernetRoute: '[]', defaultRoutes: '[]' }), hostExpect);
  t.deepEqual(failed(results).sort(), ['default route', 'hash policy', 'supernet route']);
});

test('a missing command output fails the checks that need it', (t) => {
  const out = outputs();
  delete out['hashPolicy'];
  t.deepEqual(failed(verifyHost(out, hostExpect)), ['hash policy']);
});
