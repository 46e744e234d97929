import { readFileSync } from 'node:fs';
import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { renderJinja } from '../../../src/template/jinja.js';
import { evaluate, renderValue } from '../../../src/template/render.js';

/** ansible.utils' own outputs (see its _source and ipaddr-ansible-utils.gen.py). */
const oracle = JSON.parse(readFileSync(new URL('./ipaddr-ansible-utils.json', import.meta.url), 'utf8')) as {
  cases: Array<[name: string, args: [unknown, unknown], expected: unknown]>;
};

function prov(name: string, [a, b]: [unknown, unknown]): unknown {
  try {
    return name === 'in_network' ? evaluate('a is ansible.utils.in_network(b)', { a, b }) : renderValue(`{{ a | ansible.utils.${name}(b) }}`, { a, b });
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return { error: err.message };
  }
}

test("every case gives ansible.utils' own result (an error where it raises)", (t) => {
  t.true(oracle.cases.length > 900);
  for (const [name, args, expected] of oracle.cases) {
    const got = prov(name, args);
    const what = `${name}(${JSON.stringify(args)})`;
    if (typeof expected === 'object' && expected !== null && 'error' in expected)
      t.truthy((got as { error?: string })?.error, `${what}: ansible.utils fails with ${JSON.stringify(expected)}, prov gave ${JSON.stringify(got)}`);
    else t.deepEqual(got, expected, what);
  }
});

test('the short names work in {{ }}, in when: and in .j2 templates', (t) => {
  const vars = { subnet: '10.20.0.0/16', addr: '10.20.3.4/16', peers: ['10.20.0.1', 'bogus', '2001:db8::1'] };
  t.is(renderValue("{{ addr | ipaddr('network') }}/{{ addr | ipaddr('prefix') }}", vars), '10.20.0.0/16');
  t.is(renderValue("{{ subnet | ipaddr('size') }}", vars), 65536);
  t.deepEqual(renderValue('{{ peers | ipaddr }}', vars), ['10.20.0.1', '2001:db8::1']);
  t.deepEqual(renderValue('{{ peers | ipv6 }}', vars), ['2001:db8::1']);
  t.is(renderValue("{{ 'bogus' | ipaddr }}", vars), false);
  t.is(evaluate("subnet | network_in_usable('10.20.255.254')", vars), true);
  t.is(evaluate("'10.20.9.9' is in_network(subnet)", vars), true);
  t.is(
    renderJinja("{% for p in peers | ipv4 %}\nneighbor {{ p }} {{ p | ipaddr('address') }}\n{% endfor %}\n", vars, 'bgp.conf.j2'),
    'neighbor 10.20.0.1 10.20.0.1\n',
  );
});

test('queries prov does not compute are errors, never a wrong answer', (t) => {
  for (const q of ['private', 'public', '6to4', 'revdns', 'ipv6']) {
    t.throws(() => renderValue(`{{ '10.0.0.1' | ipaddr('${q}') }}`, {}), { message: `ipaddr: the query '${q}' is not supported by prov` });
  }
  t.throws(() => renderValue("{{ '10.0.0.1' | ipaddr('bogus') }}", {}), { message: 'ipaddr: unknown filter type: bogus' });
  t.throws(() => renderValue("{{ '2001:db8::1' | ipaddr('int') }}", {}), {
    message: "ipaddr: the number 42540766411282592856903984951653826561 is too large for prov's numbers",
  });
});
