/**
 * Parser for Jinja2 templates (`template: src: x.j2`): text, `{{ }}` expressions, `{# #}`
 * comments, `{% raw %}` and the statements `if/elif/else`, `for` (with `else`, a filter `if`
 * and tuple targets) and `set` (`set x = …` and `set x %}…{% endset`). Whitespace follows
 * Jinja's lexer (jinja2/lexer.py) exactly: `{%-`/`-%}` strip all whitespace on that side, `+`
 * turns off trim/lstrip for one tag, `trim_blocks` removes the newline after a block or
 * comment tag, `lstrip_blocks` removes spaces and tabs before one at the start of a line.
 * Every other statement (macro, include, extends, block, filter, with, call, ...) is an error
 * naming the file and line: prov never ignores what it does not implement.
 */
import { TemplateError } from './errors.js';
import { Parser, type Node } from './expr.js';
import { lex, type Token } from './lexer.js';

export type TemplateNode =
  | { t: 'text'; text: string }
  | { t: 'output'; expr: Node; line: number }
  | { t: 'if'; branches: Array<{ test: Node; body: TemplateNode[]; line: number }>; otherwise?: TemplateNode[] }
  | { t: 'for'; targets: string[]; iter: Node; filter?: Node; body: TemplateNode[]; otherwise?: TemplateNode[]; line: number }
  | { t: 'set'; targets: string[]; value: Node; line: number }
  | { t: 'setBlock'; target: string; body: TemplateNode[]; line: number }
  /** `{% include %}`: valid Jinja that prov does not render; an error only if it is reached. */
  | { t: 'unsupported'; name: string; line: number };

export interface WhitespaceOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
}

type Piece = { kind: 'text'; text: string } | { kind: 'output'; tokens: Token[]; line: number } | { kind: 'tag'; name: string; tokens: Token[]; line: number };

const SUPPORTED = 'if/elif/else, for/else, set, raw and {# comments #}';

/** The one-line error of a template: "templates/x.j2:3: message". */
export function templateError(file: string, line: number, message: string, kind: 'parse' | 'failed' = 'parse', cause?: unknown): TemplateError {
  return new TemplateError(`${file}:${line}: ${message}`, kind, { cause });
}

/** Splits a template into text, expressions and tags, applying Jinja's whitespace rules. */
function scan(src: string, file: string, ws: WhitespaceOptions, firstLine: number): Piece[] {
  const pieces: Piece[] = [];
  const lineAt = (pos: number): number => {
    let n = firstLine;
    for (let i = src.indexOf('\n'); i >= 0 && i < pos; i = src.indexOf('\n', i + 1)) n++;
    return n;
  };
  let pos = 0;
  let lineStarting = true;
  /** The text before a tag, stripped as its sign ('-', '+', '') and kind say (OptionalLStrip). */
  const pushText = (text: string, sign: string, isVariable: boolean): void => {
    let out = text;
    if (sign === '-') out = text.trimEnd();
    else if (sign !== '+' && ws.lstripBlocks && !isVariable) {
      const lineStart = text.lastIndexOf('\n') + 1;
      if ((lineStart > 0 || lineStarting) && /^\s+$/.test(text.slice(lineStart))) out = text.slice(0, lineStart);
    }
    if (out) pieces.push({ kind: 'text', text: out });
  };
  /** Where text resumes after a tag's closing delimiter at `end` ('-' strips whitespace, trim_blocks one newline). */
  const after = (end: number, strip: boolean, keep: boolean, trim: boolean): number => {
    let p = end;
    if (strip) while (p < src.length && /\s/.test(src[p]!)) p++;
    else if (!keep && trim && src[p] === '\n') p++;
    lineStarting = src[p - 1] === '\n';
    return p;
  };
  while (pos < src.length) {
    const rel = src.slice(pos).search(/\{[{%#]/);
    if (rel < 0) {
      pieces.push({ kind: 'text', text: src.slice(pos) });
      break;
    }
    const at = pos + rel;
    const kind = src[at + 1]!;
    const sign = src[at + 2] === '-' || src[at + 2] === '+' ? src[at + 2]! : '';
    const text = src.slice(pos, at);
    const line = lineAt(at);
    const bodyStart = at + 2 + sign.length;
    if (kind === '#') {
      const close = src.indexOf('#}', bodyStart);
      if (close < 0) throw templateError(file, line, 'missing end of comment tag #}');
      pushText(text, sign, false);
      const closeSign = close > bodyStart && (src[close - 1] === '-' || src[close - 1] === '+') ? src[close - 1] : '';
      pos = after(close + 2, closeSign === '-', closeSign === '+', ws.trimBlocks);
      continue;
    }
    if (kind === '%') {
      const raw = /^\{%[-+]?\s*raw\s*(-?)%\}/.exec(src.slice(at, at + 64));
      if (raw) {
        pushText(text, sign, false);
        const start = after(at + raw[0].length, raw[1] === '-', true, false);
        const end = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/.exec(src.slice(start));
        if (!end) throw templateError(file, line, "missing end of raw directive '{% endraw %}'");
        const content = src.slice(start, start + end.index);
        pushText(content, end[1]!, false);
        pos = after(start + end.index + end[0].length, end[2] === '-', end[2] === '+', ws.trimBlocks);
        continue;
      }
    }
    pushText(text, sign, kind === '{');
    let r;
    try {
      r = lex(src, bodyStart, true, kind === '{' ? '}}' : '%}');
    } catch (err) {
      throw templateError(file, line, (err as Error).message, 'parse', err);
    }
    const tokens = r.tokens;
    if (kind === '{') {
      pieces.push({ kind: 'output', tokens, line });
      pos = after(r.end, r.stripAfter, true, false);
    } else {
      const first = tokens[0]!;
      if (first.type !== 'name') throw templateError(file, line, `expected a statement name after '{%'`);
      pieces.push({ kind: 'tag', name: String(first.value), tokens: tokens.slice(1), line });
      pos = after(r.end, r.stripAfter, r.keepAfter === true, ws.trimBlocks);
    }
  }
  return pieces;
}

/** Parses tokens (ending with an 'end' token) as one expression. */
function expression(tokens: Token[], file: string, line: number, what: string): Node {
  try {
    return new Parser(tokens).parseAll();
  } catch (err) {
    throw templateError(file, line, `${(err as Error).message} in ${what}`, 'parse', err);
  }
}

function endToken(tokens: Token[]): Token {
  return tokens[tokens.length - 1]!;
}

/** The index of the first name token `word` outside brackets, or -1. */
function topLevelName(tokens: Token[], word: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'op' && ['(', '[', '{'].includes(String(t.value))) depth++;
    else if (t.type === 'op' && [')', ']', '}'].includes(String(t.value))) depth--;
    else if (depth === 0 && t.type === 'name' && t.value === word) return i;
  }
  return -1;
}

/** `a` or `a, b` (targets of for and set): plain names separated by commas. */
function targetNames(tokens: Token[], file: string, line: number, tag: string): string[] {
  const names: string[] = [];
  let list = tokens;
  if (list.length >= 2 && list[0]!.type === 'op' && list[0]!.value === '(' && list[list.length - 1]!.type === 'op' && list[list.length - 1]!.value === ')') {
    list = list.slice(1, -1);
  }
  list.forEach((t, i) => {
    const ok = i % 2 === 0 ? t.type === 'name' : t.type === 'op' && t.value === ',';
    if (!ok) {
      const what = t.type === 'op' && t.value === '.' ? ' (assigning to an attribute, as with namespace(), is not supported)' : '';
      throw templateError(file, line, `'{% ${tag} %}' needs variable names before ${tag === 'for' ? "'in'" : "'='"}, got '${t.value}'${what}`);
    }
  });
  for (let i = 0; i < list.length; i += 2) names.push(String(list[i]!.value));
  if (!names.length) throw templateError(file, line, `'{% ${tag} %}' needs a variable name`);
  return names;
}

class TemplateParser {
  private i = 0;
  constructor(
    private readonly pieces: Piece[],
    private readonly file: string,
  ) {}

  parse(): TemplateNode[] {
    const { body, end } = this.body([]);
    if (end) throw this.unexpectedTag(end);
    return body;
  }

  private unexpectedTag(p: { name: string; line: number }): TemplateError {
    return templateError(this.file, p.line, `unexpected '{% ${p.name} %}'`);
  }

  /** Nodes up to one of the tags in `ends` (returned, not consumed as a node) or the end of the template. */
  private body(ends: string[]): { body: TemplateNode[]; end?: { name: string; tokens: Token[]; line: number } } {
    const out: TemplateNode[] = [];
    while (this.i < this.pieces.length) {
      const p = this.pieces[this.i++]!;
      if (p.kind === 'text') out.push({ t: 'text', text: p.text });
      else if (p.kind === 'output') out.push({ t: 'output', expr: expression(p.tokens, this.file, p.line, "'{{ }}'"), line: p.line });
      else if (ends.includes(p.name)) return { body: out, end: p };
      else out.push(this.statement(p));
    }
    return { body: out };
  }

  /** The body up to `ends`; a missing end tag names the statement that opened it. */
  private block(ends: string[], opened: { name: string; line: number }): { body: TemplateNode[]; end: { name: string; tokens: Token[]; line: number } } {
    const r = this.body(ends);
    if (!r.end) throw templateError(this.file, opened.line, `'{% ${opened.name} %}' is never closed (missing '{% ${ends[ends.length - 1]} %}')`);
    return { body: r.body, end: r.end };
  }

  private noArguments(p: { name: string; tokens: Token[]; line: number }): void {
    if (p.tokens.length > 1) throw templateError(this.file, p.line, `'{% ${p.name} %}' takes nothing after it, got '${p.tokens[0]!.value}'`);
  }

  private statement(p: { name: string; tokens: Token[]; line: number }): TemplateNode {
    switch (p.name) {
      case 'if':
        return this.ifStatement(p);
      case 'for':
        return this.forStatement(p);
      case 'set':
        return this.setStatement(p);
      case 'elif':
      case 'else':
      case 'endif':
      case 'endfor':
      case 'endset':
      case 'endraw':
        throw this.unexpectedTag(p);
      case 'include':
        return { t: 'unsupported', name: p.name, line: p.line };
      default:
        throw templateError(this.file, p.line, `the Jinja statement '{% ${p.name} %}' is not supported (prov supports ${SUPPORTED})`);
    }
  }

  private ifStatement(p: { name: string; tokens: Token[]; line: number }): TemplateNode {
    const branches: Array<{ test: Node; body: TemplateNode[]; line: number }> = [];
    let test = expression(p.tokens, this.file, p.line, "'{% if %}'");
    let line = p.line;
    for (;;) {
      const { body, end } = this.block(['elif', 'else', 'endif'], p);
      branches.push({ test, body, line });
      if (end.name === 'elif') {
        test = expression(end.tokens, this.file, end.line, "'{% elif %}'");
        line = end.line;
        continue;
      }
      if (end.name === 'else') {
        this.noArguments(end);
        const rest = this.block(['endif'], p);
        this.noArguments(rest.end);
        return { t: 'if', branches, otherwise: rest.body };
      }
      this.noArguments(end);
      return { t: 'if', branches };
    }
  }

  private forStatement(p: { name: string; tokens: Token[]; line: number }): TemplateNode {
    const inAt = topLevelName(p.tokens, 'in');
    if (inAt < 0) throw templateError(this.file, p.line, "'{% for %}' needs 'in': {% for x in items %}");
    const targets = targetNames(p.tokens.slice(0, inAt), this.file, p.line, 'for');
    const rest = p.tokens.slice(inAt + 1, -1);
    if (topLevelName(rest, 'recursive') >= 0) throw templateError(this.file, p.line, "recursive loops ('{% for ... recursive %}') are not supported");
    const ifAt = topLevelName(rest, 'if');
    const end = endToken(p.tokens);
    const iter = expression([...(ifAt < 0 ? rest : rest.slice(0, ifAt)), end], this.file, p.line, "'{% for %}'");
    const filter = ifAt < 0 ? undefined : expression([...rest.slice(ifAt + 1), end], this.file, p.line, "the 'if' of '{% for %}'");
    const { body, end: close } = this.block(['else', 'endfor'], p);
    if (close.name === 'else') {
      this.noArguments(close);
      const other = this.block(['endfor'], p);
      this.noArguments(other.end);
      return { t: 'for', targets, iter, filter, body, otherwise: other.body, line: p.line };
    }
    this.noArguments(close);
    return { t: 'for', targets, iter, filter, body, line: p.line };
  }

  private setStatement(p: { name: string; tokens: Token[]; line: number }): TemplateNode {
    const eq = p.tokens.findIndex((t) => t.type === 'op' && t.value === '=');
    if (eq < 0) {
      const targets = targetNames(p.tokens.slice(0, -1), this.file, p.line, 'set');
      if (targets.length !== 1) throw templateError(this.file, p.line, "'{% set %}' as a block takes one variable name");
      const { body, end } = this.block(['endset'], p);
      this.noArguments(end);
      return { t: 'setBlock', target: targets[0]!, body, line: p.line };
    }
    const targets = targetNames(p.tokens.slice(0, eq), this.file, p.line, 'set');
    const value = p.tokens.slice(eq + 1, -1);
    const end = endToken(p.tokens);
    // `set a, b = 1, 2`: a bare tuple on the right, read as `(1, 2)`.
    const wrapped: Token[] = value.length ? [{ type: 'op', value: '(', pos: value[0]!.pos }, ...value, { type: 'op', value: ')', pos: end.pos }, end] : [end];
    return { t: 'set', targets, value: expression(wrapped, this.file, p.line, "'{% set %}'"), line: p.line };
  }
}

/** Parses a Jinja2 template's text (newlines already normalized); `firstLine` is the line number of its first line in the file. */
export function parseJinjaTemplate(src: string, file: string, ws: WhitespaceOptions, firstLine = 1): TemplateNode[] {
  return new TemplateParser(scan(src, file, ws, firstLine), file).parse();
}
