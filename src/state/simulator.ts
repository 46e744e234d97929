/**
 * Check mode's view of a machine: a base HostState (the real machine, read-only) with the
 * actions of earlier tasks laid over it in memory, so that a later task is planned against the
 * state that the earlier ones would produce, including the directories and files that a planned
 * package install creates (exec actions' `creates`). Nothing here touches the machine.
 */
import { toBytes } from '../core/file-bytes.js';
import type { Action, CreatedPaths, FileStat, HostState } from '../core/contract.js';
import { ProvError } from '../core/errors.js';
import type { ExecResult } from '../core/transport.js';

type Entry =
  | { type: 'file'; content: Buffer; mode?: string; owner?: string; group?: string }
  | { type: 'directory'; mode?: string; owner?: string; group?: string }
  | { type: 'removed' }
  | { type: 'attrs'; mode?: string; owner?: string; group?: string }
  /** A file that an earlier command (a package install) creates, content not known before it runs. */
  | { type: 'pending'; by: string };

/**
 * Check mode cannot know the content of a file that a planned package install creates: the
 * runner reports the task reading it as changed ("after installing frr") instead of failing.
 */
export class ContentNotKnownError extends ProvError {
  constructor(
    readonly path: string,
    readonly by: string,
  ) {
    super('failed', `${path} is created by ${by}: its content is known only after that`);
  }
}

function normalize(path: string): string {
  const p = path.replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

function parentsOf(path: string): string[] {
  const out: string[] = [];
  let p = normalize(path);
  while (p.lastIndexOf('/') > 0) {
    p = p.slice(0, p.lastIndexOf('/'));
    out.push(p);
  }
  return out;
}

export class SimulatedState implements HostState {
  private entries = new Map<string, Entry>();
  private effects = new Map<string, string>();
  /** Commands that check mode would have run, in order (for reports and tests). */
  readonly skippedCommands: string[] = [];

  constructor(readonly base: HostState) {}

  /** The overlay entry that decides this path, if any: its own, or a removed ancestor. */
  private lookup(path: string): Entry | undefined {
    const own = this.entries.get(normalize(path));
    if (own) return own;
    for (const parent of parentsOf(path)) {
      const e = this.entries.get(parent);
      if (e?.type === 'removed') return e;
      if (e?.type === 'directory' || e?.type === 'file') return undefined;
    }
    return undefined;
  }

  async readFile(path: string): Promise<Buffer | null> {
    const e = this.lookup(path);
    if (e?.type === 'removed') return null;
    if (e?.type === 'file') return e.content;
    if (e?.type === 'directory') return null;
    if (e?.type === 'pending') {
      // A file left on the machine (a conffile of a removed package) is kept by the install.
      const existing = await this.base.readFile(path);
      if (existing !== null) return existing;
      throw new ContentNotKnownError(normalize(path), e.by);
    }
    return this.base.readFile(path);
  }

  async stat(path: string): Promise<FileStat | null> {
    const e = this.lookup(path);
    if (e?.type === 'removed') return null;
    if (e?.type === 'file' || e?.type === 'directory') {
      const before = await this.base.stat(path);
      const sameType = before?.type === e.type ? before : null;
      return {
        type: e.type,
        mode: e.mode ?? sameType?.mode ?? (e.type === 'file' ? '0644' : '0755'),
        owner: e.owner ?? sameType?.owner ?? 'root',
        group: e.group ?? sameType?.group ?? 'root',
        size: e.type === 'file' ? e.content.length : (sameType?.size ?? 4096),
      };
    }
    const before = await this.base.stat(path);
    if (e?.type === 'pending') return before ?? { type: 'file', mode: '0644', owner: 'root', group: 'root', size: 0 };
    if (e?.type === 'attrs' && before) {
      return { ...before, mode: e.mode ?? before.mode, owner: e.owner ?? before.owner, group: e.group ?? before.group };
    }
    return before;
  }

  async query(command: string, key?: string): Promise<ExecResult> {
    if (key !== undefined && this.effects.has(key)) return { stdout: this.effects.get(key)!, stderr: '', code: 0 };
    return this.base.query(command, key);
  }

  /** Records the actions as if they had run; exec actions "succeed" with empty output. */
  applyActions(actions: Action[]): ExecResult[] {
    const results: ExecResult[] = [];
    for (const a of actions) {
      const path = a.kind === 'exec' ? '' : normalize(a.path);
      switch (a.kind) {
        case 'write': {
          const old = this.entries.get(path);
          const kept = old && old.type !== 'removed' && old.type !== 'pending' ? old : {};
          this.entries.set(path, { ...kept, type: 'file', content: toBytes(a.content), ...defined(a) });
          break;
        }
        case 'mkdir':
          this.entries.set(path, { type: 'directory', ...defined(a) });
          this.markParentsPresent(path);
          break;
        case 'attrs': {
          const old = this.entries.get(path);
          if (old && old.type !== 'removed') this.entries.set(path, { ...old, ...defined(a) });
          else this.entries.set(path, { type: 'attrs', ...defined(a) });
          break;
        }
        case 'remove':
          for (const k of [...this.entries.keys()]) if (k.startsWith(`${path}/`)) this.entries.delete(k);
          this.entries.set(path, { type: 'removed' });
          break;
        case 'exec':
          this.skippedCommands.push(a.display ?? a.command);
          for (const [k, v] of Object.entries(a.effects ?? {})) this.effects.set(k, v);
          for (const created of a.creates ?? []) this.markCreated(created);
          results.push({ stdout: '', stderr: '', code: 0 });
          break;
      }
    }
    return results;
  }

  /** A package install: its directories exist, and its files exist with content not known yet. */
  private markCreated(created: CreatedPaths): void {
    for (const dir of created.directories.map(normalize)) {
      const e = this.entries.get(dir);
      if (e === undefined || e.type === 'removed' || e.type === 'attrs') this.entries.set(dir, { type: 'directory' });
      this.markParentsPresent(dir);
    }
    for (const file of created.files.map(normalize)) {
      const e = this.entries.get(file);
      // A file already written by an earlier task stays as it is (dpkg keeps it: --force-confold).
      if (e === undefined || e.type === 'removed' || e.type === 'attrs') this.entries.set(file, { type: 'pending', by: created.by });
      this.markParentsPresent(file);
    }
  }

  /** `mkdir -p` creates missing parents (a parent's own mode and owner come from the base). */
  private markParentsPresent(path: string): void {
    for (const parent of parentsOf(path)) {
      const e = this.entries.get(parent);
      if (e === undefined || e.type === 'removed' || e.type === 'attrs') this.entries.set(parent, { type: 'directory' });
    }
  }
}

function defined(a: { mode?: string; owner?: string; group?: string }): { mode?: string; owner?: string; group?: string } {
  const out: { mode?: string; owner?: string; group?: string } = {};
  if (a.mode !== undefined) out.mode = a.mode;
  if (a.owner !== undefined) out.owner = a.owner;
  if (a.group !== undefined) out.group = a.group;
  return out;
}
