/**
 * EJS templates (roles' templates/*.ejs) with every variable as a top-level local, so that
 * `<%= bgp_asn %>` works (ejs's default `_with: true`). `<%= %>` does NOT HTML-escape: these
 * templates produce configuration files, where `&` or `<` must stay as written. Errors become
 * one line naming the template file and line: "templates/frr.conf.ejs:3: bgp_asn is not defined".
 * Variables that hold `{{ }}` templates (role defaults such as `router_id: "{{ subnet_address }}"`)
 * are rendered when the template reads them.
 */
import ejs from 'ejs';
import { TemplateError } from './errors.js';
import { renderedView } from './render.js';

type Compiled = (locals: Record<string, unknown>) => string;
const compiled = new Map<string, Compiled>();

/** `<%= x %>` prints null/undefined as '' and everything else with String(), unescaped. */
function noEscape(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** The one-line error of an ejs failure: ejs prefixes "file:line" and a context snippet to the message. */
function oneLine(err: unknown, filename: string): { message: string; kind: 'parse' | 'failed' } {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split('\n');
  const where = /^(.*):(\d+)$/.exec(lines[0] ?? '');
  const cause = lines.filter((l) => l.trim() !== '').pop() ?? text;
  if (where && lines.length > 1) return { message: `${filename}:${where[2]}: ${cause.trim()}`, kind: 'failed' };
  const isSyntax = err instanceof SyntaxError || /while compiling ejs/.test(text);
  const first = lines[0]?.replace(/ while compiling ejs$/, '').trim() || text;
  return { message: `${filename}: ${isSyntax ? 'template syntax error: ' : ''}${first}`, kind: isSyntax ? 'parse' : 'failed' };
}

export function renderEjs(text: string, locals: Record<string, unknown>, filename: string): string {
  const key = `${filename}\u0000${text}`;
  let fn = compiled.get(key);
  if (!fn) {
    try {
      fn = ejs.compile(text, { filename, escape: noEscape, async: false, compileDebug: true }) as Compiled;
    } catch (err) {
      const { message, kind } = oneLine(err, filename);
      throw new TemplateError(message, kind, { cause: err });
    }
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, fn);
  }
  try {
    return fn(renderedView(locals));
  } catch (err) {
    const { message, kind } = oneLine(err, filename);
    throw new TemplateError(message, kind, { cause: err });
  }
}
