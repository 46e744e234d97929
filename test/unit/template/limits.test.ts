import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { MAX_LIST_ITEMS, MAX_STRING_CHARS } from '../../../src/template/limits.js';
import { evaluate, renderValue } from '../../../src/template/render.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { makeProject } from '../../helpers/project.js';
import { runOnFakes } from '../../helpers/runner.js';

/**
 * The expression engine's allocation limits: a huge range, list or string repetition fails with
 * a one-line error naming the limit, quickly, instead of exhausting the controller's memory.
 */
const LIST_LIMIT = /over the limit of 1000000 items per list$/;
const STRING_LIMIT = /over the limit of 10000000 characters per string$/;

/** Fails with `message`; `quick`: before allocating anything (the bounded walks below take seconds on a loaded machine). */
function fails(t: import('ava').ExecutionContext, expr: string, message: RegExp, vars: Record<string, unknown> = {}, quick = true): void {
  const started = Date.now();
  const err = t.throws(() => evaluate(expr, vars), { instanceOf: TemplateError }, expr);
  t.regex(err!.message, message, expr);
  t.is(err!.kind, 'failed');
  t.false(err!.message.includes('\n'));
  if (quick) t.true(Date.now() - started < 2000, `${expr} took ${Date.now() - started} ms`);
}

test('the limits are 1,000,000 items per list and 10,000,000 characters per string', (t) => {
  t.is(MAX_LIST_ITEMS, 1_000_000);
  t.is(MAX_STRING_CHARS, 10_000_000);
});

test('a huge range() fails naming the limit', (t) => {
  fails(t, 'range(1000000000) | length', /^range\(1000000000\) would make a list of 1000000000 items, over the limit of 1000000 items per list$/);
  fails(t, 'range(0, 2000000000, 2)', LIST_LIMIT);
  fails(t, 'range(0, n)', LIST_LIMIT, { n: Infinity });
});

test('list repetition and concatenation fail naming the limit', (t) => {
  fails(t, '[1]*1e9', /^'\*' repeating a list 1000000000 times would make a list of 1000000000 items, over the limit/);
  fails(t, '[1, 2] * 600000', LIST_LIMIT);
  fails(t, 'big + big', LIST_LIMIT, { big: new Array(600_000).fill(0) });
});

test('string repetition, concatenation and join fail naming the limit', (t) => {
  fails(t, "'x' * 1e9", /^'\*' repeating a string 1000000000 times would make a string of 1000000000 characters, over the limit/);
  fails(t, "('x' * 6000000) ~ ('y' * 6000000)", STRING_LIMIT);
  fails(t, "('x' * 6000000) + ('y' * 6000000)", STRING_LIMIT);
  fails(t, "[s, s] | join(',')", STRING_LIMIT, { s: 'x'.repeat(6_000_000) });
  fails(t, "s | replace('x', 'yy')", STRING_LIMIT, { s: 'x'.repeat(6_000_000) }, false);
  fails(t, "s | regex_replace('x', 'yy')", STRING_LIMIT, { s: 'x'.repeat(6_000_000) }, false);
});

test('a list holding one big list many times cannot be flattened, printed or serialised past the limits', (t) => {
  const inner = new Array(1000).fill(7);
  const outer = new Array(100_000).fill(inner);
  fails(t, 'outer | flatten', /^filter 'flatten' would make a list of \d+ items, over the limit/, { outer }, false);
  fails(t, 'outer | string', STRING_LIMIT, { outer }, false);
  fails(t, 'outer | to_json', /^filter 'to_json' would make a string/, { outer }, false);
});

test('a template string built from big values fails naming the limit', (t) => {
  const err = t.throws(() => renderValue('{{ s }}{{ s }}', { s: 'x'.repeat(6_000_000) }), { instanceOf: TemplateError });
  t.regex(err!.message, STRING_LIMIT);
});

test('values within the limits still work', (t) => {
  t.is(evaluate('range(1000000) | length', {}), 1_000_000);
  t.is(evaluate("('x' * 10000000) | length", {}), 10_000_000);
  t.deepEqual(evaluate('[1, 2] * 2', {}), [1, 2, 1, 2]);
  t.deepEqual(evaluate('range(5, 0, -2)', {}), [5, 3, 1]);
  t.is(evaluate("'a.b.c' | replace('.', '::')", {}), 'a::b::c');
  t.is(evaluate("'a.b.c'.replace('.', '-', 1)", {}), 'a-b.c');
  t.is(evaluate("'aXbX' | regex_replace('(X)', '<$1>')", {}), 'a<X>b<X>');
  t.deepEqual(evaluate('[1, [2, [3]]] | flatten(1)', {}), [1, 2, [3]]);
  t.is(evaluate("'-'.join(['a', 'b'])", {}), 'a-b');
});

test('a loop over a huge range fails the task with the limit, and the run goes on to its recap', async (t) => {
  const p = await makeProject({
    'inventory.yml': 'all:\n  hosts:\n    r1:\n',
    'site.yml': `
- hosts: all
  tasks:
    - name: huge loop
      debug: { msg: "{{ item }}" }
      loop: "{{ range(1000000000) }}"
`,
  });
  t.teardown(p.remove);
  const started = Date.now();
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { r1: new FakeMachine({ dirs: ['/etc'] }) });
  t.is(run.result.exitCode, 2);
  t.is(run.result.stats['r1']!.failed, 1);
  const failed = run.reporter.results.find((r) => r.task === 'huge loop')!.result;
  t.is(failed.status, 'failed');
  t.regex(failed.msg ?? '', /range\(1000000000\) would make a list of 1000000000 items, over the limit of 1000000 items per list/);
  t.true(Date.now() - started < 10_000);
});

test('big values that the engine only passes on are not limited: the limits are on what it builds', (t) => {
  const stdout = 'x'.repeat(MAX_STRING_CHARS + 10);
  t.is((evaluate("r.stdout | default('')", { r: { stdout } }) as string).length, MAX_STRING_CHARS + 10);
  t.is((renderValue('{{ r.stdout }}', { r: { stdout } }) as string).length, MAX_STRING_CHARS + 10);
});
