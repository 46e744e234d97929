import test from 'ava';
import type { Task } from '../../../src/playbook/types.js';
import type { HostTaskResult, TaskStatus } from '../../../src/runner/types.js';
import {
  collapsedLine,
  diffBlocks,
  listedHostLines,
  namesThatFit,
  progressLine,
  statusCounts,
  verboseHostLines,
  type TaskOutcome,
} from '../../../src/report/collapse.js';
import { ListrReporter } from '../../../src/report/listr.js';
import { TaskView } from '../../../src/report/task-view.js';

function task(name: string, o: { role?: string; module?: string } = {}): Task {
  return {
    name,
    module: o.module ?? 'copy',
    args: {},
    when: [],
    tags: [],
    notify: [],
    loopVar: 'item',
    noLog: false,
    ignoreErrors: false,
    vars: {},
    listen: [],
    origin: { file: 'site.yml', role: o.role },
  };
}

const hostNames = (n: number) => Array.from({ length: n }, (_, i) => `host${i + 1}`);

function result(host: string, status: TaskStatus, extra: Partial<HostTaskResult> = {}): HostTaskResult {
  return { host, status, diffs: [], ms: 12, ...extra };
}

/** A task on `hosts` where the given hosts got the given results and every other host was ok. */
function outcome(
  t: Task,
  hosts: string[],
  special: Record<string, Partial<HostTaskResult> & { status: TaskStatus }> = {},
  missing: string[] = [],
): TaskOutcome {
  const results = new Map<string, HostTaskResult>();
  for (const h of hosts) {
    if (missing.includes(h)) continue;
    const s = special[h];
    results.set(h, s ? result(h, s.status, s) : result(h, 'ok'));
  }
  return { task: t, handler: false, hosts, results };
}

test('a finished task collapses to one line with counts per status', (t) => {
  const o = outcome(task('write frr.conf', { role: 'host' }), hostNames(20), { host3: { status: 'changed' }, host7: { status: 'changed' } });
  t.deepEqual(collapsedLine(o), { mark: 'ok', text: 'TASK [host : write frr.conf] ok=18 changed=2' });
  t.deepEqual(collapsedLine({ ...o, handler: true }).text, 'HANDLER [host : write frr.conf] ok=18 changed=2');
});

test('counts: failures, ignored failures, unreachable and hosts that never reported, in a fixed order', (t) => {
  const o = outcome(
    task('x'),
    hostNames(8),
    {
      host1: { status: 'failed', msg: 'boom' },
      host2: { status: 'failed', msg: 'meh', ignored: true },
      host3: { status: 'unreachable', msg: 'timed out' },
      host4: { status: 'skipped' },
      host5: { status: 'changed' },
    },
    ['host8'],
  );
  t.like(statusCounts(o), { ok: 2, changed: 1, skipped: 1, failed: 1, ignored: 1, unreachable: 1, unfinished: 1 });
  t.deepEqual(collapsedLine(o), { mark: 'failed', text: 'TASK [x] ok=2 changed=1 skipped=1 failed=1 ignored=1 unreachable=1 unfinished=1' });
});

test('a task skipped on every host is marked as skipped; an ignored failure alone is not a failure', (t) => {
  const all = hostNames(3);
  const skipped = outcome(task('x'), all, Object.fromEntries(all.map((h) => [h, { status: 'skipped' as const }])));
  t.deepEqual(collapsedLine(skipped), { mark: 'skipped', text: 'TASK [x] skipped=3' });
  t.is(collapsedLine(outcome(task('x'), all, { host2: { status: 'failed', ignored: true } })).mark, 'ok');
});

test('only hosts that changed, failed or were unreachable are listed, in inventory order, with their message', (t) => {
  const o = outcome(task('x'), hostNames(20), {
    host12: { status: 'failed', msg: 'non-zero return code 1' },
    host3: { status: 'changed', msg: 'content changed' },
    host9: { status: 'unreachable', msg: 'connection refused' },
    host4: { status: 'skipped', msg: 'conditional result was false' },
  });
  t.deepEqual(listedHostLines(o), [
    'changed: [host3] content changed (12 ms)',
    'unreachable: [host9]: UNREACHABLE! connection refused',
    'fatal: [host12]: FAILED! non-zero return code 1',
  ]);
});

test('hosts with the same outcome share one line; every host of the task is said as such', (t) => {
  const hosts = hostNames(5);
  const some = outcome(task('x'), hosts, {
    host1: { status: 'changed' },
    host2: { status: 'failed', msg: 'a' },
    host4: { status: 'changed' },
    host5: { status: 'failed', msg: 'b' },
  });
  t.deepEqual(listedHostLines(some), ['changed: [host1, host4]', 'fatal: [host2]: FAILED! a', 'fatal: [host5]: FAILED! b']);
  const changedOn = (names: string[]) => outcome(task('x'), names, Object.fromEntries(names.map((h) => [h, { status: 'changed' as const, msg: 'created' }])));
  t.deepEqual(listedHostLines(changedOn(hostNames(12))), ['changed: [all 12 hosts] created']);
  t.deepEqual(listedHostLines(changedOn(hosts)), ['changed: [host1, host2, host3, host4, host5] created'], 'a few hosts are named');
  t.deepEqual(listedHostLines(outcome(task('x'), ['solo'], { solo: { status: 'changed' } })), ['changed: [solo] (12 ms)']);
});

test('ok hosts are not listed, except what a debug task printed; ignored failures are listed', (t) => {
  const quiet = outcome(task('x'), hostNames(4), { host2: { status: 'failed', msg: 'meh', ignored: true } });
  t.deepEqual(listedHostLines(quiet), ['failed (ignored): [host2]: FAILED! meh']);
  const hosts = hostNames(3);
  const debug = outcome(task('say', { module: 'debug' }), hosts, {
    host1: { status: 'ok', msg: 'drained after 13 s' },
    host2: { status: 'ok', msg: 'drained after 13 s' },
    host3: { status: 'ok', msg: 'not drained' },
  });
  t.deepEqual(listedHostLines(debug), ['ok: [host1, host2] drained after 13 s', 'ok: [host3] not drained (12 ms)']);
});

test('hosts that never reported are listed as unfinished', (t) => {
  t.deepEqual(listedHostLines(outcome(task('x'), hostNames(4), {}, ['host2', 'host4'])), ['unfinished: [host2, host4]']);
});

test('-v: a line per host, as the plain output prints it', (t) => {
  const o = outcome(task('x'), hostNames(3), { host2: { status: 'changed', msg: 'created' } });
  t.deepEqual(verboseHostLines(o), ['ok: [host1] (12 ms)', 'changed: [host2] created (12 ms)', 'ok: [host3] (12 ms)']);
});

test('a running task shows how many hosts are done and which are still busy', (t) => {
  const o = outcome(task('x'), hostNames(20), {}, ['host3', 'host7', 'host20']);
  t.is(progressLine(o, 160), 'TASK [x] 17/20 done · waiting: host3, host7, host20');
  t.is(progressLine(outcome(task('x'), hostNames(2)), 160), 'TASK [x] 2/2 done');
  const busy = outcome(task('x'), hostNames(100), {}, hostNames(100));
  const line = progressLine(busy, 80);
  t.true(line.length <= 80, line);
  t.regex(line, /^TASK \[x\] 0\/100 done · waiting: host1, host2, .* … \+\d+$/);
  const shown = line.split(': ')[1]!.split(' … ')[0]!.split(', ').length;
  t.is(Number(/\+(\d+)$/.exec(line)![1]) + shown, 100, 'the names shown and the count left add up');
});

test('namesThatFit: all names when they fit, else as many as fit and the number left', (t) => {
  t.is(namesThatFit('hosts: ', ['a', 'b'], 80), 'hosts: a, b');
  t.is(namesThatFit('hosts: ', [], 80), 'hosts: ');
  t.is(namesThatFit('h: ', ['aaaa', 'bbbb', 'cccc', 'dddd'], 20), 'h: aaaa, bbbb … +2');
});

test('diffs: each under its hosts; identical diffs once, or once per host with -v', (t) => {
  const d = (after: string) => [{ path: '/etc/x', before: 'old\n', after }];
  const o = outcome(task('x'), hostNames(3), {
    host1: { status: 'changed', diffs: d('new\n') },
    host2: { status: 'changed', diffs: d('new\n') },
    host3: { status: 'changed', diffs: d('other\n') },
  });
  const blocks = diffBlocks(o);
  t.is(blocks.length, 2);
  t.regex(blocks[0]!, /^diff: \[host1, host2\]\n--- before: \/etc\/x\n\+\+\+ after: \/etc\/x\n@@ .* @@\n-old\n\+new$/);
  t.regex(blocks[1]!, /^diff: \[host3\]\n[\s\S]*\+other$/);
  t.is(diffBlocks(o, true).length, 3);
});

test('a task view takes results only for its own hosts, once, and settles when all reported or when closed', async (t) => {
  const view = new TaskView(task('x'), ['a', 'b'], false);
  let changes = 0;
  view.onChange(() => {
    changes += 1;
  });
  view.record(result('c', 'ok'));
  view.record(result('a', 'changed'));
  t.deepEqual(view.waiting(), ['b']);
  t.false(view.finished);
  view.record(result('b', 'ok'));
  t.true(view.finished);
  await view.done;
  view.record(result('b', 'failed'));
  t.is(view.results.get('b')!.status, 'ok', 'a finished view does not change');
  t.is(changes, 2);
  const stuck = new TaskView(task('y'), ['a', 'b'], false);
  stuck.record(result('a', 'ok'));
  stuck.close();
  await stuck.done;
  t.deepEqual(stuck.waiting(), ['b']);
  t.true(new TaskView(task('z'), [], false).finished);
});

test('the terminal reporter: results land in their own task even when the screen is behind, and runEnd ends with a host that never reported', async (t) => {
  const lines: string[] = [];
  const reporter = new ListrReporter({ write: (l) => lines.push(l), diff: false, check: false, columns: () => 160 });
  const [a, b, c] = [task('first'), task('second'), task('third')];
  // All events arrive before the screen shows anything (the screen far behind), some out of order.
  reporter.playStart({ name: 'p' } as never, ['h1', 'h2']);
  reporter.taskStart(a, ['h1', 'h2'], false);
  reporter.taskStart(b, ['h1', 'h2'], false);
  reporter.hostResult(b, result('h1', 'changed'));
  reporter.hostResult(a, result('h2', 'ok'));
  reporter.hostResult(a, result('h1', 'ok'));
  reporter.hostResult(b, result('h2', 'ok'));
  reporter.taskStart(c, ['h1', 'h2'], false);
  reporter.hostResult(c, result('h1', 'ok'));
  await reporter.runEnd({ check: false, plays: [], stats: {}, exitCode: 0 });
  const text = lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  t.regex(
    text,
    /✔ TASK \[first\] ok=2\n✔ TASK \[second\] ok=1 changed=1\n {4}changed: \[h1\] \(12 ms\)\n. TASK \[third\] ok=1 unfinished=1\n {4}unfinished: \[h2\]\n\nPLAY RECAP/,
  );
});
