import test from 'ava';
import { verifyRouter } from '../../../src/verify/router-checks.js';
import { natConnectionCount, verifySpread } from '../../../src/verify/traffic-checks.js';
import { chainPackets, parseIptablesRules } from '../../../src/verify/iptables.js';
import { fixture, ok } from './fixtures.js';

const expect = { hosts: [{ name: 'host', address: '192.168.100.100' }], upstreamInterface: 'ens7' };
const healthy = (version: string) => ({
  bgpSummary: ok(fixture(`${version}/router-summary-healthy.json`)),
  ipForward: ok('1\n'),
  natRules: ok(fixture('iptables-nat-postrouting.txt')),
});

for (const version of ['7.5.1', '8.4.4']) {
  test(`healthy router (FRR ${version}): every check passes`, (t) => {
    t.deepEqual(
      verifyRouter(healthy(version), expect).filter((r) => !r.ok),
      [],
    );
  });
}

test('a host without a session, forwarding off and no NAT rule are each reported', (t) => {
  const results = verifyRouter(
    {
      bgpSummary: ok(fixture('8.4.4/router-summary-healthy.json')),
      ipForward: ok('0\n'),
      natRules: ok('-P POSTROUTING ACCEPT -c 0 0\n-A POSTROUTING -o ens8 -c 1 60 -j MASQUERADE\n'),
    },
    { hosts: [...expect.hosts, { name: 'host2', address: '192.168.100.101' }], upstreamInterface: 'ens7' },
  );
  t.deepEqual(
    results.map((r) => [r.check, r.ok]),
    [
      ['bgp sessions', false],
      ['forwarding', false],
      ['nat rule', false],
    ],
  );
  t.regex(results[0]!.detail, /host2 \(192\.168\.100\.101\)/);
});

test('iptables -v -S: counters are read and removed from the rule spec', (t) => {
  const rules = parseIptablesRules(fixture('iptables-nat-postrouting.txt'));
  t.deepEqual(rules, [{ chain: 'POSTROUTING', spec: '-o ens7 -j MASQUERADE', packets: 37, bytes: 2220 }]);
  t.is(chainPackets(parseIptablesRules('-N PROV-EGRESS-DENIED\n-A PROV-EGRESS-DENIED -c 5 300 -j DROP\n'), 'PROV-EGRESS-DENIED'), 5);
});

test('traffic spread: passes when every router NATed new connections, names the idle one otherwise', (t) => {
  const count = natConnectionCount(fixture('iptables-nat-postrouting.txt'), 'ens7');
  t.is(count, 37);
  t.true(verifySpread({ r1: 37, r2: 10 }, { r1: 60, r2: 31 }).ok);
  const idle = verifySpread({ r1: 37, r2: 10 }, { r1: 80, r2: 10 });
  t.false(idle.ok);
  t.regex(idle.detail, /through r2 \(r1=43 r2=0\)/);
});
