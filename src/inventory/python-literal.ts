/**
 * Python's ast.literal_eval as Ansible's INI inventory applies it to every variable value
 * (plugins/inventory/ini.py, _parse_value): a value that is a Python literal (numbers, strings,
 * bytes, True/False/None, lists, tuples, dicts, unary +/- on a number) becomes that value; any
 * other text (a syntax error, a name, an expression) stays the string it is.
 *
 * Hand-written: no JavaScript library parses Python literals, and this is a small grammar.
 * Literals that Ansible accepts but cannot represent in its own output (complex numbers, sets,
 * Ellipsis: ansible-inventory crashes on them) or that JavaScript cannot hold exactly (an integer
 * beyond 2^53) throw a LiteralError, which the INI reader reports with its file and line.
 */

export class LiteralError extends Error {}

const IDENT = /[A-Za-z0-9_\u0080-\uffff]/;
const DIGITPART = '[0-9](?:_?[0-9])*';
const POINTFLOAT = `(?:(?:${DIGITPART})?\\.${DIGITPART}|${DIGITPART}\\.)`;
const EXPONENT = `[eE][+-]?${DIGITPART}`;
const FLOAT = `(?:${POINTFLOAT}(?:${EXPONENT})?|${DIGITPART}${EXPONENT})`;
const NUMBER_PATTERNS: Array<[RegExp, 'imag' | 'float' | 'hex' | 'oct' | 'bin' | 'dec']> = [
  [new RegExp(`^(?:${FLOAT}|${DIGITPART})[jJ]`), 'imag'],
  [new RegExp(`^${FLOAT}`), 'float'],
  [/^0[xX](?:_?[0-9a-fA-F])+/, 'hex'],
  [/^0[oO](?:_?[0-7])+/, 'oct'],
  [/^0[bB](?:_?[01])+/, 'bin'],
  [/^(?:[1-9](?:_?[0-9])*|0+(?:_?0)*)/, 'dec'],
];
const STRING_START = /^([rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])?('''|"""|'|")/;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const MAX_DEPTH = 200;

/** Thrown inside the parser when the text is not a literal: literal_eval would fail, so the value stays a string. */
class NotALiteral extends Error {}

interface Bytes {
  bytes: number[];
}

class Parser {
  private pos = 0;
  constructor(private readonly s: string) {}

  private no(): never {
    throw new NotALiteral();
  }

  private skip(): void {
    for (;;) {
      const c = this.s[this.pos];
      if (c === ' ' || c === '\t' || c === '\f') this.pos++;
      else if (c === '#') this.pos = this.s.length;
      else return;
    }
  }

  private peek(): string | undefined {
    this.skip();
    return this.s[this.pos];
  }

  private eat(c: string): boolean {
    if (this.peek() === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  parseAll(): unknown {
    const v = this.expr(0);
    if (this.peek() !== undefined) this.no();
    return v;
  }

  /** One expression: an atom, a signed number, or `real +/- imaginary` (complex, refused). */
  private expr(depth: number): unknown {
    if (depth > MAX_DEPTH) this.no();
    const c = this.peek();
    let value: unknown;
    let numeric = false;
    if (c === '+' || c === '-') {
      this.pos++;
      const { value: operand, bare } = this.atom(depth + 1);
      if (!bare || typeof operand !== 'number') this.no();
      value = c === '-' ? (operand === 0 ? 0 : -operand) : operand;
      numeric = true;
    } else {
      const a = this.atom(depth + 1);
      value = a.value;
      numeric = a.bare && typeof value === 'number';
    }
    const op = this.peek();
    if (op === '+' || op === '-') {
      // Only `number +/- imaginary` is a literal (a complex number); anything else is an expression.
      if (!numeric) this.no();
      this.pos++;
      this.skip();
      const rest = this.s.slice(this.pos);
      const m = NUMBER_PATTERNS[0]![0].exec(rest);
      if (m && !IDENT.test(rest[m[0].length] ?? '') && rest[m[0].length] !== '.') {
        throw new LiteralError('a complex number is not supported (ansible-inventory cannot print it either)');
      }
      this.no();
    }
    return value;
  }

  /** An atom; `bare` is true for a number constant (a sign may apply to it), even in parentheses. */
  private atom(depth: number): { value: unknown; bare: boolean } {
    if (depth > MAX_DEPTH) this.no();
    const c = this.peek();
    if (c === undefined) this.no();
    if (c === '(') {
      this.pos++;
      if (this.eat(')')) return { value: [], bare: false };
      const first = this.exprWithBareness(depth);
      if (this.eat(')')) return first;
      if (!this.eat(',')) this.no();
      const items = [first.value];
      while (!this.eat(')')) {
        items.push(this.expr(depth + 1));
        if (!this.eat(',')) {
          if (!this.eat(')')) this.no();
          break;
        }
      }
      return { value: items, bare: false };
    }
    if (c === '[') {
      this.pos++;
      const items: unknown[] = [];
      while (!this.eat(']')) {
        items.push(this.expr(depth + 1));
        if (!this.eat(',')) {
          if (!this.eat(']')) this.no();
          break;
        }
      }
      return { value: items, bare: false };
    }
    if (c === '{') return { value: this.braces(depth), bare: false };
    if (c === '.' && this.s.startsWith('...', this.pos)) {
      this.pos += 3;
      if (this.peek() === undefined) throw new LiteralError('Ellipsis (...) is not supported');
      this.no();
    }
    if (/[0-9.]/.test(c)) return { value: this.number(), bare: true };
    const str = STRING_START.exec(this.s.slice(this.pos));
    if (str) return { value: this.strings(), bare: false };
    const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/.exec(this.s.slice(this.pos));
    if (!word) this.no();
    this.pos += word[0].length;
    if (word[0] === 'True') return { value: true, bare: false };
    if (word[0] === 'False') return { value: false, bare: false };
    if (word[0] === 'None') return { value: null, bare: false };
    if (word[0] === 'set' && this.eat('(') && this.eat(')') && this.peek() === undefined) {
      throw new LiteralError('a Python set is not supported (ansible-inventory cannot print it either)');
    }
    return this.no();
  }

  private exprWithBareness(depth: number): { value: unknown; bare: boolean } {
    const start = this.pos;
    const c = this.peek();
    if (c !== '+' && c !== '-') {
      const a = this.atom(depth + 1);
      const op = this.peek();
      if (op !== '+' && op !== '-') return a;
    }
    this.pos = start;
    return { value: this.expr(depth + 1), bare: false };
  }

  private braces(depth: number): unknown {
    this.pos++;
    const out: Record<string, unknown> = Object.create(null);
    if (this.eat('}')) return { ...out };
    const firstKey = this.expr(depth + 1);
    if (!this.eat(':')) {
      // `{a, b}` is a set literal.
      while (this.eat(',')) {
        if (this.eat('}')) throw new LiteralError('a Python set is not supported (ansible-inventory cannot print it either)');
        this.expr(depth + 1);
      }
      if (this.eat('}')) throw new LiteralError('a Python set is not supported (ansible-inventory cannot print it either)');
      this.no();
    }
    let key = firstKey;
    for (;;) {
      const value = this.expr(depth + 1);
      const name = mappingKey(key);
      if (name === '__proto__') throw new LiteralError("a mapping key '__proto__' is not allowed (it is JavaScript's prototype key)");
      out[name] = value;
      if (!this.eat(',')) {
        if (!this.eat('}')) this.no();
        break;
      }
      if (this.eat('}')) break;
      key = this.expr(depth + 1);
      if (!this.eat(':')) this.no();
    }
    return Object.assign({}, out);
  }

  private number(): number {
    const rest = this.s.slice(this.pos);
    for (const [re, kind] of NUMBER_PATTERNS) {
      const m = re.exec(rest);
      if (!m) continue;
      const next = rest[m[0].length] ?? '';
      if (IDENT.test(next) || next === '.') this.no();
      this.pos += m[0].length;
      const text = m[0].replace(/_/g, '');
      if (kind === 'imag') throw new LiteralError('a complex number is not supported (ansible-inventory cannot print it either)');
      if (kind === 'float') {
        const f = Number(text);
        if (!Number.isFinite(f)) throw new LiteralError(`the float ${m[0]} is out of range`);
        return f;
      }
      const big = kind === 'dec' ? BigInt(text) : BigInt(text.toLowerCase());
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new LiteralError(`the integer ${m[0]} is too large for prov (above 2^53)`);
      return Number(big);
    }
    return this.no();
  }

  /** One or more adjacent string literals, concatenated (all str, or all bytes). */
  private strings(): unknown {
    let text: string | undefined;
    let bytes: number[] | undefined;
    for (;;) {
      this.skip();
      const m = STRING_START.exec(this.s.slice(this.pos));
      if (!m) break;
      const prefix = (m[1] ?? '').toLowerCase();
      if (prefix.includes('f')) this.no(); // an f-string is a JoinedStr, not a literal
      this.pos += m[0].length;
      const part = this.stringBody(m[2]!, prefix.includes('r'), prefix.includes('b'));
      if (typeof part === 'string') {
        if (bytes) this.no();
        text = (text ?? '') + part;
      } else {
        if (text !== undefined) this.no();
        bytes = [...(bytes ?? []), ...part.bytes];
      }
    }
    if (bytes) {
      // Ansible's to_text: bytes become text, decoded as UTF-8.
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
      } catch {
        throw new LiteralError('a bytes literal that is not valid UTF-8 is not supported');
      }
    }
    return text ?? '';
  }

  private stringBody(quote: string, raw: boolean, isBytes: boolean): string | Bytes {
    let out = '';
    const s = this.s;
    for (;;) {
      if (this.pos >= s.length) this.no();
      if (s.startsWith(quote, this.pos)) {
        this.pos += quote.length;
        break;
      }
      const c = s[this.pos]!;
      if (isBytes && c.charCodeAt(0) > 0x7f) this.no();
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const n = s[this.pos + 1];
      if (n === undefined) this.no();
      if (raw) {
        out += c + n;
        this.pos += 2;
        continue;
      }
      this.pos += 2;
      if (n in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[n];
      else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,2}/.exec(s.slice(this.pos));
        const digits = n + (m ? m[0] : '');
        this.pos += digits.length - 1;
        const code = parseInt(digits, 8);
        if (isBytes && code > 0xff) throw new LiteralError(`the octal escape \\${digits} is out of range for bytes`);
        out += String.fromCharCode(code);
      } else if (n === 'x') {
        const m = /^[0-9a-fA-F]{2}/.exec(s.slice(this.pos));
        if (!m) this.no();
        this.pos += 2;
        out += String.fromCharCode(parseInt(m[0], 16));
      } else if (!isBytes && (n === 'u' || n === 'U')) {
        const len = n === 'u' ? 4 : 8;
        const m = new RegExp(`^[0-9a-fA-F]{${len}}`).exec(s.slice(this.pos));
        if (!m) this.no();
        this.pos += len;
        const code = parseInt(m[0], 16);
        if (code > 0x10ffff) this.no();
        out += String.fromCodePoint(code);
      } else if (!isBytes && n === 'N') {
        throw new LiteralError('the \\N{name} escape is not supported');
      } else {
        out += c + n;
      }
    }
    if (!isBytes) return out;
    return { bytes: [...out].map((ch) => ch.charCodeAt(0)) };
  }
}

/** The key of a Python dict in JSON terms (json.dumps turns int, bool and None keys into strings). */
function mappingKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isInteger(key)) return String(key);
  if (key === true) return 'true';
  if (key === false) return 'false';
  if (key === null) return 'null';
  throw new LiteralError('a mapping key must be a string, an integer, a boolean or None');
}

/**
 * ast.literal_eval(text) as Ansible's INI plugin uses it: `{ value }` for a literal, undefined
 * when the text is not one (the value then stays the string). Throws LiteralError for literals
 * prov does not support.
 */
export function literalEval(text: string): { value: unknown } | undefined {
  const input = text.replace(/^[ \t]+/, '');
  try {
    return { value: new Parser(input).parseAll() };
  } catch (err) {
    if (err instanceof NotALiteral) return undefined;
    throw err;
  }
}

/** Ansible's INI _parse_value: the literal's value, else the text itself. */
export function iniValue(text: string): unknown {
  const parsed = literalEval(text);
  return parsed === undefined ? text : parsed.value;
}
