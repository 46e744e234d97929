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

/** A registered task result, as the result tests of Ansible's plugins/test/core.py need it. */
function taskResult(v: unknown, test: string): Record<string, unknown> {
  if (!isMapping(v)) throw new TemplateError(`The '${test}' test expects a dictionary`);
  return v;
}
const failed: Test = (v) => isTruthy(taskResult(v, 'failed').failed ?? false);
const unreachable: Test = (v) => isTruthy(taskResult(v, 'unreachable').unreachable ?? false);
/** Without a `changed` key, a loop's result is changed when one of its items is. */
const changed: Test = (v) => {
  const r = taskResult(v, 'changed');
  if ('changed' in r) return isTruthy(r.changed ?? false);
  const results = r.results;
  return Array.isArray(results) && isMapping(results[0]) && results.some((x) => isMapping(x) && isTruthy(x.changed ?? false));
};
const skipped: Test = (v) => isTruthy(taskResult(v, 'skipped').skipped ?? false);
/** Async tests: a task that is not async counts as started and finished (Ansible warns and says true). */
const asyncState =
  (key: 'started' | 'finished'): Test =>
  (v) => {
    const r = taskResult(v, key);
    return key in r ? r[key] === 1 || r[key] === true : true;
  };

export const TESTS: Record<string, Test> = {
  failed,
  failure: failed,
  succeeded: (v) => !failed(v, [], {}),
  success: (v) => !failed(v, [], {}),
  successful: (v) => !failed(v, [], {}),
  unreachable,
  reachable: (v) => !unreachable(v, [], {}),
  changed,
  change: changed,
  skipped,
  skip: skipped,
  started: asyncState('started'),
  finished: asyncState('finished'),
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
  if (Object.keys(kwargs).length && !TAKES_KEYWORDS.has(test))
    throw new TemplateError(`test '${name}' takes no keyword arguments, got '${Object.keys(kwargs)[0]}'`);
  return test(v, args, kwargs);
}
