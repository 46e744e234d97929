/**
 * The rendered rules.v4: the key rules per egress policy, and `iptables-restore --test` (the
 * template task's own check) run inside a network namespace this test creates and deletes, so
 * the controller's own firewall is never touched. Needs root and iptables on the controller.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { labVars, render } from './render.js';

const rules = (vars: Record<string, unknown> = {}) => render({ role: 'router', template: 'rules.v4.ejs', vars: { ...labVars('r1'), ...vars } }).split('\n');

function restoreTest(text: string): { ok: boolean; output: string } {
  const ns = `prov-roles-test-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'iptables-restore', '--test'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
    return { ok: true, output: '' };
  } catch (err) {
    const e = err as { stderr?: Buffer };
    return { ok: false, output: e.stderr?.toString() ?? String(err) };
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

test('allow_all: NAT out of the upstream, BGP/BFD only from the listen range, egress accepted', (t) => {
  const r = rules();
  for (const l of [
    '-A POSTROUTING -o ens7 -j MASQUERADE',
    '-A INPUT -s 192.168.100.96/27 -p tcp --dport 179 -m ttl --ttl-lt 255 -j DROP',
    '-A INPUT -s 192.168.100.96/27 -p tcp --dport 179 -j ACCEPT',
    '-A INPUT -p tcp --dport 179 -j DROP',
    '-A INPUT -s 192.168.100.96/27 -p udp -m multiport --dports 3784,3785 -j ACCEPT',
    '-A INPUT -p udp -m multiport --dports 3784,3785 -j DROP',
    '-A FORWARD -i ens6 -s 192.168.100.0/24 -o ens7 -j PROV-EGRESS',
    '-A PROV-EGRESS -j ACCEPT',
    '-A PROV-EGRESS-DENIED -j DROP',
  ]) {
    t.true(r.includes(l), l);
  }
  // GTSM before the listen range's accept: a BGP segment with TTL < 255 is dropped first.
  t.true(
    r.indexOf('-A INPUT -s 192.168.100.96/27 -p tcp --dport 179 -m ttl --ttl-lt 255 -j DROP') <
      r.indexOf('-A INPUT -s 192.168.100.96/27 -p tcp --dport 179 -j ACCEPT'),
  );
  t.false(r.some((l) => l.includes('REDIRECT')));
  const check = restoreTest(r.join('\n'));
  t.true(check.ok, check.output);
});

test('allow_list: one ACCEPT per entry, the rest counted and dropped', (t) => {
  const r = rules({
    egress_policy: 'allow_list',
    egress_allow: [
      { cidr: '203.0.113.0/24', proto: 'tcp', ports: [80, 443] },
      { cidr: '198.51.100.53/32', proto: 'udp', ports: '53' },
      { cidr: '198.51.100.0/24', proto: 'icmp' },
    ],
  });
  const egress = r.filter((l) => l.startsWith('-A PROV-EGRESS '));
  t.deepEqual(egress, [
    '-A PROV-EGRESS -d 203.0.113.0/24 -p tcp -m multiport --dports 80,443 -j ACCEPT',
    '-A PROV-EGRESS -d 198.51.100.53/32 -p udp -m multiport --dports 53 -j ACCEPT',
    '-A PROV-EGRESS -d 198.51.100.0/24 -p icmp -j ACCEPT',
    '-A PROV-EGRESS -j PROV-EGRESS-DENIED',
  ]);
  const check = restoreTest(r.join('\n'));
  t.true(check.ok, check.output);
});

test('squid on: web traffic from the subnet is redirected to the proxy ports', (t) => {
  const r = rules({ squid_enabled: true });
  t.true(r.includes('-A PREROUTING -i ens6 -s 192.168.100.0/24 -p tcp --dport 80 -j REDIRECT --to-ports 3129'));
  t.true(r.includes('-A PREROUTING -i ens6 -s 192.168.100.0/24 -p tcp --dport 443 -j REDIRECT --to-ports 3130'));
  const check = restoreTest(r.join('\n'));
  t.true(check.ok, check.output);
});

// A bad allow-list entry is refused by the role's assert (role-asserts.test.ts).
test('a bad CIDR fails iptables-restore --test', (t) => {
  const check = restoreTest(rules({ egress_policy: 'allow_list', egress_allow: [{ cidr: '10.0.0.300/8' }] }).join('\n'));
  t.false(check.ok);
});
