import test from 'ava';
import { pyJsonDumps } from '../../../src/template/py-json.js';
import { renderEjs } from '../../../src/template/ejs.js';
import { asHostData, HostText, isHostData } from '../../../src/template/host-data.js';
import { evaluate, renderTracked, renderValue, TemplateError } from '../../../src/template/render.js';

const HOSTILE = '{{ ctl_secret }}';

/** Variables as a task sees them: controller secrets (code) and a registered result (data). */
function vars(): Record<string, unknown> {
  return {
    ctl_secret: 'hunter2',
    greeting: 'hello {{ ctl_secret }}',
    r: asHostData({ stdout: HOSTILE, stdout_lines: [HOSTILE], results: [{ stdout: HOSTILE }] }),
    f: asHostData(HOSTILE),
    via_code: '{{ r.stdout }}',
    hostvars: { h2: { r: { stdout: HOSTILE } } },
  };
}

test('a registered result is data: {{ r.stdout }} gives the text, braces and all', (t) => {
  t.is(renderValue('{{ r.stdout }}', vars()), HOSTILE);
  t.is(renderValue('{{ r.stdout_lines[0] }}', vars()), HOSTILE);
  t.is(renderValue('{{ r.results[0].stdout }}', vars()), HOSTILE);
  t.is(renderValue('{{ f }}', vars()), HOSTILE);
  t.is(renderValue('{{ r.stdout ~ "x" }}', vars()), `${HOSTILE}x`);
  t.is(renderValue('{{ r | to_json }}', vars()), pyJsonDumps({ stdout: HOSTILE, stdout_lines: [HOSTILE], results: [{ stdout: HOSTILE }] }));
  t.is(renderValue('{{ via_code }}', vars()), HOSTILE, 'a code variable that reads host data does not render it');
  t.is(renderValue('{{ hostvars.h2.r.stdout }}', vars()), HOSTILE);
});

test('variables from the inventory and playbooks are still rendered lazily', (t) => {
  t.deepEqual(renderTracked('{{ greeting }}', vars()), { value: 'hello hunter2', fromHost: false });
});

test('renderTracked says when a result was computed from host data, through variables and caches', (t) => {
  for (const text of [
    '{{ r.stdout }}',
    '{{ r.stdout ~ "x" }}',
    '{{ r | to_json }}',
    '{{ f }}',
    '{{ via_code }}',
    '{{ hostvars.h2 }}',
    'a {{ r.stdout_lines | length }}',
  ]) {
    t.true(renderTracked(text, vars()).fromHost, text);
  }
  t.true(renderTracked(['{{ via_code }}', '{{ via_code }}'], vars()).fromHost);
  t.false(renderTracked('{{ greeting }} {{ ctl_secret }}', vars()).fromHost);
});

test('asHostData marks a copy deeply and leaves the original as it was', (t) => {
  const original = { stdout: 'x', nested: [{ a: 1 }] };
  const data = asHostData(original) as typeof original;
  t.not(data, original);
  t.false(isHostData(original));
  t.true(isHostData(data));
  t.true(isHostData(data.nested));
  t.true(isHostData(data.nested[0]));
  t.true(asHostData('s') instanceof HostText);
  t.is(JSON.stringify({ v: asHostData('s') }), '{"v":"s"}');
});

test('a condition never evaluates a string from a machine as an expression', (t) => {
  const v = { ...vars(), code_cond: "ctl_secret == 'nope'", data_cond: asHostData("ctl_secret == 'nope'"), data_false: asHostData('false') };
  t.is(
    evaluate('code_cond', v),
    "ctl_secret == 'nope'",
    'a code variable holding a string stays that (truthy) string: ansible-core 2.14 does not evaluate it again',
  );
  t.is(evaluate('data_cond', v), "ctl_secret == 'nope'", 'host data stays a (truthy) string');
  t.is(evaluate('data_false', v), false, "the word 'false' from a machine is false");
  const err = t.throws(() => evaluate('{{ r.stdout }} == 1', v), { instanceOf: TemplateError });
  t.regex(err!.message, /data from a machine/);
});

test('EJS templates see host data as plain text', (t) => {
  t.is(renderEjs('<%= f %>|<%= r.stdout %>', vars(), 'x.ejs'), `${HOSTILE}|${HOSTILE}`);
});
