import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { asHostData } from '../../../src/template/host-data.js';
import { renderJinja } from '../../../src/template/jinja.js';
import { MAX_STRING_CHARS } from '../../../src/template/limits.js';
import { renderTemplateFile } from '../../../src/template/template-file.js';

const file = 'roles/demo/templates/app.conf.j2';

function errorOf(template: string, vars: Record<string, unknown> = {}, options = {}): TemplateError {
  const err = (() => {
    try {
      renderJinja(template, vars, file, options);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  if (!(err instanceof TemplateError)) throw new Error(`expected a TemplateError, got ${String(err)}`);
  return err;
}

test('statements that prov does not implement are errors naming the file and line', (t) => {
  for (const tag of [
    'macro m()',
    'extends "base.j2"',
    'import "m.j2" as m',
    'from "m.j2" import m',
    'block body',
    'filter upper',
    'with a = 1',
    'call m()',
    'autoescape true',
    'break',
    'do x',
  ]) {
    const err = errorOf(`line one\n{% ${tag} %}\n`);
    t.is(
      err.message,
      `${file}:2: the Jinja statement '{% ${tag.split(' ')[0]} %}' is not supported (prov supports if/elif/else, for/else, set, raw and {# comments #})`,
    );
    t.is(err.kind, 'parse');
  }
  t.is(errorOf('{% for x in xs recursive %}{% endfor %}').message, `${file}:1: recursive loops ('{% for ... recursive %}') are not supported`);
  t.regex(errorOf('{% set ns.x = 1 %}').message, /^roles\/demo\/templates\/app\.conf\.j2:1: .*namespace\(\), is not supported/);
});

test('unbalanced statements are errors naming the line of the statement', (t) => {
  t.is(errorOf('a\n\n{% if x %}\nb\n').message, `${file}:3: '{% if %}' is never closed (missing '{% endif %}')`);
  t.is(errorOf('{% for x in y %}\n{% else %}').message, `${file}:1: '{% for %}' is never closed (missing '{% endfor %}')`);
  t.is(errorOf('a\n{% endif %}').message, `${file}:2: unexpected '{% endif %}'`);
  t.is(errorOf('{% if a %}{% endfor %}').message, `${file}:1: unexpected '{% endfor %}'`);
  t.is(errorOf('{% raw %}x').message, `${file}:1: missing end of raw directive '{% endraw %}'`);
  t.is(errorOf('x\n{# never closed').message, `${file}:2: missing end of comment tag #}`);
  t.is(errorOf('{% for x %}{% endfor %}').message, `${file}:1: '{% for %}' needs 'in': {% for x in items %}`);
  t.is(errorOf('{% if %}{% endif %}').message, `${file}:1: syntax error: empty expression in '{% if %}'`);
});

test('errors while rendering name the file and the line, after a #jinja2: header too', (t) => {
  t.is(errorOf('a\n{{ nope }}\n').message, `${file}:2: undefined variable 'nope'`);
  t.is(errorOf('a\n{% if nope %}{% endif %}').message, `${file}:2: undefined variable 'nope'`);
  t.is(errorOf('#jinja2: trim_blocks: False\n{{ 1 // 0 }}').message, `${file}:2: division by zero`);
  t.is(errorOf('{% for a, b in [[1]] %}{% endfor %}').message, `${file}:1: not enough values to unpack (expected 2, got 1)`);
  t.is(errorOf('{% for a in 3 %}{% endfor %}').message, `${file}:1: 'int' object is not iterable`);
  t.is(
    errorOf('#jinja2: newline_sequence: "\\r\\n"\nx').message,
    `${file}:1: the jinja2 override 'newline_sequence' is not supported (prov supports trim_blocks, lstrip_blocks, keep_trailing_newline)`,
  );
  t.is(errorOf('{% for i in range(3) %}{% set x = i %}{% endfor %}{{ x }}').message, `${file}:1: undefined variable 'x'`, 'a set inside a for does not leak');
});

test('variables holding templates are rendered; data from machines is never rendered', (t) => {
  const vars = {
    secret: 'hunter2',
    greeting: 'hello {{ secret }}',
    r: asHostData({ stdout: '{{ secret }}' }),
    f: asHostData('{% if true %}{{ secret }}{% endif %}'),
  };
  t.is(
    renderJinja('{{ greeting }}\n{{ r.stdout }}\n{% set s = r.stdout %}{{ s }} {{ f }}\n', vars, file),
    'hello hunter2\n{{ secret }}\n{{ secret }} {% if true %}{{ secret }}{% endif %}\n',
  );
  t.is(renderJinja('{% for line in [r.stdout] %}{{ line }}{% endfor %}', vars, file), '{{ secret }}');
});

test('the output is bounded by the string limit, and a render by the time limit', (t) => {
  const big = 'x'.repeat(MAX_STRING_CHARS / 2);
  t.regex(
    errorOf('{% for i in range(3) %}{{ big }}{% endfor %}', { big }).message,
    /^roles\/demo\/templates\/app\.conf\.j2:1: the output would make a string of \d+ characters, over the limit/,
  );
  const slow = errorOf('{% for a in range(1000000) %}{% for b in range(1000000) %}{% endfor %}{% endfor %}', {}, { timeoutMs: 200 });
  t.is(slow.message, `${file}: rendering took longer than 200 ms and was stopped (the limit is PROV_TEMPLATE_TIMEOUT_MS, default 10000)`);
});

test('.ejs files stay EJS; every other name is Jinja2', (t) => {
  t.is(renderTemplateFile('<%= x %> {{ x }}', { x: 1 }, 'a.conf.ejs'), '1 {{ x }}');
  t.is(renderTemplateFile('<%= x %> {{ x }}', { x: 1 }, 'a.conf.j2'), '<%= x %> 1');
  t.is(renderTemplateFile('{% if x %}yes{% endif %}', { x: 1 }, 'a.conf'), 'yes');
});

test('{% include %} is an error only where it is reached (a branch not taken renders)', (t) => {
  t.is(renderJinja("a\n{% if false %}{% include 'x.j2' %}{% endif %}b", {}, 't.j2'), 'a\nb');
  t.throws(() => renderJinja("{% include 'x.j2' %}", {}, 't.j2'), { message: /t\.j2:1: .*'\{% include %\}' is not supported by prov/ });
});
