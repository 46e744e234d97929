/**
 * EJS templates (roles' templates/*.ejs) with every variable as a top-level local, so that
 * `<%= bgp_asn %>` works (ejs's default `_with: true`). `<%= %>` does NOT HTML-escape: these
 * templates produce configuration files, where `&` or `<` must stay as written. Errors become
 * one line naming the template file and line: "templates/frr.conf.ejs:3: bgp_asn is not defined".
 * Variables that hold `{{ }}` templates (role defaults such as `router_id: "{{ subnet_address }}"`)
 * are rendered when the template reads them.
 *
 * Templates are code run on the controller (as Jinja is for Ansible); prov only makes sure that
 * one cannot end the run as a success it did not have: a render runs with a time limit (10 s,
 * PROV_TEMPLATE_TIMEOUT_MS) and with process.exit() replaced, so a template that loops forever
 * or calls process.exit() fails its task (and the run ends with its recap and a failure code).
 */
import vm from 'node:vm';
import ejs from 'ejs';
import { TemplateError } from './errors.js';
import { renderedView } from './render.js';

/**
 * Why an `.ejs` file holds Jinja2 instead (a template renamed by mistake), or undefined. An EJS
 * render of Jinja2 copies `{% if %}` and `{{ x }}` into the file as they are: a wrong file,
 * silently. So an .ejs file with no EJS tag but a Jinja2 statement, expression or comment is
 * refused (template-file.ts renders every other name as Jinja2).
 */
export function jinjaTemplateReason(text: string): string | undefined {
  if (text.includes('<%')) return undefined;
  const m = /\{%-?\s*[a-z]+|\{\{-?[^}\n]*\}\}|\{#[^}\n]*#\}/.exec(text);
  return m ? `it has Jinja2 syntax ${JSON.stringify(m[0])} and no EJS tag` : undefined;
}

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

export const DEFAULT_TEMPLATE_TIMEOUT_MS = 10_000;

/** The render time limit: PROV_TEMPLATE_TIMEOUT_MS when it is a positive number, else 10 s. */
export function templateTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env['PROV_TEMPLATE_TIMEOUT_MS']);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TEMPLATE_TIMEOUT_MS;
}

const EXIT_MESSAGE = 'the template called process.exit(): a template must not end prov';

/**
 * Runs a synchronous render inside vm's time limit (V8 stops the script when it expires, even a
 * `while (true) {}` inside a try block), with process.exit and process.reallyExit replaced by
 * functions that throw, so the call fails the render even when the template catches the throw.
 */
const sandbox = vm.createContext({ render: (): unknown => undefined });
const callRender = new vm.Script('render()', { filename: 'prov-template-render' });

function runGuarded(render: () => string, filename: string, timeoutMs: number): string {
  const proc = process as NodeJS.Process & { reallyExit?: (code?: number) => never };
  const { exit, reallyExit } = proc;
  let exitCalled = false;
  const refuse = (): never => {
    exitCalled = true;
    throw new Error(EXIT_MESSAGE);
  };
  proc.exit = refuse;
  if (reallyExit) proc.reallyExit = refuse;
  sandbox['render'] = render;
  let out: string;
  try {
    out = callRender.runInContext(sandbox, { timeout: timeoutMs }) as string;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new TemplateError(
        `${filename}: rendering took longer than ${timeoutMs} ms and was stopped (the limit is PROV_TEMPLATE_TIMEOUT_MS, default 10000)`,
        'failed',
        { cause: err },
      );
    }
    const { message, kind } = oneLine(err, filename);
    throw new TemplateError(exitCalled && !message.includes(EXIT_MESSAGE) ? `${filename}: ${EXIT_MESSAGE}` : message, kind, { cause: err });
  } finally {
    proc.exit = exit;
    if (reallyExit) proc.reallyExit = reallyExit;
    sandbox['render'] = () => undefined;
  }
  if (exitCalled) throw new TemplateError(`${filename}: ${EXIT_MESSAGE}`);
  return out;
}

export function renderEjs(text: string, locals: Record<string, unknown>, filename: string, options: { timeoutMs?: number } = {}): string {
  const jinja = jinjaTemplateReason(text);
  if (jinja !== undefined) {
    throw new TemplateError(`${filename}: a Jinja2 template in an .ejs file (${jinja}): name it .j2 to render it as Jinja2`, 'failed', { template: filename });
  }
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
  const template = fn;
  return runGuarded(() => template(renderedView(locals)), filename, options.timeoutMs ?? templateTimeoutMs());
}
