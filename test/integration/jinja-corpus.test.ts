/**
 * The .j2 path against Jinja2 itself: every template of the corpus (jinja-corpus/cases.ts) is
 * rendered by prov and by python3-jinja2 with Ansible's settings (jinja-corpus/jinja2-render.py),
 * and the outputs must be byte-identical.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { renderJinja } from '../../src/template/jinja.js';
import { JINJA_CASES } from './jinja-corpus/cases.js';

const script = fileURLToPath(new URL('./jinja-corpus/jinja2-render.py', import.meta.url));

const reference = JSON.parse(
  execFileSync('/usr/bin/python3', [script], { input: JSON.stringify(JINJA_CASES.map((c) => ({ template: c.template, vars: c.vars }))), encoding: 'utf8' }),
) as Array<{ output?: string; error?: string }>;

test('the corpus has at least 25 templates', (t) => {
  t.true(JINJA_CASES.length >= 25);
  t.is(reference.length, JINJA_CASES.length);
});

JINJA_CASES.forEach((c, i) => {
  test(`renders as Jinja2 does: ${c.name}`, (t) => {
    const expected = reference[i]!;
    t.is(expected.error, undefined, `Jinja2 itself fails on this case: ${expected.error}`);
    t.is(renderJinja(c.template, c.vars, `${c.name}.j2`), expected.output!);
  });
});
