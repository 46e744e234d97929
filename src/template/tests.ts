/** Jinja/Ansible tests for `x is name(args)`: the subset listed in docs/expressions.md. */
import { TemplateError } from './errors.js';
import { inNetwork } from './ipaddr-filters.js';
import { versionTest } from './version-test.js';
import { isMapping, isTruthy, pyCompare, pyEquals, Undefined } from './values.js';

type Test = (v: unknown, args: unknown[], kwargs: Record<string, unknown>) => boolean;

const defined = (v: unknown): boolean => !(v instanceof Undefined);
function num(v: unknown, test: string): number {
  if (typeof v !== 'number') throw new TemplateError(`test '${test}' needs a number, got ${JSON.stringify(v)}`);
  return v;
}
function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') return typeof item === 'string' && container.includes(item);
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (isMapping(container)) return typeof item === 'string' && item in container;
  throw new TemplateError(`'in' needs a string, list or mapping on the right`);
}

export const TESTS: Record<string, Test> = {
  defined,
  undefined: (v) => !defined(v),
  none: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  mapping: (v) => isMapping(v),
  sequence: (v) => Array.isArray(v) || typeof v === 'string' || isMapping(v),
  iterable: (v) => Array.isArray(v) || typeof v === 'string' || isMapping(v),
  true: (v) => v === true,
  false: (v) => v === false,
  truthy: (v) => isTruthy(v),
  falsy: (v) => !isTruthy(v),
  even: (v) => num(v, 'even') % 2 === 0,
  odd: (v) => Math.abs(num(v, 'odd') % 2) === 1,
  divisibleby: (v, [n]) => num(v, 'divisibleby') % num(n, 'divisibleby') === 0,
  eq: (v, [x]) => pyEquals(v, x),
  ne: (v, [x]) => !pyEquals(v, x),
  lt: (v, [x]) => pyCompare(v, x, '<') < 0,
  le: (v, [x]) => pyCompare(v, x, '<=') <= 0,
  gt: (v, [x]) => pyCompare(v, x, '>') > 0,
  ge: (v, [x]) => pyCompare(v, x, '>=') >= 0,
  in: (v, [x]) => contains(x, v),
  contains: (v, [x]) => contains(v, x),
  sameas: (v, [x]) => v === x,
  match: (v, [re]) => new RegExp(String(re)).exec(String(v))?.index === 0,
  search: (v, [re]) => new RegExp(String(re)).test(String(v)),
  version: versionTest,
  version_compare: versionTest,
  in_network: inNetwork,
  'ansible.utils.in_network': inNetwork,
};
TESTS['equalto'] = TESTS['=='] = TESTS['eq']!;
TESTS['!='] = TESTS['ne']!;
TESTS['<'] = TESTS['lt']!;
TESTS['<='] = TESTS['le']!;
TESTS['>'] = TESTS['gt']!;
TESTS['>='] = TESTS['ge']!;
TESTS['greaterthan'] = TESTS['gt']!;
TESTS['lessthan'] = TESTS['lt']!;

export { contains };

/** Keyword arguments are passed on only to the tests that take them; any other test refuses them. */
const TAKES_KEYWORDS = new Set<Test>([versionTest]);

export function runTest(name: string, v: unknown, args: unknown[], kwargs: Record<string, unknown> = {}): boolean {
  const test = Object.hasOwn(TESTS, name) ? TESTS[name] : undefined;
  if (!test) throw new TemplateError(`unknown test '${name}'`);
  if (v instanceof Undefined && name !== 'defined' && name !== 'undefined') v.fail();
  if (Object.keys(kwargs).length && !TAKES_KEYWORDS.has(test)) throw new TemplateError(`test '${name}' takes no keyword arguments, got '${Object.keys(kwargs)[0]}'`);
  return test(v, args, kwargs);
}
