/** Python/Jinja value semantics on JavaScript values: Undefined, truthiness, str(), repr(), ==. */
import { TemplateError } from './errors.js';
import { BoundedText } from './limits.js';
import { isMapping as isPlainMapping } from '../core/mapping.js';

/** A missing variable or attribute. Using it (other than with `default` or `is defined`) is an error. */
export class Undefined {
  constructor(readonly message: string) {}
  fail(): never {
    throw new TemplateError(this.message);
  }
}

/** A mapping in a template: core's isMapping, except that an Undefined value is none. */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return isPlainMapping(v) && !(v instanceof Undefined);
}

/** Jinja's truthiness: none, false, 0, '', [] and {} are false. An undefined value is an error, as in Ansible. */
export function isTruthy(v: unknown): boolean {
  if (v instanceof Undefined) v.fail();
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Undefined) return 'undefined';
  return 'dict';
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

function reprInto(v: unknown, out: BoundedText): void {
  if (typeof v === 'string') out.push(reprString(v));
  else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((x, i) => {
      if (i > 0) out.push(', ');
      reprInto(x, out);
    });
    out.push(']');
  } else if (isMapping(v)) {
    out.push('{');
    Object.entries(v).forEach(([k, x], i) => {
      out.push(`${i > 0 ? ', ' : ''}${reprString(k)}: `);
      reprInto(x, out);
    });
    out.push('}');
  } else out.push(pyStr(v));
}

/** Python's repr(), as Jinja prints a list or dict inside a string (at most MAX_STRING_CHARS long). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return reprString(v);
  const out = new BoundedText('printing a list or dict');
  reprInto(v, out);
  return out.toString();
}

/** Python's str(): how a value appears when interpolated into a string. */
export function pyStr(v: unknown): string {
  if (v instanceof Undefined) v.fail();
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  return pyRepr(v);
}

/** Python's `sep.join(str(x) for x in items)`, failing as soon as the result exceeds MAX_STRING_CHARS. */
export function pyJoin(items: readonly unknown[], separator: string, what: string): string {
  const out = new BoundedText(what);
  items.forEach((x, i) => {
    if (i > 0) out.push(separator);
    out.push(pyStr(x));
  });
  return out.toString();
}

/** Python's ==: structural on lists and dicts, and True == 1. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  const num = (x: unknown): boolean => typeof x === 'number' || typeof x === 'boolean';
  if (num(a) && num(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  return false;
}

/** Python's ordering for <, >, sort: numbers with numbers, strings with strings, lists element-wise. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  const num = (x: unknown): boolean => typeof x === 'number' || typeof x === 'boolean';
  if (num(a) && num(b)) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i], b[i], op);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new TemplateError(`'${op}' not supported between '${typeName(a)}' and '${typeName(b)}'`);
}

/** A value (from a template) still holding an Undefined somewhere: fail with its message. */
export function assertDefined(v: unknown): void {
  if (v instanceof Undefined) v.fail();
  if (Array.isArray(v)) v.forEach(assertDefined);
  else if (isMapping(v)) Object.values(v).forEach(assertDefined);
}

/** A Jinja filter: the value, positional arguments, keyword arguments. */
export type Filter = (v: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown;
