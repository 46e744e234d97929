/**
 * Parser for Ansible's `{{ }}` expressions: a documented subset of Jinja2 (docs/expressions.md),
 * with Jinja's operator precedence (jinja2/parser.py), lowest first:
 *   x if c else y | or | and | not | comparisons, in, not in | + - | ~ | * / // % | ** |
 *   unary - + | primary with .attr [index] [a:b] (call) and `| filter(args)` / `is test`.
 *
 * Hand-written on purpose: no maintained JavaScript Jinja implementation evaluates Ansible's
 * semantics (StrictUndefined, Ansible's filters, native types) safely; nunjucks is a full
 * template engine with its own filter set and compiles templates to JavaScript functions.
 * This is a small tokenizer + recursive-descent parser + tree-walking evaluator: no eval().
 */
import { TemplateError } from './errors.js';
import { lex, type Token } from './lexer.js';

export type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'name'; name: string }
  | { t: 'list'; items: Node[] }
  | { t: 'dict'; entries: Array<[Node, Node]> }
  | { t: 'attr'; obj: Node; name: string }
  | { t: 'index'; obj: Node; index: Node }
  | { t: 'slice'; obj: Node; start?: Node; stop?: Node; step?: Node }
  | { t: 'call'; fn: Node; args: Node[]; kwargs: Record<string, Node> }
  | { t: 'unary'; op: '-' | '+' | 'not'; arg: Node }
  | { t: 'bin'; op: string; left: Node; right: Node }
  | { t: 'cmp'; first: Node; rest: Array<[string, Node]> }
  | { t: 'filter'; arg: Node; name: string; args: Node[]; kwargs: Record<string, Node> }
  | { t: 'test'; arg: Node; name: string; negated: boolean; args: Node[]; kwargs: Record<string, Node> }
  | { t: 'cond'; test: Node; then: Node; else?: Node };

/** Null prototype: a variable named `constructor` or `toString` is a name, not an inherited property. */
const CONSTANTS: Record<string, unknown> = Object.assign(Object.create(null), { true: true, True: true, false: false, False: false, none: null, None: null });
const CMP_OPS = ['==', '!=', '<', '<=', '>', '>='];

export class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    return this.tokens[this.i++] ?? this.tokens[this.tokens.length - 1]!;
  }
  private isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'op' && t.value === value;
  }
  private isName(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'name' && t.value === value;
  }
  private expectOp(value: string): void {
    if (!this.isOp(value)) throw this.unexpected(`expected '${value}'`);
    this.i++;
  }
  private unexpected(what: string): TemplateError {
    const t = this.peek();
    const got = t.type === 'end' ? 'end of expression' : `'${t.value}'`;
    return new TemplateError(`syntax error: ${what}, got ${got}`, 'parse');
  }

  parseAll(): Node {
    if (this.peek().type === 'end') throw new TemplateError('syntax error: empty expression', 'parse');
    const node = this.expression();
    if (this.peek().type !== 'end') throw this.unexpected('expected end of expression');
    return node;
  }

  expression(): Node {
    let node = this.or();
    while (this.isName('if')) {
      this.i++;
      const test = this.or();
      let otherwise: Node | undefined;
      if (this.isName('else')) {
        this.i++;
        otherwise = this.expression();
      }
      node = { t: 'cond', test, then: node, else: otherwise };
    }
    return node;
  }

  private or(): Node {
    let node = this.and();
    while (this.isName('or')) {
      this.i++;
      node = { t: 'bin', op: 'or', left: node, right: this.and() };
    }
    return node;
  }

  private and(): Node {
    let node = this.not();
    while (this.isName('and')) {
      this.i++;
      node = { t: 'bin', op: 'and', left: node, right: this.not() };
    }
    return node;
  }

  private not(): Node {
    if (this.isName('not')) {
      this.i++;
      return { t: 'unary', op: 'not', arg: this.not() };
    }
    return this.compare();
  }

  private compare(): Node {
    const first = this.math1();
    const rest: Array<[string, Node]> = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && CMP_OPS.includes(String(t.value))) {
        this.i++;
        rest.push([String(t.value), this.math1()]);
      } else if (this.isName('in')) {
        this.i++;
        rest.push(['in', this.math1()]);
      } else if (this.isName('not') && this.isName('in', 1)) {
        this.i += 2;
        rest.push(['not in', this.math1()]);
      } else break;
    }
    return rest.length ? { t: 'cmp', first, rest } : first;
  }

  private binaryLevel(ops: string[], operand: () => Node): Node {
    let node = operand();
    while (this.peek().type === 'op' && ops.includes(String(this.peek().value))) {
      const op = String(this.next().value);
      node = { t: 'bin', op, left: node, right: operand() };
    }
    return node;
  }
  private math1(): Node {
    return this.binaryLevel(['+', '-'], () => this.concat());
  }
  private concat(): Node {
    return this.binaryLevel(['~'], () => this.math2());
  }
  private math2(): Node {
    return this.binaryLevel(['*', '/', '//', '%'], () => this.pow());
  }
  private pow(): Node {
    return this.binaryLevel(['**'], () => this.unary(true));
  }

  private unary(withFilter: boolean): Node {
    let node: Node;
    if (this.isOp('-') || this.isOp('+')) {
      const op = String(this.next().value) as '-' | '+';
      node = { t: 'unary', op, arg: this.unary(false) };
    } else node = this.postfix(this.primary());
    return withFilter ? this.filters(node) : node;
  }

  private primary(): Node {
    const t = this.next();
    if (t.type === 'num' || t.type === 'str') {
      let v = t.value;
      // Adjacent string literals concatenate, as in Jinja ('a' 'b').
      while (t.type === 'str' && this.peek().type === 'str') v = String(v) + String(this.next().value);
      return { t: 'lit', v };
    }
    if (t.type === 'name') {
      const name = String(t.value);
      if (name in CONSTANTS) return { t: 'lit', v: CONSTANTS[name] };
      return { t: 'name', name };
    }
    if (t.type === 'op' && t.value === '(') {
      if (this.isOp(')')) {
        this.i++;
        return { t: 'list', items: [] };
      }
      const first = this.expression();
      if (this.isOp(',')) {
        const items = [first];
        while (this.isOp(',')) {
          this.i++;
          if (this.isOp(')')) break;
          items.push(this.expression());
        }
        this.expectOp(')');
        return { t: 'list', items };
      }
      this.expectOp(')');
      return first;
    }
    if (t.type === 'op' && t.value === '[') {
      const items: Node[] = [];
      while (!this.isOp(']')) {
        items.push(this.expression());
        if (!this.isOp(',')) break;
        this.i++;
      }
      this.expectOp(']');
      return { t: 'list', items };
    }
    if (t.type === 'op' && t.value === '{') {
      const entries: Array<[Node, Node]> = [];
      while (!this.isOp('}')) {
        const key = this.expression();
        this.expectOp(':');
        entries.push([key, this.expression()]);
        if (!this.isOp(',')) break;
        this.i++;
      }
      this.expectOp('}');
      return { t: 'dict', entries };
    }
    this.i--;
    throw this.unexpected('expected a value');
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.next();
        if (t.type === 'name') node = { t: 'attr', obj: node, name: String(t.value) };
        else if (t.type === 'num' && Number.isInteger(t.value)) node = { t: 'index', obj: node, index: { t: 'lit', v: t.value } };
        else {
          this.i--;
          throw this.unexpected("expected an attribute name after '.'");
        }
      } else if (this.isOp('[')) {
        this.i++;
        node = this.subscript(node);
      } else if (this.isOp('(')) {
        this.i++;
        const { args, kwargs } = this.callArgs();
        node = { t: 'call', fn: node, args, kwargs };
      } else return node;
    }
  }

  private subscript(obj: Node): Node {
    const part = (): Node | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.expression());
    const start = part();
    if (!this.isOp(':')) {
      if (!start) throw this.unexpected('expected an index');
      this.expectOp(']');
      return { t: 'index', obj, index: start };
    }
    this.i++;
    const stop = part();
    let step: Node | undefined;
    if (this.isOp(':')) {
      this.i++;
      step = part();
    }
    this.expectOp(']');
    return { t: 'slice', obj, start, stop, step };
  }

  /** Arguments after an opening '(' up to and including ')'. */
  private callArgs(): { args: Node[]; kwargs: Record<string, Node> } {
    const args: Node[] = [];
    const kwargs: Record<string, Node> = {};
    while (!this.isOp(')')) {
      if (this.peek().type === 'name' && this.isOp('=', 1)) {
        const key = String(this.next().value);
        this.i++;
        kwargs[key] = this.expression();
      } else {
        if (Object.keys(kwargs).length) throw this.unexpected('positional argument after keyword argument');
        args.push(this.expression());
      }
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expectOp(')');
    return { args, kwargs };
  }

  /** A filter or test name after its first word: Jinja reads `ansible.utils.ipaddr` as one name. */
  private dottedName(first: string): string {
    let name = first;
    while (this.isOp('.') && this.peek(1).type === 'name') {
      name += `.${String(this.peek(1).value)}`;
      this.i += 2;
    }
    return name;
  }

  private filters(node: Node): Node {
    for (;;) {
      if (this.isOp('|')) {
        this.i++;
        const t = this.next();
        if (t.type !== 'name') {
          this.i--;
          throw this.unexpected("expected a filter name after '|'");
        }
        const name = this.dottedName(String(t.value));
        let args: Node[] = [];
        let kwargs: Record<string, Node> = {};
        if (this.isOp('(')) {
          this.i++;
          ({ args, kwargs } = this.callArgs());
        }
        node = this.postfix({ t: 'filter', arg: node, name, args, kwargs });
      } else if (this.isName('is')) {
        this.i++;
        let negated = false;
        if (this.isName('not')) {
          this.i++;
          negated = true;
        }
        const t = this.next();
        if (t.type !== 'name') {
          this.i--;
          throw this.unexpected("expected a test name after 'is'");
        }
        const name = this.dottedName(String(t.value));
        let args: Node[] = [];
        let kwargs: Record<string, Node> = {};
        if (this.isOp('(')) {
          this.i++;
          ({ args, kwargs } = this.callArgs());
        } else if (['num', 'str'].includes(this.peek().type) || (this.peek().type === 'name' && String(this.peek().value) in CONSTANTS)) {
          // Jinja allows one bare literal argument: `x is divisibleby 3`, `x is sameas false`.
          args = [this.primary()];
        }
        node = { t: 'test', arg: node, name, negated, args, kwargs };
      } else return node;
    }
  }
}

/** Parses a bare expression (a `when:` condition, or the inside of `{{ }}`). */
export function parseExpression(src: string): Node {
  try {
    return new Parser(lex(src).tokens).parseAll();
  } catch (err) {
    if (err instanceof TemplateError) throw new TemplateError(`${err.message} in expression '${src.trim()}'`, 'parse', { cause: err, template: src });
    throw err;
  }
}
