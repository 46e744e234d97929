import test from 'ava';
import { isEstablished, parseBgpSummary } from '../../../src/verify/bgp-summary.js';
import { fixture } from './fixtures.js';

for (const version of ['7.5.1', '8.4.4']) {
  test(`FRR ${version}: host summary lists both routers as Established`, (t) => {
    const s = parseBgpSummary(fixture(`${version}/host-summary-healthy.json`));
    if (!s.ok) return t.fail(s.error);
    t.is(s.asn, 65100);
    t.deepEqual(
      s.peers.map((p) => [p.address, p.state, isEstablished(p)]),
      [
        ['192.168.100.20', 'Established', true],
        ['192.168.100.21', 'Established', true],
      ],
    );
  });

  test(`FRR ${version}: router summary marks the host as a dynamic peer`, (t) => {
    const s = parseBgpSummary(fixture(`${version}/router-summary-healthy.json`));
    if (!s.ok) return t.fail(s.error);
    t.deepEqual(
      s.peers.map((p) => ({ address: p.address, dynamic: p.dynamic, sent: p.prefixesReceived })),
      [{ address: '192.168.100.100', dynamic: true, sent: 0 }],
    );
  });
}

test('a session in Active is not established', (t) => {
  const s = parseBgpSummary(fixture('8.4.4/host-summary-r1-active.json'));
  if (!s.ok) return t.fail(s.error);
  t.deepEqual(
    s.peers.filter((p) => !isEstablished(p)).map((p) => `${p.address} ${p.state}`),
    ['192.168.100.20 Active'],
  );
});

test('an Established session held by the policy check (peerState Policy) does not count', (t) => {
  const s = parseBgpSummary(fixture('8.4.4/host-summary-policy.json'));
  if (!s.ok) return t.fail(s.error);
  const r2 = s.peers.find((p) => p.address === '192.168.100.21');
  t.is(r2?.state, 'Established');
  t.false(r2 !== undefined && isEstablished(r2));
});

test('an empty object (no BGP instance) gives no peers; garbage gives an error', (t) => {
  t.deepEqual(parseBgpSummary('{}'), { ok: true, routerId: null, asn: null, peers: [] });
  const bad = parseBgpSummary('% BGP instance not found\n');
  t.false(bad.ok);
  t.regex(bad.ok ? '' : bad.error, /BGP instance not found/);
});
