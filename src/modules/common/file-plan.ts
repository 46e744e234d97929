/**
 * The plan for "this file should have this content and these attributes", shared by copy,
 * template, lineinfile, blockinfile and sysctl: decide from one read and one stat, write once.
 */
import { ProvError } from '../../core/errors.js';
import type { Action, FileAttrs, FileDiff, FileStat, ModuleContext, Plan, StateRead } from '../../core/contract.js';
import { textOf, toBytes, type FileContent } from '../../core/file-bytes.js';
import { remoteBasename, remoteDirname, remoteJoin } from '../../core/remote-path.js';

export interface DesiredFile extends FileAttrs {
  path: string;
  content: FileContent;
  backup?: boolean;
  validate?: string;
}

/** Differences between a stat and the wanted attributes, as Ansible shows them ("mode: 0644 -> 0600"). */
export function attrChanges(st: FileStat | null, want: FileAttrs): { attrs: FileAttrs; notes: string[] } {
  const attrs: FileAttrs = {};
  const notes: string[] = [];
  if (want.mode !== undefined && st?.mode !== want.mode) {
    attrs.mode = want.mode;
    notes.push(`mode: ${st?.mode ?? 'none'} -> ${want.mode}`);
  }
  if (want.owner !== undefined && st?.owner !== want.owner) {
    attrs.owner = want.owner;
    notes.push(`owner: ${st?.owner ?? 'none'} -> ${want.owner}`);
  }
  if (want.group !== undefined && st?.group !== want.group) {
    attrs.group = want.group;
    notes.push(`group: ${st?.group ?? 'none'} -> ${want.group}`);
  }
  return { attrs, notes };
}

/** The reads planFile makes, for HostDriver.prefetch. */
export function fileReads(path: string): StateRead[] {
  return [
    { kind: 'file', path },
    { kind: 'stat', path },
    { kind: 'stat', path: remoteDirname(path) },
  ];
}

/**
 * Where copy/template write: `dest` itself, or `dest/<name>` when dest ends in "/" or is a
 * directory on the target (as Ansible does); `name` is the source's file name.
 */
export async function destinationPath(ctx: ModuleContext, dest: string, sourceName: string): Promise<{ path: string; inDirectory: boolean }> {
  const inDirectory = dest.endsWith('/') || (await ctx.state.stat(dest))?.type === 'directory';
  return { path: inDirectory ? remoteJoin(dest, remoteBasename(sourceName)) : dest, inDirectory };
}

export interface PlanFileOptions {
  /** The content before (when the caller has read it already); undefined means read it here. */
  before?: Buffer | null;
  /** When the parent directory is missing: fail (copy, template) or create it (lineinfile create). */
  missingParent: 'fail' | 'create';
  /** Message for a brand-new file (blockinfile says "File created"). */
  createdMsg?: string;
  changedMsg?: string;
}

export async function planFile(ctx: ModuleContext, want: DesiredFile, options: PlanFileOptions): Promise<Plan> {
  const before = options.before !== undefined ? options.before : await ctx.state.readFile(want.path);
  const st = await ctx.state.stat(want.path);
  if (st && st.type === 'directory') throw new ProvError('failed', `${want.path} is a directory`);
  const actions: Action[] = [];
  const notes: string[] = [];
  if (before === null) {
    const dir = remoteDirname(want.path);
    const dirStat = await ctx.state.stat(dir);
    if (dirStat === null) {
      if (options.missingParent === 'fail') throw new ProvError('failed', `destination directory ${dir} does not exist`);
      actions.push({ kind: 'mkdir', path: dir });
    } else if (dirStat.type !== 'directory') {
      throw new ProvError('failed', `${dir} is not a directory`);
    }
  }
  const after = toBytes(want.content);
  const contentChanged = before === null || !before.equals(after);
  const { attrs, notes: attrNotes } = attrChanges(before === null ? null : st, want);
  if (contentChanged) {
    actions.push({
      kind: 'write',
      path: want.path,
      content: want.content,
      ...attrs,
      ...(want.validate !== undefined ? { validate: want.validate } : {}),
      ...(want.backup ? { backup: true } : {}),
    });
    notes.push(before === null ? (options.createdMsg ?? 'created') : (options.changedMsg ?? 'content changed'));
  } else if (Object.keys(attrs).length > 0) {
    actions.push({ kind: 'attrs', path: want.path, ...attrs });
  }
  if (before !== null) notes.push(...attrNotes);
  if (actions.length === 0) return { changed: false, actions: [], diffs: [] };
  return {
    changed: true,
    actions,
    diffs: contentChanged ? [fileDiff(want.path, before, after)] : [],
    msg: notes.join(', '),
  };
}

/** The diff of a file's bytes: a line diff of the text, or only "binary" when a side is not UTF-8 text. */
function fileDiff(path: string, before: Buffer | null, after: Buffer): FileDiff {
  const headers = { beforeHeader: before === null ? `${path} (absent)` : path, afterHeader: path };
  const beforeText = before === null ? '' : textOf(before);
  const afterText = textOf(after);
  if (beforeText === null || afterText === null) return { path, before: '', after: '', ...headers, binary: true };
  return { path, before: beforeText, after: afterText, ...headers };
}
