import test from 'ava';
import { prov } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';
import { freePort } from '../../helpers/sshd.js';

/**
 * `prov verify` from the command line. `--limit PATTERN` (issue 9): Ansible pattern syntax as in apply; only the routers
 * and hosts it selects are contacted and checked. The nodes here point at a closed loopback port,
 * so each contacted node shows up as one failed `reachable` row at once.
 */
async function project(allVars = '') {
  const port = await freePort();
  const node = (name: string) => `        ${name}: { ansible_host: 127.0.0.1, ansible_port: ${port} }\n`;
  return makeProject({
    known_hosts: '',
    'inv.yml': `all:
  vars:
    prov_known_hosts_file: "{{ inventory_dir }}/known_hosts"
${allVars}  children:
    routers:
      hosts:
${node('r1')}${node('r2')}    hosts:
      hosts:
${node('h1')}`,
  });
}

const contacted = (stdout: string) =>
  (JSON.parse(stdout) as { checks: { node: string; check: string }[] }).checks.filter((c) => c.check === 'reachable').map((c) => c.node);

test('verify --limit contacts only the routers and hosts the pattern selects', async (t) => {
  const p = await project();
  t.teardown(p.remove);
  const all = await prov(['verify', p.path('inv.yml'), '--json', '-T', '2']);
  t.is(all.code, 3, all.stderr);
  t.deepEqual(contacted(all.stdout), ['r1', 'r2', 'h1']);
  const one = await prov(['verify', p.path('inv.yml'), '--json', '-T', '2', '--limit', 'r1']);
  t.is(one.code, 3, one.stderr);
  t.deepEqual(contacted(one.stdout), ['r1']);
  const pattern = await prov(['verify', p.path('inv.yml'), '--json', '-T', '2', '--limit', 'all:!r1']);
  t.deepEqual(contacted(pattern.stdout), ['r2', 'h1']);
});

test('verify --limit matching no host: exit 5, one line naming the flag', async (t) => {
  const p = await project();
  t.teardown(p.remove);
  const r = await prov(['verify', p.path('inv.yml'), '--limit', 'nosuchhost']);
  t.is(r.code, 5);
  const lines = r.stderr.trim().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0]!, /--limit 'nosuchhost' matches no host/);
  t.is(r.stdout, '');
});

test('verify: a verify_peer_target that is not address:port is a failed check naming the variable, never a probe', async (t) => {
  const p = await project(`    verify_peer_target: "x';touch\${IFS}pwned;echo\${IFS}'x:9"\n`);
  t.teardown(p.remove);
  const r = await prov(['verify', p.path('inv.yml'), '--json', '-T', '2']);
  const peer = (JSON.parse(r.stdout) as { checks: { check: string; ok: boolean; detail: string }[] }).checks.find((c) => c.check === 'peer subnet');
  t.like(peer, { ok: false });
  t.regex(peer?.detail ?? '', /^verify_peer_target ".*" is not address:port/);
});
