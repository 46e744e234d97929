/**
 * Rendering of Jinja2 template files (`template: src: x.j2`, any src not ending in .ejs) as
 * Ansible's template action renders them (ansible/plugins/action/template.py and
 * Templar.do_template in ansible/template/__init__.py, ansible-core 2.14):
 *
 * - `trim_blocks=True`, `lstrip_blocks=False`, `keep_trailing_newline=False`; a first line
 *   `#jinja2: trim_blocks: False, lstrip_blocks: True` overrides them for the file.
 * - Jinja drops one trailing newline of the source; Ansible then appends newlines until the
 *   output ends with as many as the source did.
 * - `{{ none }}` prints nothing (Ansible's finalize), an undefined variable is an error
 *   (StrictUndefined).
 *
 * Statements (statements.ts) get Jinja's scoping: a `for` body is a new scope in each iteration,
 * so a `set` inside it does not leak; `if` is not a scope. Variables are read as `{{ }}` reads
 * them (render.ts): data from machines is data, never rendered again. The output is bounded by
 * MAX_STRING_CHARS and the render by the template time limit (PROV_TEMPLATE_TIMEOUT_MS), as for
 * EJS templates. Errors are one line naming the file and line: "templates/x.j2:3: ...".
 */
import { TemplateError } from './errors.js';
import { templateTimeoutMs } from './ejs.js';
import { Evaluator, type Scope } from './eval.js';
import { BoundedText } from './limits.js';
import { variablesScope } from './render.js';
import { parseJinjaTemplate, templateError, type TemplateNode, type WhitespaceOptions } from './statements.js';
import { isMapping, isTruthy, pyStr, typeName, Undefined } from './values.js';

const OVERRIDE_HEADER = '#jinja2:';

interface FileOptions extends WhitespaceOptions {
  keepTrailingNewline: boolean;
}

/** The `#jinja2:` first line's settings (Ansible reads each `key: value` with ast.literal_eval). */
function readHeader(line: string, file: string, options: FileOptions): void {
  const names: Record<string, keyof FileOptions> = { trim_blocks: 'trimBlocks', lstrip_blocks: 'lstripBlocks', keep_trailing_newline: 'keepTrailingNewline' };
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw templateError(file, 1, `failed to parse jinja2 override '${pair.trim()}': use key: value`);
    const key = pair.slice(0, colon).trim();
    const value = pair.slice(colon + 1).trim();
    const option = Object.hasOwn(names, key) ? names[key] : undefined;
    if (!option) throw templateError(file, 1, `the jinja2 override '${key}' is not supported (prov supports ${Object.keys(names).join(', ')})`);
    if (value !== 'True' && value !== 'False') throw templateError(file, 1, `the jinja2 override '${key}' needs True or False, got '${value}'`);
    options[option] = value === 'True';
  }
}

function trailingNewlines(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\n') n++;
  return n;
}

const parsed = new Map<string, TemplateNode[]>();

function parseFile(text: string, file: string): TemplateNode[] {
  const key = `${file}\u0000${text}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const options: FileOptions = { trimBlocks: true, lstripBlocks: false, keepTrailingNewline: false };
  let src = text;
  let firstLine = 1;
  if (src.startsWith(OVERRIDE_HEADER)) {
    const eol = src.indexOf('\n');
    readHeader(src.slice(OVERRIDE_HEADER.length, eol < 0 ? -1 : eol), file, options);
    src = src.slice(eol + 1);
    firstLine = eol < 0 ? 1 : 2;
  }
  const lines = src.split(/\r\n|\r|\n/);
  if (!options.keepTrailingNewline && lines[lines.length - 1] === '') lines.pop();
  const nodes = parseJinjaTemplate(lines.join('\n'), file, options, firstLine);
  if (parsed.size > 500) parsed.clear();
  parsed.set(key, nodes);
  return nodes;
}

/** Local variables of one scope (the template's top level, or one iteration of a for loop). */
class Frame {
  readonly vars = new Map<string, unknown>();
  constructor(readonly parent?: Frame) {}
}

function iterate(v: unknown): unknown[] {
  if (v instanceof Undefined) v.fail();
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw new TemplateError(`'${typeName(v)}' object is not iterable`);
}

class JinjaRenderer {
  private frame = new Frame();
  private readonly evaluator: Evaluator;
  private readonly out: BoundedText;
  private readonly deadline: number;

  constructor(
    base: Scope,
    private readonly file: string,
    private readonly timeoutMs: number,
  ) {
    const scope: Scope = {
      lookup: (name) => {
        for (let f: Frame | undefined = this.frame; f; f = f.parent) if (f.vars.has(name)) return f.vars.get(name);
        return base.lookup(name);
      },
    };
    this.evaluator = new Evaluator(scope);
    this.out = new BoundedText('the output');
    this.deadline = Date.now() + timeoutMs;
  }

  render(nodes: TemplateNode[]): string {
    this.nodes(nodes, this.out);
    return this.out.toString();
  }

  /** Runs `fn` for the statement at `line`: its errors name the file and line. */
  private at<T>(line: number, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TemplateError && err.message.startsWith(`${this.file}:`)) throw err;
      const kind = err instanceof TemplateError && err.kind === 'parse' ? 'parse' : 'failed';
      if (!(err instanceof TemplateError) && !(err instanceof RangeError)) throw err;
      throw templateError(this.file, line, err.message, kind, err);
    }
  }

  private checkTime(): void {
    if (Date.now() > this.deadline) {
      throw new TemplateError(
        `${this.file}: rendering took longer than ${this.timeoutMs} ms and was stopped (the limit is PROV_TEMPLATE_TIMEOUT_MS, default 10000)`,
      );
    }
  }

  private assign(targets: string[], value: unknown, line: number): void {
    if (targets.length === 1) {
      this.frame.vars.set(targets[0]!, value);
      return;
    }
    const items = this.at(line, () => {
      if (!Array.isArray(value) && typeof value !== 'string') throw new TemplateError(`cannot unpack non-iterable ${typeName(value)} object`);
      const list = [...value];
      if (list.length < targets.length) throw new TemplateError(`not enough values to unpack (expected ${targets.length}, got ${list.length})`);
      if (list.length > targets.length) throw new TemplateError(`too many values to unpack (expected ${targets.length})`);
      return list;
    });
    targets.forEach((name, i) => this.frame.vars.set(name, items[i]));
  }

  private nodes(nodes: TemplateNode[], out: BoundedText): void {
    for (const node of nodes) this.node(node, out);
  }

  private node(node: TemplateNode, out: BoundedText): void {
    this.checkTime();
    switch (node.t) {
      case 'text':
        out.push(node.text);
        return;
      case 'output': {
        this.at(node.line, () => {
          const value = this.evaluator.eval(node.expr);
          out.push(value === null || value === undefined ? '' : pyStr(value));
        });
        return;
      }
      case 'if': {
        for (const branch of node.branches) {
          if (this.at(branch.line, () => isTruthy(this.evaluator.eval(branch.test)))) {
            this.nodes(branch.body, out);
            return;
          }
        }
        if (node.otherwise) this.nodes(node.otherwise, out);
        return;
      }
      case 'set':
        this.assign(
          node.targets,
          this.at(node.line, () => this.evaluator.eval(node.value)),
          node.line,
        );
        return;
      case 'setBlock': {
        const text = new BoundedText(`'{% set ${node.target} %}'`);
        this.nodes(node.body, text);
        this.frame.vars.set(node.target, text.toString());
        return;
      }
      case 'for':
        this.forLoop(node, out);
        return;
      case 'unsupported':
        throw templateError(this.file, node.line, `the Jinja statement '{% ${node.name} %}' is not supported by prov`, 'failed');
    }
  }

  private forLoop(node: Extract<TemplateNode, { t: 'for' }>, out: BoundedText): void {
    let items = this.at(node.line, () => iterate(this.evaluator.eval(node.iter)));
    const outer = this.frame;
    if (node.filter) {
      const filter = node.filter;
      items = items.filter((item) => {
        this.frame = new Frame(outer);
        try {
          this.assign(node.targets, item, node.line);
          return this.at(node.line, () => isTruthy(this.evaluator.eval(filter)));
        } finally {
          this.frame = outer;
        }
      });
    }
    if (!items.length) {
      if (node.otherwise) this.nodes(node.otherwise, out);
      return;
    }
    const length = items.length;
    try {
      items.forEach((item, i) => {
        this.checkTime();
        this.frame = new Frame(outer);
        this.assign(node.targets, item, node.line);
        const loop: Record<string, unknown> = {
          index: i + 1,
          index0: i,
          revindex: length - i,
          revindex0: length - i - 1,
          first: i === 0,
          last: i === length - 1,
          length,
          depth: 1,
          depth0: 0,
        };
        if (i > 0) loop['previtem'] = items[i - 1];
        if (i < length - 1) loop['nextitem'] = items[i + 1];
        this.frame.vars.set('loop', loop);
        this.nodes(node.body, out);
      });
    } finally {
      this.frame = outer;
    }
  }
}

/** Renders a Jinja2 template file's text against `vars`; `file` names it in errors. */
export function renderJinja(text: string, vars: Record<string, unknown>, file: string, options: { timeoutMs?: number } = {}): string {
  const nodes = parseFile(text, file);
  const out = new JinjaRenderer(variablesScope(vars), file, options.timeoutMs ?? templateTimeoutMs()).render(nodes);
  const missing = trailingNewlines(text) - trailingNewlines(out);
  return missing > 0 ? out + '\n'.repeat(missing) : out;
}
