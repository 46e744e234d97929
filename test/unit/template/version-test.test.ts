import { execFileSync } from 'node:child_process';
import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { renderJinja } from '../../../src/template/jinja.js';
import { evaluate, renderValue } from '../../../src/template/render.js';
import { looseComponents } from '../../../src/template/version-test.js';

type Case = [value: string, version: string, operator: string, kwargs?: Record<string, unknown>];

const OPERATORS = ['==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'];
const PAIRS: Array<[string, string]> = [
  ['1.2.3', '1.2.3'],
  ['1.10', '1.9'],
  ['2.0', '2'],
  ['5.15.0-91-amd64', '5.10'],
  ['8.4.2', '8.4'],
  ['1.2.3', '1.2.3a1'],
  ['7.5.1', '10.0'],
  ['1.0rc1', '1.0'],
  ['1.2-rc1', '1.2.0'],
];
const CASES: Case[] = [
  ...PAIRS.flatMap(([a, b]) => OPERATORS.map((op): Case => [a, b, op])),
  ['1.2', '1.2.0', 'eq', { strict: true }],
  ['1.2a1', '1.2', 'lt', { strict: true }],
  ['1.2b1', '1.2a2', 'gt', { strict: true }],
  ['1.2.3.4', '1.2', 'lt', { strict: true }],
  ['1.10.0', '1.9.0', 'gt', { strict: true }],
  ['1.0.0-alpha', '1.0.0', '<', { version_type: 'semver' }],
  ['1.0.0-alpha.1', '1.0.0-alpha.beta', '<', { version_type: 'semver' }],
  ['1.0.0-2', '1.0.0-10', 'lt', { version_type: 'semver' }],
  ['1.0.0+build.1', '1.0.0+build.2', 'eq', { version_type: 'semantic' }],
  ['v1.0.0', '1.0.0', 'eq', { version_type: 'semver' }],
  ['1.0', '1.0.0', 'eq', { version_type: 'semver' }],
  ['2.0', '1.0', 'ge', { version_type: 'loose' }],
  ['1.0', '1.0', 'eq', { version_type: 'nope' }],
  ['1.0', '1.0', 'eq', { strict: true, version_type: 'loose' }],
  ['1.0', '1.0', 'bigger'],
  ['', '1.0', 'eq'],
  ['1.0', '', 'eq'],
];

/** Ansible's own version_compare (ansible-core 2.14, installed for /usr/bin/python3) on every case. */
const PY = `
import json, sys
from ansible.plugins.test.core import version_compare
out = []
for value, version, op, kw in json.load(sys.stdin):
    try:
        out.append(version_compare(value, version, op, **kw))
    except Exception as e:
        out.append('error: ' + str(e))
json.dump(out, sys.stdout)
`;
const ansible = JSON.parse(
  execFileSync('/usr/bin/python3', ['-c', PY], { input: JSON.stringify(CASES.map(([a, b, op, kw]) => [a, b, op, kw ?? {}])), encoding: 'utf8' }),
) as Array<boolean | string>;

function prov([value, version, op, kwargs]: Case): boolean | string {
  const kw = Object.entries(kwargs ?? {})
    .map(([k, v]) => `, ${k}=${JSON.stringify(v)}`)
    .join('');
  try {
    return evaluate(`value is version(version, op${kw})`, { value, version, op }) as boolean;
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return err.message;
  }
}

test("every case gives Ansible's own result (or an error where Ansible fails)", (t) => {
  t.true(CASES.length > 100);
  CASES.forEach((c, i) => {
    const expected = ansible[i]!;
    const got = prov(c);
    if (typeof expected === 'boolean') t.is(got, expected, JSON.stringify(c));
    else {
      t.is(typeof got, 'string', `${JSON.stringify(c)}: Ansible fails with ${expected}`);
      t.regex(String(got), /^test 'version': /, JSON.stringify(c));
    }
  });
});

test('error messages say what is wrong, in the words of Ansible', (t) => {
  t.is(prov(['1.a', '1.1', 'lt']), "test 'version': Version comparison failed: '<' not supported between instances of 'str' and 'int'");
  t.is(prov(['v1.0.0', '1.0.0', 'eq', { version_type: 'semver' }]), "test 'version': Version comparison failed: invalid semantic version 'v1.0.0'");
  t.is(
    prov(['1.0', '1.0', 'eq', { version_type: 'pep440' }]),
    "test 'version': version_type 'pep440' is not supported by prov (use 'loose', 'strict' or 'semver')",
  );
  t.is(prov(['1', '1', 'eq', { strictly: true }]), "test 'version': unexpected argument 'strictly'");
});

test('LooseVersion splits numbers, lowercase words and the rest', (t) => {
  t.deepEqual(looseComponents('5.15.0-91-amd64'), [5, 15, 0, '-', 91, '-', 'amd', 64]);
  t.deepEqual(looseComponents('1.0RC1'), [1, 0, 'RC', 1]);
});

test('version and version_compare work in {{ }}, in when:, with select, and in .j2 templates', (t) => {
  const vars = { kernel: '5.15.0-91-amd64', frr: '8.4.2', versions: ['7.5', '8.1', '9.0'] };
  t.is(renderValue("{{ kernel is version('5.10', '>=') }}", vars), true);
  t.is(renderValue("{{ frr is version_compare('8.5', 'lt') }}", vars), true);
  t.is(evaluate("frr is not version('8.0', operator='<')", vars), true);
  t.deepEqual(renderValue("{{ versions | select('version', '8.0', '>=') | list }}", vars), ['8.1', '9.0']);
  t.is(renderJinja("{% if frr is version('8.4', '>=') %}\nbfd\n{% endif %}\n", vars, 'frr.conf.j2'), 'bfd\n');
  t.is(evaluate('x is defined', { x: 1 }), true, 'other tests still work');
  t.throws(() => evaluate('x is defined(a=1)', { x: 1 }), { message: "test 'defined' takes no keyword arguments, got 'a'" });
});
