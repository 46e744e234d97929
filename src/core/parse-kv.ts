/**
 * Ansible's free-form `key=value` module arguments (lib/ansible/parsing/splitter.py, 2.14):
 * split_args splits on spaces but keeps quoted strings and {{ }} / {% %} / {# #} blocks whole,
 * parse_kv turns `k=v` words into options (the value unquoted, its escapes decoded) and joins the
 * rest into `_raw_params`. With checkRaw (free-form modules: command, shell) only the command's
 * own options are taken out; every other word stays part of the command.
 */

/** The options a free-form module's string may carry (parse_kv's check_raw list). */
export const FREE_FORM_OPTIONS = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

export class SplitArgsError extends Error {}

function quoteState(token: string, quote: string | undefined): string | undefined {
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (quote) {
        if (c === quote) quote = undefined;
      } else {
        quote = c;
      }
    }
  }
  return quote;
}

const count = (s: string, sub: string) => s.split(sub).length - 1;

function blockDepth(token: string, depth: number, open: string, close: string): number {
  const opened = count(token, open);
  const closed = count(token, close);
  return opened === closed ? depth : Math.max(0, depth + opened - closed);
}

/** split_args: the words of a free-form string, quotes and Jinja blocks kept together, newlines kept. */
export function splitArgs(args: string): string[] {
  if (!args) return [];
  const params: string[] = [];
  const lines = args.split('\n');
  let quote: string | undefined;
  let insideQuotes = false;
  let print = 0;
  let block = 0;
  let comment = 0;
  const appendToLast = (s: string) => {
    if (params.length === 0) params.push('');
    params[params.length - 1] += s;
  };
  lines.forEach((line, lineIndex) => {
    let continuation = false;
    line.split(' ').forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        appendToLast(' ');
        return;
      }
      if (token === '\\' && !insideQuotes) {
        continuation = true;
        return;
      }
      const wasInsideQuotes = insideQuotes;
      quote = quoteState(token, quote);
      insideQuotes = quote !== undefined;
      let appended = false;
      const inBlock = () => print > 0 || block > 0 || comment > 0;
      if (insideQuotes && !wasInsideQuotes && !inBlock()) {
        params.push(token);
        appended = true;
      } else if (inBlock() || insideQuotes || wasInsideQuotes) {
        appendToLast(idx === 0 && wasInsideQuotes ? token : `${idx > 0 ? ' ' : ''}${token}`);
        appended = true;
      }
      for (const [open, close, which] of [
        ['{{', '}}', 'print'],
        ['{%', '%}', 'block'],
        ['{#', '#}', 'comment'],
      ] as const) {
        const before = which === 'print' ? print : which === 'block' ? block : comment;
        const after = blockDepth(token, before, open, close);
        if (which === 'print') print = after;
        else if (which === 'block') block = after;
        else comment = after;
        if (after !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!inBlock() && !insideQuotes && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIndex !== lines.length - 1 && !continuation) appendToLast('\n');
  });
  if (print || block || comment || insideQuotes) {
    throw new SplitArgsError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  }
  return params;
}

/** join_args: the words joined by one space, none after a newline. */
export function joinArgs(words: string[]): string {
  let out = '';
  for (const w of words) out += out.length === 0 || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

const ESCAPE = /\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[\\'"abfnrtv]/g;
const SINGLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeEscapes(s: string): string {
  return s.replace(ESCAPE, (m) => (m.length === 2 ? SINGLE[m[1]!]! : String.fromCodePoint(Number.parseInt(m.slice(2), 16))));
}

/** Ansible's unquote: one pair of matching outer quotes removed. */
export function unquote(s: string): string {
  const quoted = s.length > 1 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'") && s[s.length - 2] !== '\\';
  return quoted ? s.slice(1, -1) : s;
}

/** parse_kv: `k=v` words as options, the other words joined as `_raw_params`. */
export function parseKv(args: string, checkRaw = false): Record<string, string> {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const orig of splitArgs(args)) {
    const x = decodeEscapes(orig);
    let pos = -1;
    for (let p = x.indexOf('=', 1); p !== -1; p = x.indexOf('=', p + 1)) {
      if (x[p - 1] !== '\\') {
        pos = p;
        break;
      }
    }
    if (!x.includes('=')) {
      raw.push(orig);
    } else if (pos === -1) {
      raw.push(x.replaceAll('\\=', '='));
    } else {
      const key = x.slice(0, pos);
      if (checkRaw && !FREE_FORM_OPTIONS.has(key)) raw.push(orig);
      else options[key.trim()] = unquote(x.slice(pos + 1).trim());
    }
  }
  if (raw.length > 0) options._raw_params = joinArgs(raw);
  return options;
}
