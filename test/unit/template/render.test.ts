import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { renderTemplate, renderValue } from '../../../src/template/render.js';

const vars = {
  bgp_asn: 65000,
  routers: ['192.168.100.20', '192.168.100.21'],
  bfd: true,
  name: 'r1',
  peer: { ip: '10.0.0.1' },
  nothing: null,
};

test('a string that is exactly one {{ expr }} keeps the native type', (t) => {
  t.is(renderValue('{{ bgp_asn }}', vars), 65000);
  t.deepEqual(renderValue('{{ routers }}', vars), vars.routers);
  t.is(renderValue('{{ bfd }}', vars), true);
  t.deepEqual(renderValue('{{ peer }}', vars), { ip: '10.0.0.1' });
  t.is(renderValue('{{ nothing }}', vars), null);
  t.is(renderValue('{{ routers | length }}', vars), 2);
});

test('other strings interpolate like Python str()', (t) => {
  t.is(renderValue('router bgp {{ bgp_asn }}', vars), 'router bgp 65000');
  t.is(renderValue('{{ name }}-{{ bgp_asn }}', vars), 'r1-65000');
  t.is(renderValue('bfd={{ bfd }} x={{ nothing }}', vars), 'bfd=True x=None');
  t.is(renderValue('peers: {{ routers }}', vars), "peers: ['192.168.100.20', '192.168.100.21']");
  t.is(renderValue(' {{ bgp_asn }}', vars), ' 65000');
  t.is(renderValue('no templates here', vars), 'no templates here');
});

test('renders recursively through lists and mappings; omit drops a key', (t) => {
  const args = { dest: '/etc/frr/{{ name }}.conf', mode: '0644', peers: ['{{ routers[0] }}', 'x'], opt: '{{ nope | default(omit) }}', n: 5 };
  t.deepEqual(renderValue(args, vars), { dest: '/etc/frr/r1.conf', mode: '0644', peers: ['192.168.100.20', 'x'], n: 5 });
});

test('variables that are templates are rendered when used, with a loop check', (t) => {
  const v = { a: '{{ b }}-x', b: '{{ c | upper }}', c: 'deep', list: ['{{ c }}'], self: '{{ self }}' };
  t.is(renderValue('{{ a }}', v), 'DEEP-x');
  t.deepEqual(renderValue('{{ list }}', v), ['deep']);
  t.throws(() => renderValue('{{ self }}', v), { message: "recursive loop detected in variable 'self'" });
});

test('dict literals and }} inside strings', (t) => {
  t.deepEqual(renderValue("{{ {'a': {'b': 1}} }}", vars), { a: { b: 1 } });
  t.is(renderValue("{{ '}}' }}", vars), '}}');
});

test('whitespace control, comments and raw blocks', (t) => {
  t.is(renderValue('a   {{- name -}}   b', vars), 'ar1b');
  t.is(renderValue('a{# note #}b', vars), 'ab');
  t.is(renderValue('{% raw %}{{ name }}{% endraw %}', vars), '{{ name }}');
});

test('an undefined variable is a TemplateError naming it, with the template kept', (t) => {
  const err = t.throws(() => renderValue({ dest: '/etc/{{ missing }}.conf' }, vars), { instanceOf: TemplateError });
  t.is(err!.message, "undefined variable 'missing'");
  t.is(err!.template, '/etc/{{ missing }}.conf');
  t.is(err!.kind, 'failed');
  t.throws(() => renderValue('{{ [1, missing] }}', vars), { message: "undefined variable 'missing'" });
  t.throws(() => renderValue('{{ peer.port }}', vars), { message: "'peer' has no attribute 'port'" });
});

test('template syntax errors are one-line parse errors', (t) => {
  for (const bad of ['{{ name ', '{{ }}', '{{ name | }}', '{% if x %}y{% endif %}', '{# open']) {
    const err = t.throws(() => renderValue(bad, vars), { instanceOf: TemplateError }, bad);
    t.is(err!.kind, 'parse', bad);
    t.false(err!.message.includes('\n'), bad);
  }
  t.throws(() => renderValue('{% if x %}y{% endif %}', vars), { message: /Jinja statements \(\{% %\}\) are not supported/ });
});

test('renderTemplate renders one string', (t) => {
  t.is(renderTemplate('{{ bgp_asn + 1 }}', vars), 65001);
});
