/**
 * PyYAML's yaml.dump, as Ansible's to_yaml / to_nice_yaml call it (SafeDumper, allow_unicode,
 * sort_keys, `indent`, `width`, default_flow_style None or False), for the values a template
 * handles: mappings, lists, strings, numbers, booleans and None.
 *
 * Written by hand, as a port of PyYAML 6's Emitter (analyze_scalar, choose_scalar_style, the
 * plain / single-quoted / double-quoted writers with their line folding, and the block and flow
 * collection states), because no JavaScript library emits PyYAML's bytes: js-yaml and yaml
 * choose other quoting, indentation of nested lists and line folding, and a template that
 * writes YAML must give the same file as under Ansible.
 */
import { TemplateError } from './errors.js';
import { HostText } from './host-data.js';
import { MAX_STRING_CHARS, checkStringChars } from './limits.js';
import { isMapping, Undefined } from './values.js';

export interface PyYamlOptions {
  /** None (to_yaml): a collection of scalars only is written in flow style; false: block style. */
  defaultFlowStyle?: boolean | null;
  indent?: number;
  width?: number;
  what: string;
}

const BREAKS = '\n\x85\u2028\u2029';
const WHITESPACE = '\0 \t\r\n\x85\u2028\u2029';

/** The implicit resolvers of PyYAML's Resolver: a string that reads as one of these must be quoted. */
const RESOLVERS: [RegExp, string][] = [
  [/^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/, 'yYnNtTfFoO'],
  [
    /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    '-+0123456789.',
  ],
  [/^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/, '-+0123456789'],
  [/^(?:<<)$/, '<'],
  [/^(?:~|null|Null|NULL|)$/, '~nN'],
  [
    /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
    '0123456789',
  ],
  [/^(?:=)$/, '='],
];

/** Whether a plain scalar with this text would be read back as a string (Resolver.resolve). */
function plainIsString(text: string): boolean {
  // Python's `$` also matches before a final newline.
  const value = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (text === '') return false;
  return !RESOLVERS.some(([re, first]) => first.includes(text[0]!) && re.test(value));
}

interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function isPrintableUnicode(cp: number): boolean {
  return cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp < 0x10ffff);
}

/** Emitter.analyze_scalar, with allow_unicode. */
function analyze(chars: string[]): Analysis {
  if (chars.length === 0) return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true };
  const text = chars.join('');
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = flowIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || WHITESPACE.includes(chars[1]!);
  let previousSpace = false;
  let previousBreak = false;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index]!;
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true;
      if ('?:'.includes(ch)) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) flowIndicators = blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const cp = ch.codePointAt(0)!;
    if (!(ch === '\n' || (cp >= 0x20 && cp <= 0x7e))) {
      if (!(isPrintableUnicode(cp) && cp !== 0xfeff)) special = true;
    }
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = WHITESPACE.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || WHITESPACE.includes(chars[index + 2]!);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** SafeRepresenter.represent_float (JavaScript numbers that are not whole are Python floats). */
function pyFloat(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  // Python's repr: the shortest digits, positional when -4 <= exponent < 16.
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  // (JavaScript's String() is positional from 1e-7 to 1e21, so only the exponent form is built.)
  let repr = exp >= -4 && exp < 16 ? String(n) : `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  if (!repr.includes('.') && repr.includes('e')) repr = repr.replace('e', '.0e');
  return repr;
}

interface Scalar {
  text: string;
  /** A string (quoted when plain would read as another type); false for numbers, booleans, null. */
  isString: boolean;
}

function scalarOf(v: unknown): Scalar | undefined {
  if (v === null || v === undefined) return { text: 'null', isString: false };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', isString: false };
  if (typeof v === 'number') return { text: Number.isInteger(v) ? String(v) : pyFloat(v), isString: false };
  if (typeof v === 'string') return { text: v, isString: true };
  if (v instanceof HostText) return { text: v.text, isString: true };
  if (v instanceof Undefined) v.fail();
  if (Array.isArray(v) || isMapping(v)) return undefined;
  return { text: String(v), isString: true };
}

function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

interface Context {
  root?: boolean;
  sequence?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

class Emitter {
  private out: string[] = [];
  private size = 0;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private indent: number | null = null;
  private indents: (number | null)[] = [];
  private flowLevel = 0;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private ctx: Context = {};

  constructor(private readonly o: PyYamlOptions) {
    this.bestIndent = o.indent !== undefined && o.indent > 1 && o.indent < 10 ? o.indent : 2;
    this.bestWidth = o.width !== undefined && o.width > this.bestIndent * 2 ? o.width : 80;
  }

  private write(data: string): void {
    this.size += data.length;
    if (this.size > MAX_STRING_CHARS) checkStringChars(this.size, this.o.what);
    this.out.push(data);
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.column += data.length;
    this.openEnded = false;
    this.write(data);
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
      this.column = indent;
    }
  }

  private writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.write(data);
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  /** The representer's flow_style for a collection. */
  private flowStyle(items: unknown[]): boolean {
    if (this.o.defaultFlowStyle === false) return false;
    if (this.o.defaultFlowStyle === true) return true;
    return items.every((x) => scalarOf(x) !== undefined);
  }

  private entries(v: Record<string, unknown>): [string, unknown][] {
    return Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => byCodePoint(a, b));
  }

  node(v: unknown, ctx: Context): void {
    this.ctx = ctx;
    const scalar = scalarOf(v);
    if (scalar) {
      this.increaseIndent(true);
      this.scalar(scalar);
      this.popIndent();
      return;
    }
    if (Array.isArray(v)) {
      if (this.flowLevel > 0 || this.flowStyle(v) || v.length === 0) this.flowSequence(v);
      else this.blockSequence(v);
      return;
    }
    const entries = this.entries(v as Record<string, unknown>);
    if (this.flowLevel > 0 || this.flowStyle(entries.flat()) || entries.length === 0) this.flowMapping(entries);
    else this.blockMapping(entries);
  }

  private simpleKey(key: string): boolean {
    const chars = [...key];
    return chars.length < 128 && chars.length > 0 && !chars.some((c) => BREAKS.includes(c));
  }

  private flowSequence(items: unknown[]): void {
    this.writeIndicator('[', true, true);
    this.flowLevel += 1;
    this.increaseIndent(true);
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { sequence: true });
    });
    this.popIndent();
    this.flowLevel -= 1;
    this.writeIndicator(']', false);
  }

  private flowMapping(entries: [string, unknown][]): void {
    this.writeIndicator('{', true, true);
    this.flowLevel += 1;
    this.increaseIndent(true);
    entries.forEach(([key, value], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.simpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.node(key, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.node(value, { mapping: true });
    });
    this.popIndent();
    this.flowLevel -= 1;
    this.writeIndicator('}', false);
  }

  private blockSequence(items: unknown[]): void {
    this.increaseIndent(false, Boolean(this.ctx.mapping) && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true });
    }
    this.popIndent();
  }

  private blockMapping(entries: [string, unknown][]): void {
    this.increaseIndent(false);
    for (const [key, value] of entries) {
      this.writeIndent();
      if (this.simpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.popIndent();
  }

  /** process_scalar with choose_scalar_style. */
  private scalar(s: Scalar): void {
    const chars = [...s.text];
    const a = analyze(chars);
    const plainImplicit = !s.isString || plainIsString(s.text);
    const split = !this.ctx.simpleKey;
    if (
      plainImplicit &&
      !(this.ctx.simpleKey && (a.empty || a.multiline)) &&
      ((this.flowLevel > 0 && a.allowFlowPlain) || (this.flowLevel === 0 && a.allowBlockPlain))
    ) {
      this.writePlain(chars, split);
    } else if (a.allowSingleQuoted && !(this.ctx.simpleKey && a.multiline)) {
      this.writeSingleQuoted(chars, split);
    } else {
      this.writeDoubleQuoted(chars, split);
    }
  }

  private writePlain(text: string[], split: boolean): void {
    if (this.ctx.root) this.openEnded = true;
    if (text.length === 0) return;
    if (!this.whitespace) {
      this.column += 1;
      this.write(' ');
    }
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.column += end - start;
            this.write(text.slice(start, end).join(''));
          }
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch)) {
        this.column += end - start;
        this.write(text.slice(start, end).join(''));
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  private writeSingleQuoted(text: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== text.length) {
            this.writeIndent();
          } else {
            this.column += end - start;
            this.write(text.slice(start, end).join(''));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}'`.includes(ch)) {
        if (start < end) {
          this.column += end - start;
          this.write(text.slice(start, end).join(''));
          start = end;
        }
      }
      if (ch === "'") {
        this.column += 2;
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(text: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      const cp = ch?.codePointAt(0) ?? 0;
      if (
        ch === undefined ||
        '"\\\x85\u2028\u2029\ufeff'.includes(ch) ||
        !((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd))
      ) {
        if (start < end) {
          this.column += end - start;
          this.write(text.slice(start, end).join(''));
          start = end;
        }
        if (ch !== undefined) {
          const hex = cp.toString(16).toUpperCase();
          const data = Object.hasOwn(ESCAPES, ch)
            ? `\\${ESCAPES[ch]}`
            : cp <= 0xff
              ? `\\x${hex.padStart(2, '0')}`
              : cp <= 0xffff
                ? `\\u${hex.padStart(4, '0')}`
                : `\\U${hex.padStart(8, '0')}`;
          this.column += data.length;
          this.write(data);
          start = end + 1;
        }
      }
      if (end > 0 && end < text.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > this.bestWidth && split) {
        const data = `${text.slice(start, end).join('')}\\`;
        if (start < end) start = end;
        this.column += data.length;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (text[start] === ' ') {
          this.column += 1;
          this.write('\\');
        }
      }
    }
    this.writeIndicator('"', false);
  }

  /** The document: the root node, its line end, and `...` after a plain root scalar (open-ended). */
  document(v: unknown): string {
    this.node(v, { root: true });
    this.writeIndent();
    if (this.openEnded) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    return this.out.join('');
  }
}

export function pyYamlDump(value: unknown, o: PyYamlOptions): string {
  try {
    return new Emitter(o).document(value);
  } catch (err) {
    if (err instanceof RangeError) throw new TemplateError(`${o.what}: value too deeply nested`, 'failed', { cause: err });
    throw err;
  }
}
