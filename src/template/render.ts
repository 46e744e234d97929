/**
 * Rendering of Ansible's `{{ }}` templates in task arguments and variables, and evaluation of
 * bare `when:` expressions. The supported subset of Jinja2 is documented in docs/expressions.md.
 *
 * - A string that is exactly one `{{ expr }}` keeps the expression's native type (list, number,
 *   bool, dict); any other string interpolates each value as Python's str() would.
 * - Variables whose values are themselves templates are rendered when used (lazily, as Ansible
 *   does), with a loop check.
 * - An undefined variable is a TemplateError "undefined variable 'x'" unless `default` or
 *   `is defined` handles it.
 * - `{{ omit }}` as a mapping value drops that key, as Ansible drops omitted module arguments.
 * - Data from machines (host-data.ts: registered results, facts, hostvars and what is computed from
 *   them) is never rendered: `{{ r.stdout }}` gives the host's text as it is, braces and all.
 */
import { TemplateError } from './errors.js';
import { Evaluator, type Scope } from './eval.js';
import { parseExpression, Parser, type Node } from './expr.js';
import { isHostData, plainValue } from './host-data.js';
import { lex } from './lexer.js';
import { assertDefined, isMapping, isTruthy, pyJoin, pyStr, Undefined } from './values.js';

export { isTruthy } from './values.js';
export { TemplateError } from './errors.js';

/** Ansible's `omit` placeholder: a mapping entry whose value renders to it is removed. */
export const OMIT = '__prov_omit_place_holder__';

/** Variables that hold data about hosts: used as they are, never rendered lazily. */
const DATA_VARS = new Set(['hostvars', 'groups', 'prov_facts', 'ansible_facts', 'group_names']);
/** Of those, the ones that hold what machines reported (facts, registered results): host data. */
const HOST_DATA_VARS = new Set(['hostvars', 'prov_facts', 'ansible_facts']);

type Segment = { kind: 'text'; text: string } | { kind: 'expr'; node: Node; src: string };

const cache = new Map<string, Segment[]>();

export function hasTemplate(value: unknown): boolean {
  if (isHostData(value)) return false;
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') || value.includes('{#');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (isMapping(value)) return Object.values(value).some(hasTemplate);
  return false;
}

function parseTemplate(text: string): Segment[] {
  const hit = cache.get(text);
  if (hit) return hit;
  const segments: Segment[] = [];
  let i = 0;
  let stripNext = false;
  const pushText = (t: string, stripEnd: boolean): void => {
    let s = stripNext ? t.replace(/^\s+/, '') : t;
    if (stripEnd) s = s.replace(/\s+$/, '');
    if (s) segments.push({ kind: 'text', text: s });
  };
  while (i < text.length) {
    const open = text.slice(i).search(/\{[{%#]/);
    if (open < 0) {
      pushText(text.slice(i), false);
      break;
    }
    const at = i + open;
    const kind = text[at + 1];
    const strip = text[at + 2] === '-';
    pushText(text.slice(i, at), strip);
    stripNext = false;
    if (kind === '{') {
      let tokens;
      try {
        const r = lex(text, at + (strip ? 3 : 2), true);
        tokens = r.tokens;
        i = r.end;
        stripNext = r.stripAfter;
      } catch (err) {
        throw new TemplateError(`${(err as Error).message} in template '${text}'`, 'parse', { cause: err, template: text });
      }
      const src = text.slice(at, i);
      try {
        segments.push({ kind: 'expr', node: new Parser(tokens).parseAll(), src });
      } catch (err) {
        throw new TemplateError(`${(err as Error).message} in '${src}'`, 'parse', { cause: err, template: text });
      }
    } else if (kind === '#') {
      const close = text.indexOf('#}', at + 2);
      if (close < 0) throw new TemplateError(`missing '#}' to close a comment in template '${text}'`, 'parse', { template: text });
      stripNext = text[close - 1] === '-';
      i = close + 2;
    } else {
      const raw = /^\{%-?\s*raw\s*-?%\}/.exec(text.slice(at));
      const end = raw ? /\{%-?\s*endraw\s*-?%\}/.exec(text.slice(at + raw[0].length)) : null;
      if (!raw || !end) {
        throw new TemplateError(`Jinja statements ({% %}) are not supported, only {{ }} expressions (use when: and loop: on the task) in '${text}'`, 'parse', {
          template: text,
        });
      }
      segments.push({ kind: 'text', text: text.slice(at + raw[0].length, at + raw[0].length + end.index) });
      i = at + raw[0].length + end.index + end[0].length;
    }
  }
  if (cache.size > 5000) cache.clear();
  cache.set(text, segments);
  return segments;
}

interface RenderState {
  vars: Record<string, unknown>;
  resolving: Set<string>;
  /** Variables rendered so far, and whether rendering them read data from a machine. */
  resolved: Map<string, { value: unknown; fromHost: boolean }>;
  /** Whether this render has read data from a machine (its result is data, too). */
  fromHost: boolean;
  evaluator?: Evaluator;
  scope?: Scope;
}

function newState(vars: Record<string, unknown>): RenderState {
  const state: RenderState = { vars, resolving: new Set(), resolved: new Map(), fromHost: false };
  const scope: Scope = {
    lookup: (name) => {
      if (!Object.hasOwn(vars, name)) {
        return name === 'omit' ? OMIT : new Undefined(`undefined variable '${name}'`);
      }
      const raw = vars[name];
      if (isHostData(raw) || HOST_DATA_VARS.has(name)) {
        state.fromHost = true;
        return plainValue(raw);
      }
      if (DATA_VARS.has(name) || !hasTemplate(raw)) return raw;
      const done = state.resolved.get(name);
      if (done) {
        state.fromHost ||= done.fromHost;
        return done.value;
      }
      if (state.resolving.has(name)) throw new TemplateError(`recursive loop detected in variable '${name}'`);
      state.resolving.add(name);
      const outer = state.fromHost;
      state.fromHost = false;
      try {
        const value = renderIn(raw, state);
        state.resolved.set(name, { value, fromHost: state.fromHost });
        return value;
      } finally {
        state.fromHost ||= outer;
        state.resolving.delete(name);
      }
    },
  };
  state.scope = scope;
  state.evaluator = new Evaluator(scope);
  return state;
}

function evalNode(node: Node, state: RenderState): unknown {
  return state.evaluator!.eval(node);
}

function renderString(text: string, state: RenderState): unknown {
  if (!text.includes('{')) return text;
  const segments = parseTemplate(text);
  try {
    if (segments.length === 1 && segments[0]!.kind === 'expr') {
      const value = evalNode(segments[0]!.node, state);
      assertDefined(value);
      return value ?? null;
    }
    return pyJoin(
      segments.map((s) => (s.kind === 'text' ? s.text : pyStr(evalNode(s.node, state)))),
      '',
      'a template',
    );
  } catch (err) {
    if (err instanceof TemplateError && err.template === undefined) err.template = text;
    throw err;
  }
}

function renderIn(value: unknown, state: RenderState): unknown {
  if (isHostData(value)) {
    state.fromHost = true;
    return plainValue(value);
  }
  if (typeof value === 'string') return renderString(value, state);
  if (Array.isArray(value)) return value.map((v) => renderIn(v, state));
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = renderIn(v, state);
      if (r !== OMIT) out[k] = r;
    }
    return out;
  }
  return value;
}

/** Renders every string in a value (recursively through lists and mappings) against `vars`. */
export function renderValue(value: unknown, vars: Record<string, unknown>): unknown {
  if (!hasTemplate(value)) return value;
  return renderIn(value, newState(vars));
}

/**
 * renderValue(), also saying whether the result was computed from data from a machine: such a
 * result is data too (mark it with asHostData before it becomes a variable).
 */
export function renderTracked(value: unknown, vars: Record<string, unknown>): { value: unknown; fromHost: boolean } {
  if (!hasTemplate(value)) return { value, fromHost: false };
  const state = newState(vars);
  return { value: renderIn(value, state), fromHost: state.fromHost };
}

/** Renders one template string; the result keeps its native type when the string is one `{{ }}`. */
export function renderTemplate(text: string, vars: Record<string, unknown>): unknown {
  return renderString(text, newState(vars));
}

/**
 * A read-only view of `vars` whose values that hold `{{ }}` templates are rendered when read
 * (lazily, once per view), for EJS templates: role defaults such as `router_id: "{{ subnet_address }}"`
 * must reach `<%= router_id %>` rendered, as they reach task arguments. `has` answers only for
 * the variables themselves, so the EJS `with` block still sees JavaScript's globals.
 */
export function renderedView(vars: Record<string, unknown>): Record<string, unknown> {
  const state = newState(vars);
  const own = (name: string | symbol): name is string => typeof name === 'string' && Object.hasOwn(vars, name);
  return new Proxy(vars, {
    has: (_target, name) => own(name),
    get: (target, name, receiver) => {
      if (!own(name)) return Reflect.get(target, name, receiver);
      const value = state.scope!.lookup(name);
      if (value instanceof Undefined) value.fail();
      return value;
    },
    set: () => false,
  });
}

/**
 * The scope that `{{ }}` expressions see over `vars` (variables holding templates rendered when
 * read, data from machines kept as data), for .j2 templates, whose statements add local scopes.
 */
export function variablesScope(vars: Record<string, unknown>): Scope {
  return newState(vars).scope!;
}

/** A `{{ expr }}` wrapping the whole condition, stripped as Ansible does for `when:`. */
function stripWrapper(expr: string): string {
  const m = /^\s*\{\{(.*)\}\}\s*$/s.exec(expr);
  return m && !m[1]!.includes('{{') && !m[1]!.includes('}}') ? m[1]! : expr;
}

/**
 * Evaluates a bare expression (`when:`, `changed_when:`, `failed_when:`, assert `that:`):
 * a string gives the expression's value (test it with isTruthy); a boolean or number is
 * returned as is; a list of conditions gives true when all are true (Ansible's `when:` list).
 * Templates inside the expression (`when: "{{ x }} == 1"`) are rendered first.
 */
export function evaluate(expr: unknown, vars: Record<string, unknown>): unknown {
  if (Array.isArray(expr)) return expr.every((e) => isTruthy(evaluate(e, vars)));
  if (typeof expr === 'boolean' || typeof expr === 'number' || expr === null) return expr;
  if (typeof expr !== 'string') throw new TemplateError(`a condition must be a string, a boolean or a list, got ${JSON.stringify(expr)}`, 'parse');
  let source = stripWrapper(expr);
  if (source.includes('{{')) {
    const pasted = renderTracked(source, vars);
    if (pasted.fromHost) {
      throw new TemplateError(
        `the condition '${expr}' pastes data from a machine into an expression, which is never evaluated: use the variable without {{ }}`,
        'failed',
        { template: expr },
      );
    }
    source = pyStr(pasted.value);
  }
  const state = newState(vars);
  const node = parseExpression(source);
  const value = evalNode(node, state);
  // ansible-core 2.14 (as since 2.12): a condition that is one variable holding a non-empty
  // string is true whatever the string says ("false" included); the string is not evaluated
  // again. A string from a machine: only the words true/false are read, as Ansible's set_fact
  // turns them into booleans when it registers them.
  if (node.t === 'name' && typeof value === 'string' && state.fromHost) {
    const word = value.trim();
    return /^(true|false)$/i.test(word) ? word.toLowerCase() === 'true' : value;
  }
  if (value instanceof Undefined) value.fail();
  return value;
}

/** evaluate() reduced to a boolean, with Jinja's truthiness. */
export function evaluateCondition(expr: unknown, vars: Record<string, unknown>): boolean {
  return isTruthy(evaluate(expr, vars));
}
