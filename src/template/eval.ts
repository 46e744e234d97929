/**
 * Tree-walking evaluator for parsed expressions (expr.ts), with Python/Jinja semantics on
 * JavaScript values. Only own properties of plain data are ever read, so an expression cannot
 * reach JavaScript internals (`x.constructor`, `__proto__`).
 */
import { TemplateError } from './errors.js';
import type { Node } from './expr.js';
import { ACCEPTS_UNDEFINED, makeFilters, replaceBounded } from './filters.js';
import { asLimitError, checkListItems, checkStringChars } from './limits.js';
import { contains, runTest } from './tests.js';
import { isMapping, isTruthy, pyCompare, pyEquals, pyJoin, pyStr, typeName, Undefined } from './values.js';

export interface Scope {
  /** A variable's value, or an Undefined naming it. */
  lookup(name: string): unknown;
}

const hasOwn = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** Short source text of a node, for error messages ('bgp.asn', "peers[0]"). */
export function nodeText(node: Node): string {
  switch (node.t) {
    case 'name':
      return node.name;
    case 'attr':
      return `${nodeText(node.obj)}.${node.name}`;
    case 'index':
      return `${nodeText(node.obj)}[${node.index.t === 'lit' ? JSON.stringify(node.index.v) : nodeText(node.index)}]`;
    case 'lit':
      return JSON.stringify(node.v);
    default:
      return 'value';
  }
}

function pyIndex(len: number, i: unknown, what: string): number {
  if (typeof i !== 'number' || !Number.isInteger(i)) throw new TemplateError(`${what} indices must be integers, got ${typeName(i)}`);
  return i < 0 ? len + i : i;
}

function pySlice<T>(items: T[], start: unknown, stop: unknown, step: unknown): T[] {
  const st = step === undefined || step === null ? 1 : Number(step);
  if (!Number.isInteger(st) || st === 0) throw new TemplateError('slice step must be a non-zero integer');
  const len = items.length;
  const norm = (v: unknown, dflt: number, lo: number, hi: number): number => {
    if (v === undefined || v === null) return dflt;
    let n = Number(v);
    if (n < 0) n += len;
    return Math.min(Math.max(n, lo), hi);
  };
  const out: T[] = [];
  if (st > 0) for (let i = norm(start, 0, 0, len); i < norm(stop, len, 0, len); i += st) out.push(items[i]!);
  else for (let i = norm(start, len - 1, -1, len - 1); i > norm(stop, -1, -1, len - 1); i += st) out.push(items[i]!);
  return out;
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  const isNum = (x: unknown): x is number | boolean => typeof x === 'number' || typeof x === 'boolean';
  const unsupported = (): never => {
    throw new TemplateError(`unsupported operand types for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  };
  if (op === '+') {
    if (isNum(a) && isNum(b)) return Number(a) + Number(b);
    if (typeof a === 'string' && typeof b === 'string') {
      checkStringChars(a.length + b.length, "'+'");
      return a + b;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      checkListItems(a.length + b.length, "'+'");
      return [...a, ...b];
    }
    return unsupported();
  }
  if (op === '*') {
    if (isNum(a) && isNum(b)) return Number(a) * Number(b);
    const [seq, n] = isNum(a) ? [b, Number(a)] : [a, Number(b)];
    if (!Number.isInteger(n) || !(isNum(a) || isNum(b))) return unsupported();
    const times = Math.max(0, n);
    if (typeof seq === 'string') {
      checkStringChars(seq.length * times, `'*' repeating a string ${n} times`);
      return seq.repeat(times);
    }
    if (Array.isArray(seq)) {
      checkListItems(seq.length * times, `'*' repeating a list ${n} times`);
      const out: unknown[] = [];
      for (let i = 0; i < times; i++) out.push(...seq);
      return out;
    }
    return unsupported();
  }
  if (!isNum(a) || !isNum(b)) return unsupported();
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '-':
      return x - y;
    case '**':
      return x ** y;
    case '/':
    case '//':
    case '%':
      if (y === 0) throw new TemplateError(`division by zero`);
      return op === '/' ? x / y : op === '//' ? Math.floor(x / y) : ((x % y) + y) % y;
  }
  return unsupported();
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=':
      return !pyEquals(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    case 'in':
    case 'not in': {
      if (a instanceof Undefined) a.fail();
      if (b instanceof Undefined) b.fail();
      return contains(b, a) === (op === 'in');
    }
  }
  throw new TemplateError(`unknown operator ${op}`);
}

/** Python methods that Ansible playbooks commonly call on strings, lists and dicts. */
function callMethod(recv: unknown, name: string, args: unknown[], what: string): unknown {
  if (recv instanceof Undefined) recv.fail();
  if (typeof recv === 'string') {
    const a0 = args[0] === undefined || args[0] === null ? undefined : String(args[0]);
    switch (name) {
      case 'split':
        return a0 === undefined ? recv.trim().split(/\s+/).filter(Boolean) : recv.split(a0);
      case 'strip':
        return a0 === undefined ? recv.trim() : recv.replace(new RegExp(`^[${escapeClass(a0)}]+|[${escapeClass(a0)}]+$`, 'g'), '');
      case 'lstrip':
        return a0 === undefined ? recv.trimStart() : recv.replace(new RegExp(`^[${escapeClass(a0)}]+`), '');
      case 'rstrip':
        return a0 === undefined ? recv.trimEnd() : recv.replace(new RegExp(`[${escapeClass(a0)}]+$`), '');
      case 'lower':
        return recv.toLowerCase();
      case 'upper':
        return recv.toUpperCase();
      case 'startswith':
        return recv.startsWith(String(args[0]));
      case 'endswith':
        return recv.endsWith(String(args[0]));
      case 'replace':
        return replaceBounded(recv, String(args[0]), String(args[1]), args[2] === undefined ? -1 : Number(args[2]), `${what}()`);
      case 'join':
        if (Array.isArray(args[0])) return pyJoin(args[0], recv, `${what}()`);
        break;
      case 'splitlines':
        return recv.split(/\r?\n/);
      case 'isdigit':
        return /^\d+$/.test(recv);
    }
  } else if (Array.isArray(recv)) {
    if (name === 'index') {
      const i = recv.findIndex((x) => pyEquals(x, args[0]));
      if (i < 0) throw new TemplateError(`${pyStr(args[0])} is not in list ${what}`);
      return i;
    }
    if (name === 'count') return recv.filter((x) => pyEquals(x, args[0])).length;
  } else if (isMapping(recv)) {
    if (name === 'items') return Object.entries(recv);
    if (name === 'keys') return Object.keys(recv);
    if (name === 'values') return Object.values(recv);
    if (name === 'get') return hasOwn(recv, String(args[0])) ? recv[String(args[0])] : (args[1] ?? null);
  }
  throw new TemplateError(`'${typeName(recv)}' object has no supported method '${name}' (in ${what}): use a filter`);
}

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, '\\$&');
}

function callGlobal(name: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (name === 'range') {
    const [a, b, c] = args.map(Number);
    const [start, stop, step] = args.length === 1 ? [0, a!, 1] : [a!, b!, c ?? 1];
    if (!step) throw new TemplateError('range() step must not be zero');
    if ([start, stop, step].some((x) => Number.isNaN(x))) throw new TemplateError(`range() needs numbers, got ${args.map(typeName).join(', ')}`);
    checkListItems(Math.max(0, Math.ceil((stop - start) / step)), `range(${args.map(pyStr).join(', ')})`);
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
    return out;
  }
  if (name === 'dict') return { ...kwargs };
  throw new TemplateError(`unknown function '${name}'`);
}

export class Evaluator {
  private readonly filters = makeFilters((name, v, args) => this.applyFilter(name, v, args, {}));

  constructor(private readonly scope: Scope) {}

  applyFilter(name: string, v: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
    const f = hasOwn(this.filters, name) ? this.filters[name] : undefined;
    if (!f) throw new TemplateError(`unknown filter '${name}'`);
    if (v instanceof Undefined && !ACCEPTS_UNDEFINED.has(name)) v.fail();
    return f(v, args, kwargs);
  }

  /** The value of an expression; a V8 RangeError (a string or list too long) becomes a task error. */
  eval(node: Node): unknown {
    try {
      return this.evalNode(node);
    } catch (err) {
      throw asLimitError(err);
    }
  }

  private evalNode(node: Node): unknown {
    switch (node.t) {
      case 'lit':
        return node.v;
      case 'name':
        return this.scope.lookup(node.name);
      case 'list':
        return node.items.map((n) => this.evalNode(n));
      case 'dict': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of node.entries) out[pyStr(this.evalNode(k))] = this.evalNode(v);
        return out;
      }
      case 'attr': {
        const obj = this.evalNode(node.obj);
        if (obj instanceof Undefined) return obj;
        if (isMapping(obj) && hasOwn(obj, node.name)) return obj[node.name];
        return new Undefined(`'${nodeText(node.obj)}' has no attribute '${node.name}'`);
      }
      case 'index': {
        const obj = this.evalNode(node.obj);
        const idx = this.evalNode(node.index);
        if (obj instanceof Undefined) return obj;
        if (idx instanceof Undefined) idx.fail();
        if (Array.isArray(obj) || typeof obj === 'string') {
          const i = pyIndex(obj.length, idx, typeName(obj));
          if (i < 0 || i >= obj.length) return new Undefined(`index ${pyStr(idx)} out of range in '${nodeText(node.obj)}'`);
          return obj[i];
        }
        if (isMapping(obj)) {
          const key = pyStr(idx);
          return hasOwn(obj, key) ? obj[key] : new Undefined(`'${nodeText(node.obj)}' has no key ${JSON.stringify(key)}`);
        }
        return new Undefined(`'${nodeText(node.obj)}' (${typeName(obj)}) cannot be indexed`);
      }
      case 'slice': {
        const obj = this.evalNode(node.obj);
        if (obj instanceof Undefined) obj.fail();
        const [start, stop, step] = [node.start, node.stop, node.step].map((n) => (n ? this.evalNode(n) : undefined));
        if (typeof obj === 'string') return pySlice([...obj], start, stop, step).join('');
        if (Array.isArray(obj)) return pySlice(obj, start, stop, step);
        throw new TemplateError(`'${nodeText(node.obj)}' (${typeName(obj)}) cannot be sliced`);
      }
      case 'call': {
        const args = node.args.map((n) => this.evalNode(n));
        const kwargs = Object.fromEntries(Object.entries(node.kwargs).map(([k, n]) => [k, this.evalNode(n)]));
        if (node.fn.t === 'attr') return callMethod(this.evalNode(node.fn.obj), node.fn.name, args, nodeText(node.fn));
        if (node.fn.t === 'name') return callGlobal(node.fn.name, args, kwargs);
        throw new TemplateError('only methods and range() can be called');
      }
      case 'unary': {
        const v = this.evalNode(node.arg);
        if (node.op === 'not') return !isTruthy(v);
        if (v instanceof Undefined) v.fail();
        if (typeof v !== 'number' && typeof v !== 'boolean') throw new TemplateError(`bad operand type for unary ${node.op}: '${typeName(v)}'`);
        return node.op === '-' ? -Number(v) : Number(v);
      }
      case 'bin': {
        if (node.op === 'and') {
          const l = this.evalNode(node.left);
          return isTruthy(l) ? this.evalNode(node.right) : l;
        }
        if (node.op === 'or') {
          const l = this.evalNode(node.left);
          return isTruthy(l) ? l : this.evalNode(node.right);
        }
        const l = this.evalNode(node.left);
        const r = this.evalNode(node.right);
        if (node.op === '~') return pyJoin([l, r], '', "'~'");
        return arithmetic(node.op, l, r);
      }
      case 'cmp': {
        let left = this.evalNode(node.first);
        for (const [op, rightNode] of node.rest) {
          const right = this.evalNode(rightNode);
          if (!compare(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'filter': {
        const v = this.evalNode(node.arg);
        const args = node.args.map((n) => this.evalNode(n));
        const kwargs = Object.fromEntries(Object.entries(node.kwargs).map(([k, n]) => [k, this.evalNode(n)]));
        return this.applyFilter(node.name, v, args, kwargs);
      }
      case 'test': {
        const kwargs = Object.fromEntries(Object.entries(node.kwargs).map(([k, n]) => [k, this.evalNode(n)]));
        const ok = runTest(
          node.name,
          this.evalNode(node.arg),
          node.args.map((n) => this.evalNode(n)),
          kwargs,
        );
        return node.negated ? !ok : ok;
      }
      case 'cond':
        return isTruthy(this.evalNode(node.test)) ? this.evalNode(node.then) : node.else ? this.evalNode(node.else) : '';
    }
  }
}
