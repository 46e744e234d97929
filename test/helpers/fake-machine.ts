/**
 * FakeMachine: an in-memory machine for unit tests of modules and of the runner. It is a
 * HostState (files as bytes with mode/owner/group, directories, and query answers) and a HostDriver
 * (it applies actions to itself with the same rules as the real executor: a write needs its
 * directory, keeps the old mode and owner, and `validate` runs on the candidate first).
 *
 * Queries are answered, in order, by a value set with setQuery(key) or by an exec action's
 * declared `effects`, then by the first responder whose `match` fits (a RegExp tests the command,
 * a string equals the key). An unanswered query throws, so a test never passes on a guess.
 */
import { ProvError } from '../../src/core/errors.js';
import { toBytes, type FileContent } from '../../src/core/file-bytes.js';
import type { Action, FileStat, HostState, StateRead } from '../../src/core/contract.js';
import { refuseNul } from '../../src/state/remote-path.js';
import type { HostDriver } from '../../src/state/driver.js';
import type { ExecResult } from '../../src/core/transport.js';

export interface FakeFileAttrs {
  mode: string;
  owner: string;
  group: string;
}

/** A file on the fake machine: its bytes and attributes; `content` reads the bytes as UTF-8 (for assertions). */
export class FakeFile implements FakeFileAttrs {
  bytes: Buffer;
  mode: string;
  owner: string;
  group: string;

  constructor(content: FileContent, attrs: Partial<FakeFileAttrs> = {}) {
    this.bytes = Buffer.from(toBytes(content));
    this.mode = attrs.mode ?? '0644';
    this.owner = attrs.owner ?? 'root';
    this.group = attrs.group ?? 'root';
  }

  get content(): string {
    return this.bytes.toString('utf8');
  }
}
export interface FakeDir {
  mode: string;
  owner: string;
  group: string;
}
export type FakeAnswer = string | Partial<ExecResult>;
export interface FakeResponder {
  match: RegExp | string;
  respond: FakeAnswer | ((command: string, machine: FakeMachine) => FakeAnswer | void);
}
export interface FakeMachineInit {
  files?: Record<string, FileContent | (Partial<FakeFileAttrs> & { content?: FileContent })>;
  dirs?: string[] | Record<string, Partial<FakeDir>>;
  /** Query answers by key (same as setQuery). */
  queries?: Record<string, FakeAnswer>;
  /** Answers to read-only queries. */
  responders?: FakeResponder[];
  /** Answers to exec actions (commands that change things); unmatched commands succeed silently. */
  commands?: FakeResponder[];
}

function normalize(path: string): string {
  const p = path.replace(/\/+$/, '');
  return p === '' ? '/' : p;
}
function dirname(path: string): string {
  const p = normalize(path);
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
function toResult(answer: FakeAnswer | void): ExecResult {
  if (answer === undefined) return { stdout: '', stderr: '', code: 0 };
  if (typeof answer === 'string') return { stdout: answer, stderr: '', code: 0 };
  return { stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', code: answer.code ?? 0 };
}

export class FakeMachine implements HostDriver, HostState {
  readonly files = new Map<string, FakeFile>();
  readonly dirs = new Map<string, FakeDir>([['/', { mode: '0755', owner: 'root', group: 'root' }]]);
  /** Every exec action's command, in order. */
  readonly executed: string[] = [];
  /** Every query's command, in order. */
  readonly queried: string[] = [];
  private readonly keyed = new Map<string, ExecResult>();
  private readonly responders: FakeResponder[];
  private readonly commands: FakeResponder[];
  readonly state: HostState = this;

  constructor(init: FakeMachineInit = {}) {
    const dirs = init.dirs ?? [];
    for (const [path, attrs] of Array.isArray(dirs) ? dirs.map((d) => [d, {}] as const) : Object.entries(dirs)) {
      this.mkdirs(path, attrs);
    }
    for (const [path, f] of Object.entries(init.files ?? {})) {
      const file = typeof f === 'string' || Buffer.isBuffer(f) ? { content: f } : f;
      this.mkdirs(dirname(path), {});
      this.files.set(normalize(path), new FakeFile(file.content ?? '', file));
    }
    for (const [key, answer] of Object.entries(init.queries ?? {})) this.setQuery(key, answer);
    this.responders = init.responders ?? [];
    this.commands = init.commands ?? [];
  }

  setQuery(key: string, answer: FakeAnswer): void {
    this.keyed.set(key, toResult(answer));
  }

  /** Creates a directory and its missing parents. */
  mkdirs(path: string, attrs: Partial<FakeDir>): void {
    const p = normalize(path);
    if (p !== '/' && !this.dirs.has(dirname(p))) this.mkdirs(dirname(p), {});
    const old = this.dirs.get(p);
    this.dirs.set(p, { mode: attrs.mode ?? old?.mode ?? '0755', owner: attrs.owner ?? old?.owner ?? 'root', group: attrs.group ?? old?.group ?? 'root' });
  }

  // HostState

  async readFile(path: string): Promise<Buffer | null> {
    const p = normalize(refuseNul(path));
    if (this.dirs.has(p)) throw new ProvError('failed', `${path} is not a regular file`);
    const bytes = this.files.get(p)?.bytes;
    return bytes === undefined ? null : Buffer.from(bytes);
  }

  async stat(path: string): Promise<FileStat | null> {
    const p = normalize(refuseNul(path));
    const f = this.files.get(p);
    if (f) return { type: 'file', mode: f.mode, owner: f.owner, group: f.group, size: f.bytes.length };
    const d = this.dirs.get(p);
    if (d) return { type: 'directory', mode: d.mode, owner: d.owner, group: d.group, size: 4096 };
    return null;
  }

  async query(command: string, key?: string): Promise<ExecResult> {
    this.queried.push(command);
    if (key !== undefined && this.keyed.has(key)) return this.keyed.get(key)!;
    const responder = this.responders.find((r) => (typeof r.match === 'string' ? r.match === key : r.match.test(command)));
    if (!responder) throw new Error(`FakeMachine: no answer for query ${JSON.stringify(command)} (key ${key ?? 'none'})`);
    return toResult(typeof responder.respond === 'function' ? responder.respond(command, this) : responder.respond);
  }

  // HostDriver

  async prefetch(_reads: StateRead[]): Promise<void> {}
  invalidate(): void {}
  async close(): Promise<void> {}

  async execute(actions: Action[]): Promise<ExecResult[]> {
    const results: ExecResult[] = [];
    for (const a of actions) {
      if (a.kind === 'exec') results.push(this.runCommand(a));
      else this.applyFileAction(a);
    }
    return results;
  }

  private runCommand(a: Extract<Action, { kind: 'exec' }>): ExecResult {
    this.executed.push(a.command);
    const responder = this.commands.find((r) => (typeof r.match === 'string' ? a.command.includes(r.match) : r.match.test(a.command)));
    const result = toResult(responder ? (typeof responder.respond === 'function' ? responder.respond(a.command, this) : responder.respond) : undefined);
    if (result.code !== 0 && a.mustSucceed !== false) {
      const why = result.stderr.trim().split('\n')[0] || 'no output';
      throw new ProvError('failed', `'${a.display ?? a.command}' failed (rc=${result.code}): ${why}`);
    }
    if (result.code === 0) for (const [k, v] of Object.entries(a.effects ?? {})) this.setQuery(k, v);
    return result;
  }

  private applyFileAction(a: Exclude<Action, { kind: 'exec' }>): void {
    const p = normalize(refuseNul(a.path));
    switch (a.kind) {
      case 'write': {
        if (!this.dirs.has(dirname(p))) throw new ProvError('failed', `${a.path}: cannot create a temporary file in ${dirname(p)}`);
        if (this.dirs.has(p)) throw new ProvError('failed', `${a.path}: rename into place failed`);
        const old = this.files.get(p);
        const candidate = new FakeFile(a.content, {
          mode: a.mode ?? old?.mode,
          owner: a.owner ?? old?.owner,
          group: a.group ?? old?.group,
        });
        if (a.validate !== undefined) {
          const tmp = `${dirname(p) === '/' ? '' : dirname(p)}/.prov.candidate`;
          this.files.set(tmp, candidate);
          try {
            const result = this.runCommand({ kind: 'exec', command: a.validate.split('%s').join(tmp), mustSucceed: false });
            if (result.code !== 0) {
              const out = `${result.stdout}${result.stderr}`.replace(/\n/g, ' ').trim();
              throw new ProvError('failed', `${a.path}: validate '${a.validate}' failed: ${out}`);
            }
          } finally {
            this.files.delete(tmp);
          }
        }
        if (a.backup && old) this.files.set(`${p}.backup~`, new FakeFile(old.bytes, old));
        this.files.set(p, candidate);
        break;
      }
      case 'mkdir':
        if (this.files.has(p)) throw new ProvError('failed', `${a.path}: mkdir failed`);
        this.mkdirs(p, a);
        break;
      case 'attrs': {
        const target = this.files.get(p) ?? this.dirs.get(p);
        if (!target) throw new ProvError('failed', `${a.path}: chmod failed`);
        if (a.mode !== undefined) target.mode = a.mode;
        if (a.owner !== undefined) target.owner = a.owner;
        if (a.group !== undefined) target.group = a.group;
        break;
      }
      case 'remove':
        for (const k of [...this.files.keys()]) if (k === p || k.startsWith(`${p}/`)) this.files.delete(k);
        for (const k of [...this.dirs.keys()]) if (k === p || k.startsWith(`${p}/`)) this.dirs.delete(k);
        break;
    }
  }
}
