import test from 'ava';
import { ProvError } from '../../../src/core/errors.js';
import { jsonDocument } from '../../../src/report/json.js';
import { recapLines } from '../../../src/report/recap.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { makeProject } from '../../helpers/project.js';
import { runOnFakes } from '../../helpers/runner.js';

const INVENTORY = `
all:
  vars:
    greeting: hello
  children:
    routers:
      hosts:
        r1:
        r2:
    hosts:
      hosts:
        h1:
`;

const PROJECT = {
  'inventory.yml': INVENTORY,
  'site.yml': `
- hosts: all
  roles: [demo, extra]
`,
  'roles/demo/defaults/main.yml': 'demo_port: 80\n',
  'roles/demo/tasks/main.yml': `
- name: write motd
  copy:
    dest: /etc/motd
    content: "{{ greeting }} from {{ inventory_hostname }}\\n"
  notify: restart demo
  tags: [motd]
- name: config dir
  file: { path: /etc/demo, state: directory, mode: "0755" }
  tags: [conf]
- name: config
  template: { src: demo.conf.ejs, dest: /etc/demo/demo.conf, mode: "0640" }
  notify: restart demo
  tags: [conf]
`,
  'roles/demo/templates/demo.conf.ejs': 'port = <%= demo_port %>\nhost = <%= inventory_hostname %>\n',
  'roles/demo/handlers/main.yml': `
- name: restart demo
  command: systemctl restart demo
`,
  'roles/extra/tasks/main.yml': `
- name: extra file
  copy: { dest: /etc/extra, content: "x\\n" }
`,
};

function machines(): Record<string, FakeMachine> {
  const m = () => new FakeMachine({ dirs: ['/etc'] });
  return { r1: m(), r2: m(), h1: m() };
}

async function project(t: { teardown: (fn: () => Promise<void>) => void }, overrides: Record<string, string> = {}) {
  const p = await makeProject({ ...PROJECT, ...overrides });
  t.teardown(p.remove);
  return p;
}

test('first apply changes every host, handlers run once per host, second apply changes nothing', async (t) => {
  const p = await project(t);
  const m = machines();
  const first = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.is(first.result.exitCode, 0);
  for (const host of ['r1', 'r2', 'h1']) {
    t.deepEqual(first.result.stats[host], { ok: 5, changed: 5, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
    t.is(m[host]!.files.get('/etc/motd')?.content, `hello from ${host}\n`);
    t.is(m[host]!.files.get('/etc/demo/demo.conf')?.content, `port = 80\nhost = ${host}\n`);
    t.is(m[host]!.files.get('/etc/demo/demo.conf')?.mode, '0640');
    t.deepEqual(m[host]!.executed.filter((c) => c.includes('systemctl restart demo')).length, 1);
  }
  const second = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  for (const host of ['r1', 'r2', 'h1']) {
    t.is(second.result.stats[host]!.changed, 0);
    t.is(m[host]!.executed.filter((c) => c.includes('systemctl restart demo')).length, 1, 'handler did not run again');
  }
  t.false(second.reporter.events.some((e) => e.startsWith('handler')));
});

test('check mode writes nothing and predicts exactly the tasks a real apply changes', async (t) => {
  const p = await project(t);
  const m = machines();
  const check = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m, { check: true });
  t.is(check.result.exitCode, 0);
  for (const host of ['r1', 'r2', 'h1']) {
    t.is(m[host]!.files.size, 0, 'no file written');
    t.false(m[host]!.dirs.has('/etc/demo'), 'no directory made');
    t.deepEqual(m[host]!.executed, [], 'no command run');
  }
  // The template goes into a directory that only the earlier task would create: a change, not an error.
  t.is(check.reporter.statusOf('config', 'r1'), 'changed');
  const real = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  const changedIn = (run: typeof real) =>
    run.reporter.results
      .filter((r) => r.result.status === 'changed')
      .map((r) => `${r.result.host}/${r.task}`)
      .sort();
  // Including the handler: a command check mode cannot run is predicted as changed, as the real run reports it.
  t.true(changedIn(check).includes('r1/restart demo'));
  t.deepEqual(changedIn(check), changedIn(real));
  t.is(check.result.stats.r1!.changed, real.result.stats.r1!.changed);
});

test('check mode after a variable change reports the template diff and changes nothing', async (t) => {
  const p = await project(t);
  const m = machines();
  await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  const before = m.r1!.files.get('/etc/demo/demo.conf')!.content;
  const check = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m, { check: true, diff: true, extraVars: { demo_port: 8080 } });
  t.is(m.r1!.files.get('/etc/demo/demo.conf')!.content, before);
  const config = check.reporter.results.find((r) => r.task === 'config' && r.result.host === 'r1')!.result;
  t.is(config.status, 'changed');
  t.is(config.diffs[0]?.before, 'port = 80\nhost = r1\n');
  t.is(config.diffs[0]?.after, 'port = 8080\nhost = r1\n');
  t.is(check.result.stats.r1!.changed, 2, 'the template and the handler it notifies');
});

test('--limit, --tags and --role select hosts and tasks', async (t) => {
  const p = await project(t);
  const m = machines();
  const limited = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m, { limit: 'all:!r2:!h1' });
  t.deepEqual(Object.keys(limited.result.stats), ['r1']);
  t.is(m.r2!.files.size, 0);
  const m2 = machines();
  const tagged = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m2, { tags: ['conf'] });
  t.true(m2.r1!.files.has('/etc/demo/demo.conf'));
  t.false(m2.r1!.files.has('/etc/motd'));
  t.false(m2.r1!.files.has('/etc/extra'));
  t.is(tagged.result.stats.r1!.changed, 3, 'two conf tasks and the handler');
  const m3 = machines();
  await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m3, { roles: ['extra'] });
  t.true(m3.h1!.files.has('/etc/extra'));
  t.false(m3.h1!.files.has('/etc/motd'));
  const m4 = machines();
  await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m4, { skipTags: ['motd'] });
  t.false(m4.h1!.files.has('/etc/motd'));
  t.true(m4.h1!.files.has('/etc/extra'));
});

test('a failed host stops its own tasks and the others go on; exit code 2', async (t) => {
  const p = await project(t, {
    'roles/extra/tasks/main.yml': `
- name: break r1
  fail: { msg: "r1 is broken" }
  when: inventory_hostname == 'r1'
- name: extra file
  copy: { dest: /etc/extra, content: "x\\n" }
`,
  });
  const m = machines();
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.is(run.result.exitCode, 2);
  t.is(run.result.stats.r1!.failed, 1);
  t.false(m.r1!.files.has('/etc/extra'));
  t.true(m.r2!.files.has('/etc/extra'));
  t.is(run.reporter.statusOf('break r1', 'r2'), 'skipped');
  t.true(run.reporter.results.find((r) => r.result.host === 'r1' && r.task === 'break r1')!.result.msg!.includes('r1 is broken'));
  // handlers still run on the hosts that did not fail, not on the failed one
  t.is(m.r1!.executed.filter((c) => c.includes('restart demo')).length, 0);
  t.is(m.r2!.executed.filter((c) => c.includes('restart demo')).length, 1);
});

test('an unreachable host is a per-host result; the others complete; exit code 3', async (t) => {
  const p = await project(t);
  const m = machines();
  delete (m as Record<string, FakeMachine | undefined>).h1;
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.is(run.result.exitCode, 3);
  t.is(run.result.stats.h1!.unreachable, 1);
  t.is(run.result.stats.r1!.failed, 0);
  t.true(m.r1!.files.has('/etc/extra'));
  t.true(run.reporter.events.some((e) => e.startsWith('unreachable h1') && e.includes('connection refused')));
});

// Checked with ansible-playbook 2.14: when every host of a play (or of a serial batch) failed or
// was unreachable, the playbook ends there ("NO MORE HOSTS LEFT"); later plays never run.
test('the playbook stops when every host of a play is unreachable: later plays do not run', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: hosts
  roles: [extra]
- hosts: routers
  roles: [demo]
`,
  });
  const m = machines();
  delete (m as Record<string, FakeMachine | undefined>).h1;
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.false(m.r1!.files.has('/etc/motd'));
  t.regex(run.result.aborted ?? '', /no host of the play is left \(h1: unreachable\)/);
  t.is(run.result.exitCode, 3);
});

test('a serial batch whose hosts are all unreachable stops the rollout before the next batch', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: routers
  serial: 1
  tasks:
    - name: one
      copy: { dest: /etc/one, content: "1\\n" }
`,
  });
  const m = machines();
  delete (m as Record<string, FakeMachine | undefined>).r1;
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.false(m.r2!.files.has('/etc/one'));
  t.regex(run.result.aborted ?? '', /no host of the serial batch is left \(r1: unreachable\)/);
  t.is(run.result.exitCode, 3);
});

test('a serial batch whose hosts all failed stops the rollout before the next batch', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: routers
  serial: 1
  tasks:
    - name: break r1
      fail: { msg: boom }
      when: inventory_hostname == 'r1'
    - name: one
      copy: { dest: /etc/one, content: "1\\n" }
`,
  });
  const m = machines();
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.false(m.r2!.files.has('/etc/one'));
  t.regex(run.result.aborted ?? '', /r1: failed/);
  t.is(run.result.exitCode, 2);
});

test('any_errors_fatal stops the play for every host', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: all
  any_errors_fatal: true
  tasks:
    - name: break r1
      fail: { msg: boom }
      when: inventory_hostname == 'r1'
    - name: after
      copy: { dest: /etc/after, content: "x\\n" }
`,
  });
  const m = machines();
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.false(m.r2!.files.has('/etc/after'));
  t.regex(run.result.aborted ?? '', /any_errors_fatal/);
  t.is(run.result.exitCode, 2);
});

test('max_fail_percentage stops the play when too many hosts fail', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: all
  max_fail_percentage: 20
  tasks:
    - name: break r1
      fail: { msg: boom }
      when: inventory_hostname == 'r1'
    - name: after
      copy: { dest: /etc/after, content: "x\\n" }
`,
  });
  const m = machines();
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.false(m.h1!.files.has('/etc/after'));
  t.regex(run.result.aborted ?? '', /max_fail_percentage/);
});

test('serial runs hosts in batches, one batch after another', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: routers
  serial: 1
  tasks:
    - name: one
      copy: { dest: /etc/one, content: "1\\n" }
    - name: two
      copy: { dest: /etc/two, content: "2\\n" }
`,
  });
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), machines());
  const order = run.reporter.events.filter((e) => /^r\d (one|two) /.test(e));
  t.deepEqual(order, ['r1 one changed', 'r1 two changed', 'r2 one changed', 'r2 two changed']);
});

test('no_log hides values from messages, diffs, registered results and JSON', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: r1
  vars:
    secret: s3cr3t-value
  tasks:
    - name: write secret
      copy: { dest: /etc/secret, content: "password {{ secret }}\\n" }
      no_log: true
    - name: fail with secret
      fail: { msg: "bad {{ secret }}" }
      no_log: true
`,
  });
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), machines(), { diff: true });
  const text = JSON.stringify(jsonDocument(run.result)) + JSON.stringify(run.reporter.results) + run.reporter.events.join('\n');
  t.false(text.includes('s3cr3t-value'));
  t.is(run.result.stats.r1!.failed, 1);
});

test('register, changed_when, failed_when and loop', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: r1
  tasks:
    - name: files
      copy: { dest: "/etc/{{ item }}", content: "{{ item }}\\n" }
      loop: [a, b]
      register: written
    - name: report
      set_fact:
        count: "{{ written.results | length }}"
        any_changed: "{{ written.changed }}"
    - name: assert it
      assert:
        that:
          - count | int == 2
          - any_changed
    - name: never changed
      command: echo hi
      changed_when: false
    - name: failing on purpose
      command: echo hi
      failed_when: "'hi' in stdout"
      ignore_errors: true
`,
  });
  const m = { r1: new FakeMachine({ dirs: ['/etc'], commands: [{ match: /echo hi/, respond: 'hi\n' }] }) };
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.is(m.r1.files.get('/etc/b')?.content, 'b\n');
  t.is(run.reporter.statusOf('assert it', 'r1'), 'ok');
  t.is(run.reporter.statusOf('never changed', 'r1'), 'ok');
  t.is(run.reporter.statusOf('failing on purpose', 'r1'), 'failed');
  t.is(run.result.stats.r1!.ignored, 1);
  t.is(run.result.stats.r1!.failed, 0);
  t.is(run.result.exitCode, 0);
});

test('recap lines and JSON document', async (t) => {
  const p = await project(t);
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), machines());
  t.deepEqual(recapLines(run.result.stats)[0], 'r1 : ok=5 changed=5 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0');
  const doc = jsonDocument(run.result) as {
    plays: { tasks: { task: string; hosts: Record<string, { status: string; ms: number; diff: string | null }> }[] }[];
    stats: unknown;
    exit_code: number;
  };
  const motd = doc.plays[0]!.tasks.find((x) => x.task === 'write motd')!;
  t.is(motd.hosts.r1!.status, 'changed');
  t.true(typeof motd.hosts.r1!.ms === 'number');
  t.true(motd.hosts.r1!.diff!.includes('+hello from r1'));
  t.is(doc.exit_code, 0);
});

test('meta: flush_handlers runs notified handlers at that point, once', async (t) => {
  const p = await project(t, {
    'site.yml': `
- hosts: r1
  tasks:
    - name: change
      copy: { dest: /etc/one, content: "1\\n" }
      notify: note
    - meta: flush_handlers
    - name: after flush
      copy: { dest: /etc/two, content: "2\\n" }
  handlers:
    - name: note
      command: echo handled
`,
  });
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), machines());
  const order = run.reporter.events.filter((e) => e.startsWith('r1 '));
  t.deepEqual(order, ['r1 change changed', 'r1 note changed', 'r1 after flush changed']);
});

/** A machine whose batched read fails: on a reachable host (a bad read) or because the connection is gone. */
class FailingReads extends FakeMachine {
  constructor(private readonly kind: 'failed' | 'unreachable') {
    super();
  }
  override async prefetch(): Promise<void> {
    throw new ProvError(this.kind, this.kind === 'failed' ? 'reading /etc/extra failed: permission denied' : 'h1: connection lost: reset');
  }
}

test('a failed state read fails the task on a reachable host; only a lost connection makes it unreachable', async (t) => {
  const p = await project(t);
  const bad = { ...machines(), h1: new FailingReads('failed') };
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), bad);
  t.is(run.result.stats.h1!.failed, 1);
  t.is(run.result.stats.h1!.unreachable, 0);
  t.is(run.result.exitCode, 2);
  t.true(run.reporter.results.some((r) => r.result.host === 'h1' && r.result.msg === 'reading /etc/extra failed: permission denied'));
  const lost = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { ...machines(), h1: new FailingReads('unreachable') });
  t.is(lost.result.stats.h1!.unreachable, 1);
  t.is(lost.result.stats.h1!.failed, 0);
  t.is(lost.result.exitCode, 3);
});
