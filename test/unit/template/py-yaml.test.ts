import test from 'ava';
import { execFileSync } from 'node:child_process';
import { evaluate } from '../../../src/template/render.js';
import { pyYamlDump } from '../../../src/template/py-yaml.js';

/** Values whose YAML must be PyYAML's, byte for byte. */
const VALUES: unknown[] = [
  'plain',
  '',
  ' lead',
  'trail ',
  'yes',
  'no',
  'on',
  'True',
  'null',
  '~',
  '123',
  '0o17',
  '017',
  '1.5',
  '1e3',
  '.inf',
  '2024-01-02',
  '=',
  '<<',
  '- dash',
  '-dash',
  ': colon',
  'a: b',
  'a:b',
  'a #c',
  'a#c',
  '#c',
  '[x]',
  'x[y]',
  '{x}',
  '@at',
  '`tick',
  '%pc',
  '!bang',
  '&amp',
  '*star',
  '|pipe',
  '>gt',
  "it's",
  'say "hi"',
  '?q',
  '? q',
  '---',
  '...x',
  'tab\there',
  'back\\slash',
  'bell\x07',
  'line1\nline2',
  'line1\n',
  '\nlead',
  'a\n\nb',
  'a \nb',
  'a\n b',
  'héllo wörld',
  'naïve – “quotes”',
  '日本語',
  'emoji 🎉',
  '\u00a0nbsp',
  'zero\u200bwidth',
  '\ufeffbom',
  'word '.repeat(30).trim(),
  `${'x'.repeat(100)} y`,
  `'${'quoted words '.repeat(10)}'`,
  'tab\t'.repeat(30),
  0,
  1,
  -7,
  123456789,
  1.5,
  -0.25,
  1e-7,
  1e20,
  1e16,
  0.1,
  true,
  false,
  null,
  [],
  {},
  [1, 2, 3],
  ['a', 'b c', 'yes'],
  { b: 1, a: 2, C: 3 },
  { k: [] },
  { k: {} },
  [[]],
  [{}],
  { list: [1, 'two', { three: 3 }], nested: { deeper: { deepest: ['x', 'y'] } }, empty: '' },
  [
    { name: 'a', value: 1 },
    { name: 'b', items: [1, 2] },
  ],
  [
    [1, 2],
    [3, [4, 5]],
  ],
  { 'key with spaces': 1, yes: 2, '123': 3, '': 4, 'multi\nline': 5, [`${'k'.repeat(130)}`]: 6 },
  {
    users: [
      { name: 'alice', groups: ['wheel', 'dev'], shell: '/bin/bash' },
      { name: 'bob', groups: [] },
    ],
  },
  { long: ['word '.repeat(25).trim(), 'x'.repeat(90)], text: 'first line\nsecond line\n' },
  { ünï: 'cödé', z: null, t: true },
];

const PY = `
import json, sys, yaml
cases = json.load(sys.stdin)
out = []
for c in cases:
    if c['nice']:
        out.append(yaml.dump(c['v'], Dumper=yaml.SafeDumper, indent=c.get('indent', 4), allow_unicode=True, default_flow_style=False, **({'width': c['width']} if 'width' in c else {})))
    else:
        kw = {}
        if 'indent' in c: kw['indent'] = c['indent']
        if 'width' in c: kw['width'] = c['width']
        out.append(yaml.dump(c['v'], Dumper=yaml.SafeDumper, allow_unicode=True, default_flow_style=None, **kw))
json.dump(out, sys.stdout)
`;

interface Case {
  v: unknown;
  nice: boolean;
  indent?: number;
  width?: number;
}

const CASES: Case[] = VALUES.flatMap((v) => [
  { v, nice: false },
  { v, nice: true },
  { v, nice: true, indent: 2 },
  { v, nice: false, indent: 3, width: 40 },
  { v, nice: true, width: 30 },
]);

test("to_yaml / to_nice_yaml give PyYAML's bytes for many values and options", (t) => {
  const want = JSON.parse(execFileSync('python3', ['-c', PY], { input: JSON.stringify(CASES), encoding: 'utf8' })) as string[];
  let same = 0;
  CASES.forEach((c, i) => {
    const got = pyYamlDump(c.v, { defaultFlowStyle: c.nice ? false : null, indent: c.indent ?? (c.nice ? 4 : undefined), width: c.width, what: 'test' });
    if (got === want[i]) same++;
    else t.is(got, want[i], `${JSON.stringify(c)}`);
  });
  t.is(same, CASES.length);
});

test('the filters: to_yaml, to_nice_yaml(indent=2, width=…)', (t) => {
  const vars = { d: { b: [1, 2], a: 'x' } };
  t.is(evaluate('d | to_yaml', vars), 'a: x\nb: [1, 2]\n');
  t.is(evaluate('d | to_nice_yaml', vars), 'a: x\nb:\n- 1\n- 2\n');
  t.is(evaluate('[d] | to_nice_yaml(indent=2)', vars), '-   a: x\n    b:\n    - 1\n    - 2\n'.replace(/^- {3}/, '- ').replace(/\n {4}/g, '\n  '));
  t.is(evaluate("'abc' | to_yaml", vars), 'abc\n...\n');
});
