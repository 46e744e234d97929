/**
 * Tokenizer for the Jinja2 expression subset (see docs/expressions.md). It can stop at the
 * `}}` (or `-}}`) that closes a `{{ }}` block, keeping track of `{ }` of dict literals so that
 * `{{ {'a': {'b': 1}} }}` reads as Jinja reads it.
 */
import { TemplateError } from './errors.js';

export type TokenType = 'num' | 'str' | 'name' | 'op' | 'end';
export interface Token {
  type: TokenType;
  value: string | number;
  pos: number;
}

const OPERATORS = ['//', '**', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '~', '|', '.', ',', ':', '(', ')', '[', ']', '{', '}', '='];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

export interface LexResult {
  tokens: Token[];
  /** Index just after the closing `}}` when lexing a block, else the source length. */
  end: number;
  /** The block closed with `-}}` (strip following whitespace). */
  stripAfter: boolean;
  /** The block closed with `+%}` (keep the newline that trim_blocks would remove). */
  keepAfter?: boolean;
}

/**
 * Lexes from `start`; with `inBlock`, stops after the `}}` that closes the block (or the `%}`
 * that closes a statement, with `close`).
 */
export function lex(src: string, start = 0, inBlock = false, close: '}}' | '%}' = '}}'): LexResult {
  const tokens: Token[] = [];
  let i = start;
  let depth = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (inBlock && depth === 0) {
      const endToken: Token = { type: 'end', value: '', pos: i };
      if (src.startsWith(close, i)) return { tokens: [...tokens, endToken], end: i + 2, stripAfter: false };
      if (src.startsWith(`-${close}`, i)) return { tokens: [...tokens, endToken], end: i + 3, stripAfter: true };
      if (close === '%}' && src.startsWith('+%}', i)) return { tokens: [...tokens, endToken], end: i + 3, stripAfter: false, keepAfter: true };
    }
    const num = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 64));
    if (num) {
      tokens.push({ type: 'num', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 256));
    if (name) {
      tokens.push({ type: 'name', value: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let out = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1]!;
          out += ESCAPES[e] ?? `\\${e}`;
          j += 2;
        } else out += src[j++];
      }
      if (j >= src.length) throw new TemplateError(`unterminated string starting at column ${i - start + 1}`, 'parse');
      tokens.push({ type: 'str', value: out, pos: i });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new TemplateError(`unexpected character '${c}'`, 'parse');
    if (op === '{') depth++;
    if (op === '}') depth--;
    tokens.push({ type: 'op', value: op, pos: i });
    i += op.length;
  }
  if (inBlock) throw new TemplateError(close === '}}' ? "missing '}}' to close '{{'" : "missing '%}' to close '{%'", 'parse');
  tokens.push({ type: 'end', value: '', pos: i });
  return { tokens, end: i, stripAfter: false };
}
