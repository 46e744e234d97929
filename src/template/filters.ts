/** Jinja/Ansible filters for `x | name(args)`: the subset listed in docs/expressions.md. */
import { shellQuote } from '../core/transport.js';
import { pythonRegexSource } from '../core/py-regex.js';
import { TemplateError } from './errors.js';
import { boolFilter } from '../core/boolean.js';
import { combine } from './combine.js';
import { IPADDR_FILTERS } from './ipaddr-filters.js';
import { pyJsonDumps } from './py-json.js';
import { pyYamlDump } from './py-yaml.js';
import { runTest } from './tests.js';
import { checkListItems, checkStringChars, MAX_STRING_CHARS } from './limits.js';
import { isMapping, isTruthy, pyCompare, pyEquals, pyJoin, pyStr, typeName, Undefined } from './values.js';

export type { Filter } from './values.js';
import type { Filter } from './values.js';

/** Filters that receive an undefined value instead of failing on it. */
export const ACCEPTS_UNDEFINED = new Set(['default', 'd', 'mandatory']);

function list(v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw new TemplateError(`filter '${filter}' needs a list, got ${typeName(v)}`);
}
function str(v: unknown, filter: string): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return pyStr(v);
  throw new TemplateError(`filter '${filter}' needs a string, got ${typeName(v)}`);
}
function arg<T>(args: unknown[], kwargs: Record<string, unknown>, i: number, name: string, dflt: T): T | unknown {
  if (args.length > i) return args[i];
  if (name in kwargs) return kwargs[name];
  return dflt;
}

/** `a.b.0` attribute path into a value, as Jinja's attribute= arguments take. */
export function attrPath(v: unknown, path: string): unknown {
  let cur = v;
  for (const part of path.split('.')) {
    if (isMapping(cur) && part in cur) cur = cur[part];
    else if (Array.isArray(cur) && /^-?\d+$/.test(part) && cur.at(Number(part)) !== undefined) cur = cur.at(Number(part));
    else return new Undefined(`no attribute '${path}' in ${typeName(v)}`);
  }
  return cur;
}

function toInt(v: unknown, dflt: unknown, base: number): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    if (base === 10 && /^[-+]?\d+$/.test(s)) return Number.parseInt(s, 10);
    if (base !== 10 && s !== '' && !Number.isNaN(Number.parseInt(s.replace(/^0[xob]/i, ''), base))) return Number.parseInt(s.replace(/^0[xob]/i, ''), base);
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Math.trunc(Number(s));
  }
  return dflt;
}

function toFloat(v: unknown, dflt: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return dflt;
}

/** Python regex syntax to JavaScript where they differ in common use: (?P<n>...) and \1 in replacements. */
function pyRegex(re: unknown, flags = ''): RegExp {
  try {
    return new RegExp(pythonRegexSource(String(re)), flags);
  } catch (err) {
    throw new TemplateError(`bad regular expression ${JSON.stringify(re)}: ${(err as Error).message}`, 'failed', { cause: err });
  }
}

function sortList(items: unknown[], reverse: boolean, caseSensitive: boolean, attribute: unknown): unknown[] {
  const key = (x: unknown): unknown => {
    const v = attribute ? attrPath(x, String(attribute)) : x;
    return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
  };
  const sorted = [...items].sort((a, b) => pyCompare(key(a), key(b)));
  return reverse ? sorted.reverse() : sorted;
}

function selectBy(items: unknown[], args: unknown[], attr: boolean, keep: boolean): unknown[] {
  const [first, testName, ...rest] = args;
  return items.filter((item) => {
    const value = attr ? attrPath(item, String(first)) : item;
    const name = attr ? testName : first;
    const testArgs = attr ? rest : [testName, ...rest].filter((x) => x !== undefined);
    let ok: boolean;
    if (name === undefined) ok = !(value instanceof Undefined) && isTruthy(value);
    else if (attr && value instanceof Undefined && name !== 'defined' && name !== 'undefined') ok = false;
    else ok = runTest(String(name), value, testArgs);
    return ok === keep;
  });
}

/**
 * Python's str.replace(old, new, count), in linear time, failing before building a result
 * longer than MAX_STRING_CHARS.
 */
export function replaceBounded(s: string, old: string, repl: string, count: number, what: string): string {
  if (old === '') return s;
  let found = 0;
  for (let at = s.indexOf(old); at >= 0 && (count < 0 || found < count); at = s.indexOf(old, at + old.length)) found++;
  checkStringChars(s.length + found * (repl.length - old.length), what);
  if (count < 0) return s.split(old).join(repl);
  const parts: string[] = [];
  let from = 0;
  for (let n = 0; n < found; n++) {
    const at = s.indexOf(old, from);
    parts.push(s.slice(from, at), repl);
    from = at + old.length;
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/** A JavaScript replacement pattern's literal length and how many `$` references it holds. */
function replacementCost(repl: string): { literal: number; refs: number; wholeString: boolean } {
  const refs = repl.match(/\$(\d{1,2}|<[^>]*>|&)/g) ?? [];
  return { literal: repl.length, refs: refs.length, wholeString: /\$[`']/.test(repl) };
}

/**
 * regex_replace, failing before V8 builds a result longer than MAX_STRING_CHARS: an upper bound
 * of the result's length is counted match by match (every `$n` taken as long as the match, a
 * `$\`` or `$'` as long as the whole string).
 */
function regexReplaceBounded(s: string, re: RegExp, repl: string): string {
  const cost = replacementCost(repl);
  const scan = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let bound = s.length;
  for (let m = scan.exec(s); m; m = scan.exec(s)) {
    bound += cost.literal + cost.refs * m[0].length + (cost.wholeString ? 2 * s.length : 0) - m[0].length;
    if (bound > MAX_STRING_CHARS) checkStringChars(bound, "filter 'regex_replace'");
    if (m[0] === '') scan.lastIndex++;
  }
  return s.replace(re, repl);
}

/** Jinja's flatten(levels), failing as soon as the result exceeds MAX_LIST_ITEMS. */
function flattenBounded(items: unknown[], levels: number): unknown[] {
  const out: unknown[] = [];
  const add = (xs: unknown[], depth: number): void => {
    for (const x of xs) {
      if (Array.isArray(x) && depth < levels) add(x, depth + 1);
      else {
        out.push(x);
        if (out.length % 1024 === 0) checkListItems(out.length, "filter 'flatten'");
      }
    }
  };
  add(items, 0);
  checkListItems(out.length, "filter 'flatten'");
  return out;
}

/** JSON.stringify that stops once the value's text would exceed MAX_STRING_CHARS (a list holding one big list many times). */

export function makeFilters(applyFilter: (name: string, v: unknown, args: unknown[]) => unknown): Record<string, Filter> {
  const filters: Record<string, Filter> = {
    default: (v, args, kw) => {
      const dflt = arg(args, kw, 0, 'default_value', '');
      const boolean = isTruthy(arg(args, kw, 1, 'boolean', false));
      return v instanceof Undefined || (boolean && !isTruthy(v)) ? dflt : v;
    },
    mandatory: (v, args) => (v instanceof Undefined ? new Undefined(args[0] !== undefined ? String(args[0]) : v.message) : v),
    join: (v, args, kw) => pyJoin(list(v, 'join'), String(arg(args, kw, 0, 'd', '')), "filter 'join'"),
    length: (v) => {
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (isMapping(v)) return Object.keys(v).length;
      throw new TemplateError(`filter 'length' needs a string, list or mapping, got ${typeName(v)}`);
    },
    int: (v, args, kw) => toInt(v, arg(args, kw, 0, 'default', 0), Number(arg(args, kw, 1, 'base', 10))),
    float: (v, args, kw) => toFloat(v, arg(args, kw, 0, 'default', 0)),
    bool: (v) => boolFilter(v),
    string: (v) => pyStr(v),
    lower: (v) => str(v, 'lower').toLowerCase(),
    upper: (v) => str(v, 'upper').toUpperCase(),
    capitalize: (v) => {
      const s = str(v, 'capitalize');
      return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    },
    trim: (v) => str(v, 'trim').trim(),
    replace: (v, args) =>
      replaceBounded(str(v, 'replace'), String(args[0] ?? ''), String(args[1] ?? ''), args[2] === undefined ? -1 : Number(args[2]), "filter 'replace'"),
    split: (v, args) => {
      const s = str(v, 'split');
      return args[0] === undefined || args[0] === null ? s.trim().split(/\s+/).filter(Boolean) : s.split(String(args[0]));
    },
    list: (v) => [...list(v, 'list')],
    first: (v) => {
      const l = list(v, 'first');
      return l.length ? l[0] : new Undefined('first of an empty list');
    },
    last: (v) => {
      const l = list(v, 'last');
      return l.length ? l[l.length - 1] : new Undefined('last of an empty list');
    },
    unique: (v) => list(v, 'unique').filter((x, i, all) => all.findIndex((y) => pyEquals(x, y)) === i),
    sort: (v, args, kw) =>
      sortList(
        list(v, 'sort'),
        isTruthy(arg(args, kw, 0, 'reverse', false)),
        isTruthy(arg(args, kw, 1, 'case_sensitive', false)),
        arg(args, kw, 2, 'attribute', undefined),
      ),
    reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...list(v, 'reverse')].reverse()),
    min: (v) => list(v, 'min').reduce((a, b) => (pyCompare(b, a) < 0 ? b : a)),
    max: (v) => list(v, 'max').reduce((a, b) => (pyCompare(b, a) > 0 ? b : a)),
    sum: (v, args, kw) => {
      const attribute = arg(args, kw, 0, 'attribute', undefined);
      return list(v, 'sum').reduce<number>((acc, x) => acc + Number(attribute ? attrPath(x, String(attribute)) : x), Number(arg(args, kw, 1, 'start', 0)));
    },
    abs: (v) => Math.abs(Number(v)),
    round: (v, args, kw) => {
      const p = 10 ** Number(arg(args, kw, 0, 'precision', 0));
      const method = String(arg(args, kw, 1, 'method', 'common'));
      const f = method === 'ceil' ? Math.ceil : method === 'floor' ? Math.floor : Math.round;
      return f(Number(v) * p) / p;
    },
    ternary: (v, args) => (v === null && args.length > 2 ? args[2] : isTruthy(v) ? args[0] : args[1]),
    to_json: (v, _args, kw) =>
      pyJsonDumps(v, {
        sortKeys: isTruthy(kw['sort_keys'] ?? false),
        ensureAscii: isTruthy(kw['ensure_ascii'] ?? true),
        budget: (n) => checkStringChars(n, "filter 'to_json'"),
      }),
    to_nice_json: (v, args, kw) =>
      pyJsonDumps(v, {
        indent: Number(arg(args, kw, 0, 'indent', 4)),
        sortKeys: isTruthy(kw['sort_keys'] ?? true),
        ensureAscii: isTruthy(kw['ensure_ascii'] ?? true),
        budget: (n) => checkStringChars(n, "filter 'to_nice_json'"),
      }),
    to_yaml: (v, _args, kw) =>
      pyYamlDump(v, {
        defaultFlowStyle: kw['default_flow_style'] === undefined ? null : (kw['default_flow_style'] as boolean | null),
        indent: kw['indent'] === undefined ? undefined : Number(kw['indent']),
        width: kw['width'] === undefined ? undefined : Number(kw['width']),
        what: "filter 'to_yaml'",
      }),
    to_nice_yaml: (v, args, kw) =>
      pyYamlDump(v, {
        defaultFlowStyle: false,
        indent: Number(arg(args, kw, 0, 'indent', 4)),
        width: kw['width'] === undefined ? undefined : Number(kw['width']),
        what: "filter 'to_nice_yaml'",
      }),
    from_json: (v) => {
      try {
        return JSON.parse(str(v, 'from_json'));
      } catch (err) {
        throw new TemplateError(`filter 'from_json': ${(err as Error).message}`, 'failed', { cause: err });
      }
    },
    dict2items: (v, args, kw) => {
      if (!isMapping(v)) throw new TemplateError(`filter 'dict2items' needs a mapping, got ${typeName(v)}`);
      const k = String(arg(args, kw, 0, 'key_name', 'key'));
      const val = String(arg(args, kw, 1, 'value_name', 'value'));
      return Object.entries(v).map(([a, b]) => ({ [k]: a, [val]: b }));
    },
    items2dict: (v, args, kw) => {
      const k = String(arg(args, kw, 0, 'key_name', 'key'));
      const val = String(arg(args, kw, 1, 'value_name', 'value'));
      return Object.fromEntries(list(v, 'items2dict').map((x) => [pyStr(attrPath(x, k)), attrPath(x, val)]));
    },
    combine,
    // Ansible's extract(item, container, morekeys): container[item], then [key] for each of morekeys.
    extract: (v, args) => {
      const more = args[1] === undefined || args[1] === null ? [] : Array.isArray(args[1]) ? args[1] : [args[1]];
      let cur: unknown = args[0];
      for (const key of [v, ...more]) {
        if (cur instanceof Undefined) return cur;
        if (isMapping(cur) && pyStr(key) in cur) cur = cur[pyStr(key)];
        else if (Array.isArray(cur) && typeof key === 'number' && cur.at(key) !== undefined) cur = cur.at(key);
        else return new Undefined(`'${typeName(cur)}' object has no attribute '${pyStr(key)}'`);
      }
      return cur;
    },
    flatten: (v, args) => flattenBounded(list(v, 'flatten'), args[0] === undefined ? Infinity : Number(args[0])),
    map: (v, args, kw) =>
      list(v, 'map').map((x) => ('attribute' in kw ? attrPath(x, String(kw['attribute'])) : applyFilter(String(args[0]), x, args.slice(1)))),
    select: (v, args) => selectBy(list(v, 'select'), args, false, true),
    reject: (v, args) => selectBy(list(v, 'reject'), args, false, false),
    selectattr: (v, args) => selectBy(list(v, 'selectattr'), args, true, true),
    rejectattr: (v, args) => selectBy(list(v, 'rejectattr'), args, true, false),
    regex_replace: (v, args, kw) => {
      const re = pyRegex(
        arg(args, kw, 0, 'regex', ''),
        'g' + (isTruthy(kw['ignorecase'] ?? false) ? 'i' : '') + (isTruthy(kw['multiline'] ?? false) ? 'm' : ''),
      );
      const repl = String(arg(args, kw, 1, 'replacement', ''))
        .replace(/\\g<(\w+)>/g, '$<$1>')
        .replace(/\\(\d)/g, '$$$1');
      return regexReplaceBounded(str(v, 'regex_replace'), re, repl);
    },
    regex_search: (v, args) => {
      const m = pyRegex(args[0]).exec(str(v, 'regex_search'));
      return m ? m[0] : null;
    },
    basename: (v) => str(v, 'basename').split('/').pop(),
    dirname: (v) => str(v, 'dirname').replace(/\/[^/]*$/, ''),
    quote: (v) => shellQuote(pyStr(v)),
    b64encode: (v) => Buffer.from(str(v, 'b64encode'), 'utf8').toString('base64'),
    b64decode: (v) => Buffer.from(str(v, 'b64decode'), 'base64').toString('utf8'),
  };
  filters['d'] = filters['default']!;
  filters['count'] = filters['length']!;
  Object.assign(filters, IPADDR_FILTERS);
  return filters;
}
