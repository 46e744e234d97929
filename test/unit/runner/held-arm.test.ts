/**
 * Commit-confirmed routing, the runner's part: arm_routing's script is held until the first task
 * that changes something (a no-op run arms and confirms nothing, no round trip), runs before that
 * change on the host's connection, and fails that task if the arm is refused.
 */
import test from 'ava';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { makeProject } from '../../helpers/project.js';
import { runOnFakes } from '../../helpers/runner.js';

const PLAYBOOK = `
- hosts: h1
  tasks:
    - name: arm
      arm_routing: { paths: [/etc/route.conf] }
    - name: look at the routes
      command: ip -4 route show
      changed_when: false
    - name: route file
      copy: { dest: /etc/route.conf, content: "new\\n" }
    - name: fail after the change
      fail: { msg: stopped }
      when: stop | default(false)
    - name: confirm
      confirm_routing: { check: ['true'] }
`;

async function project(t: import('ava').ExecutionContext) {
  const p = await makeProject({ 'inventory.yml': 'all:\n  hosts:\n    h1:\n', 'site.yml': PLAYBOOK });
  t.teardown(p.remove);
  return p;
}

test('a no-op run arms nothing and confirms nothing: only the declared read runs', async (t) => {
  const p = await project(t);
  const h1 = new FakeMachine({ files: { '/etc/route.conf': 'new\n' } });
  const { result, reporter } = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { h1 });
  t.is(result.exitCode, 0);
  t.deepEqual(h1.executed, ['ip -4 route show']);
  t.is(reporter.statusOf('arm', 'h1'), 'ok');
  const confirm = reporter.results.find((r) => r.task === 'confirm')!.result;
  t.is(confirm.msg, 'nothing changed since the arm: no rollback was armed');
  t.false(
    reporter.events.some((e) => e.startsWith('notice')),
    reporter.events.join('\n'),
  );
});

test('a change runs the held arm first, on the state before it, then confirms over a new connection', async (t) => {
  const p = await project(t);
  let seenAtArm: string | undefined;
  const h1 = new FakeMachine({
    files: { '/etc/route.conf': 'old\n' },
    commands: [{ match: 'sh -s', respond: (_c, m) => void (seenAtArm ??= m.files.get('/etc/route.conf')?.content.toString()) }],
  });
  const { result, reporter } = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { h1 });
  t.is(result.exitCode, 0, reporter.events.join('\n'));
  t.deepEqual(h1.executed, ['ip -4 route show', 'sh -s', 'sh -s'], 'read, arm, confirm');
  t.is(seenAtArm, 'old\n', 'the arm ran before the write');
  t.is(h1.files.get('/etc/route.conf')?.content.toString(), 'new\n');
  t.regex(reporter.results.find((r) => r.task === 'confirm')!.result.msg ?? '', /^confirmed over a new connection/);
});

test('a refused arm fails the changing task before it writes anything', async (t) => {
  const p = await project(t);
  const h1 = new FakeMachine({
    files: { '/etc/route.conf': 'old\n' },
    commands: [
      {
        match: 'sh -s',
        respond: {
          code: 75,
          stderr: 'a routing transaction is already pending (armed 2026-12-03T07:00:00Z): it is confirmed or rolled back within its timeout',
        },
      },
    ],
  });
  const { result, reporter } = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { h1 });
  t.is(result.exitCode, 2);
  const failed = reporter.results.find((r) => r.task === 'route file')!.result;
  t.is(failed.status, 'failed');
  t.is(
    failed.msg,
    "a routing transaction is already pending (armed 2026-12-03T07:00:00Z): it is confirmed or rolled back within its timeout (held by 'arm' until this change)",
  );
  t.is(h1.files.get('/etc/route.conf')?.content.toString(), 'old\n');
  t.false(
    reporter.events.some((e) => /not confirmed/.test(e)),
    'nothing of this run is armed',
  );
});

test('a transaction another run left pending fails the arm task itself, with nothing run', async (t) => {
  const p = await project(t);
  const h1 = new FakeMachine({ files: { '/etc/route.conf': 'old\n', '/var/lib/prov/rollback/pending': '2026-12-03T07:00:00Z\n' } });
  const { result, reporter } = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { h1 });
  t.is(result.exitCode, 2);
  t.is(reporter.statusOf('arm', 'h1'), 'failed');
  t.deepEqual(h1.executed, []);
  t.is(h1.files.get('/etc/route.conf')?.content.toString(), 'old\n');
});

test('a failure after an armed change says the host rolls back; a failure before any change says nothing', async (t) => {
  const p = await project(t);
  const changed = new FakeMachine({ files: { '/etc/route.conf': 'old\n' } });
  const a = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { h1: changed }, { extraVars: { stop: true } });
  t.is(a.result.exitCode, 2);
  t.true(
    a.reporter.events.some((e) => /h1: the routing change armed by 'arm' was not confirmed/.test(e)),
    a.reporter.events.join('\n'),
  );
  const same = new FakeMachine({ files: { '/etc/route.conf': 'new\n' } });
  const b = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { h1: same }, { extraVars: { stop: true } });
  t.is(b.result.exitCode, 2);
  t.false(
    b.reporter.events.some((e) => /not confirmed/.test(e)),
    b.reporter.events.join('\n'),
  );
  t.deepEqual(same.executed, ['ip -4 route show']);
});
