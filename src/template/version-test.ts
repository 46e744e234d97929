/**
 * Ansible's `version` test (alias `version_compare`), as ansible/plugins/test/core.py:
 * `x is version('2.0', '>=')`, `x is version('1.2.3', 'lt', version_type='semver')`,
 * `x is version('1.2', 'eq', strict=true)`.
 *
 * - The default (`loose`) is Python's LooseVersion: runs of digits, runs of lowercase letters
 *   and anything else as components (dots dropped), numbers compared as numbers; where a number
 *   meets a word first, the comparison is an error (any operator), as in Python 3.
 * - `strict` is StrictVersion: `N.N[.N][{a|b}N]`, a pre-release before its release.
 * - `semver`/`semantic` is SemanticVersion (semver.org 2.0, compared with the semver package).
 */
import semver from 'semver';
import { TemplateError } from './errors.js';
import { isTruthy, pyStr } from './values.js';

type Op = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

const OPERATORS: Record<string, Op> = {
  '==': 'eq',
  '=': 'eq',
  eq: 'eq',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  '!=': 'ne',
  '<>': 'ne',
  ne: 'ne',
};
const TYPES = ['loose', 'strict', 'semver', 'semantic', 'pep440'];

function fail(message: string): never {
  throw new TemplateError(`test 'version': ${message}`);
}

/** LooseVersion's components: '1.2-rc1' is [1, 2, '-', 'rc', 1]. */
export function looseComponents(v: string): Array<number | string> {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x !== '' && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

/** Python 3 ordering of two components: a number and a word cannot be ordered (LooseVersion's _cmp tries `<`). */
function comparePython(a: number | string, b: number | string): number {
  if (typeof a !== typeof b) {
    const type = (x: unknown): string => (typeof x === 'number' ? 'int' : 'str');
    fail(`Version comparison failed: '<' not supported between instances of '${type(a)}' and '${type(b)}'`);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Python's list comparison of LooseVersion components. */
function compareLoose(a: string, b: string): number {
  const x = looseComponents(a);
  const y = looseComponents(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    return comparePython(x[i]!, y[i]!);
  }
  return x.length - y.length;
}

function parseStrict(v: string): { version: number[]; pre?: [string, number] } {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) fail(`Version comparison failed: invalid version number '${v}'`);
  return { version: [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], pre: m[5] ? [m[5][0]!, Number(m[6])] : undefined };
}

function compareStrict(a: string, b: string): number {
  const x = parseStrict(a);
  const y = parseStrict(b);
  for (let i = 0; i < 3; i++) if (x.version[i] !== y.version[i]) return x.version[i]! - y.version[i]!;
  if (!x.pre && !y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  if (x.pre[0] !== y.pre[0]) return x.pre[0] < y.pre[0] ? -1 : 1;
  return x.pre[1] - y.pre[1];
}

/** Ansible's SEMVER_RE (semver.org's suggested expression): no leading 'v', no spaces. */
const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function compareSemver(a: string, b: string): number {
  for (const v of [a, b]) if (!SEMVER_RE.test(v)) fail(`Version comparison failed: invalid semantic version '${v}'`);
  return semver.compare(a, b);
}

/** `value is version(version, operator='eq', strict=None, version_type=None)`. */
export function versionTest(value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean {
  const known = ['version', 'operator', 'strict', 'version_type'];
  for (const k of Object.keys(kwargs)) if (!known.includes(k)) fail(`unexpected argument '${k}'`);
  const [version, operator, strict, versionType] = known.map((name, i) => (args.length > i ? args[i] : kwargs[name]));
  if (strict !== undefined && strict !== null && versionType !== undefined && versionType !== null) fail("Cannot specify both 'strict' and 'version_type'");
  if (!isTruthy(value)) fail('Input version value cannot be empty');
  if (version === undefined || !isTruthy(version)) fail('Version parameter to compare against cannot be empty');
  const opName = operator === undefined || operator === null ? 'eq' : String(operator);
  const op = Object.hasOwn(OPERATORS, opName)
    ? OPERATORS[opName]!
    : fail(
        `Invalid operator type (${opName}). Must be one of ${Object.keys(OPERATORS)
          .map((o) => `'${o}'`)
          .join(', ')}`,
      );
  let type = 'loose';
  if (strict !== undefined && strict !== null && isTruthy(strict)) type = 'strict';
  else if (versionType !== undefined && versionType !== null && isTruthy(versionType)) {
    type = String(versionType);
    if (!TYPES.includes(type)) fail(`Invalid version type (${type}). Must be one of ${TYPES.map((x) => `'${x}'`).join(', ')}`);
    if (type === 'pep440') fail("version_type 'pep440' is not supported by prov (use 'loose', 'strict' or 'semver')");
  }
  const [a, b] = [pyStr(value), pyStr(version)];
  const c = type === 'strict' ? compareStrict(a, b) : type === 'loose' ? compareLoose(a, b) : compareSemver(a, b);
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
  }
}
