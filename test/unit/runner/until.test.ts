import test from 'ava';
import type { Task } from '../../../src/playbook/types.js';
import type { ItemOutcome } from '../../../src/runner/item-outcome.js';
import { retryPlan, runUntil } from '../../../src/runner/until.js';

const task = (over: Partial<Task>): Task & { until: string[] } =>
  ({
    name: 't',
    module: 'command',
    args: {},
    when: [],
    tags: [],
    notify: [],
    loopVar: 'item',
    noLog: false,
    ignoreErrors: false,
    vars: {},
    listen: [],
    origin: { file: 'site.yml' },
    until: ['r.rc == 0'],
    register: 'r',
    ...over,
  }) as Task & { until: string[] };

const outcome = (rc: number): ItemOutcome => ({ status: rc === 0 ? 'ok' : 'failed', changed: false, diffs: [], result: { rc } });

test("retryPlan: Ansible's defaults (retries 3 = 4 attempts, delay 5), retries <= 0 one attempt, negative delay 1", (t) => {
  t.deepEqual(retryPlan(task({}), {}), { attempts: 4, delay: 5 });
  t.deepEqual(retryPlan(task({ retries: 0, delay: 0 }), {}), { attempts: 1, delay: 0 });
  t.deepEqual(retryPlan(task({ retries: -2, delay: -3 }), {}), { attempts: 1, delay: 1 });
  t.deepEqual(retryPlan(task({ retries: '{{ n }}', delay: '{{ n }}' }), { n: 2 }), { attempts: 3, delay: 2 });
  t.throws(() => retryPlan(task({ retries: '{{ n }}' }), { n: 'x' }), { message: /retries must be a whole number/ });
});

test('runUntil: stops at the first attempt whose result satisfies until, which sees the registered variable', async (t) => {
  const rcs = [1, 1, 0, 0];
  const left: number[] = [];
  const o = await runUntil(
    task({ delay: 0 }),
    {},
    async () => outcome(rcs.shift()!),
    (n) => left.push(n),
  );
  t.is(o.status, 'ok');
  t.is(o.result.attempts, 3);
  t.deepEqual(left, [3, 2], 'FAILED - RETRYING with the retries left');
});

test('runUntil: exhausted, the last result failed with attempts one less than made', async (t) => {
  let made = 0;
  const o = await runUntil(task({ delay: 0, retries: 2 }), {}, async () => (made++, outcome(1)));
  t.is(made, 3);
  t.is(o.status, 'failed');
  t.is(o.result.attempts, 2);
});

test('runUntil: an attempt that throws is a failed result, and is retried', async (t) => {
  let made = 0;
  const o = await runUntil(task({ delay: 0, retries: 1, until: ['r is failed'] }), {}, async () => {
    made++;
    throw new Error('boom');
  });
  t.is(made, 1, 'the failed result satisfies `r is failed`');
  t.is(o.status, 'failed');
  t.is(o.msg, 'boom');
});

test('runUntil: retries 0 makes one attempt and does not look at until', async (t) => {
  const o = await runUntil(task({ retries: 0, until: ['undefined_var'] }), {}, async () => outcome(1));
  t.is(o.result.attempts, 1);
  t.is(o.status, 'failed');
});

test('runUntil: check mode with a command whose output is unknown is not retried', async (t) => {
  let made = 0;
  const o = await runUntil(task({ delay: 0 }), {}, async () => (made++, { ...outcome(0), status: 'changed', outputUnknown: true } as ItemOutcome));
  t.is(made, 1);
  t.is(o.status, 'changed');
});
