/**
 * group_vars/ and host_vars/ beside an inventory, found as Ansible's vars plugin finds them
 * (host_group_vars, _find_vars_files): `<name>` if it exists (a file, or a directory: every
 * file inside it, recursively, sorted, skipping hidden and `~` backups, extensions '', .yml,
 * .yaml, .json, later files winning), else the first of the files `<name>.yml`, `<name>.yaml`,
 * `<name>.json`. Only entries directly inside the vars directory are ever looked at: a name
 * that would resolve elsewhere is refused (load.ts already refuses such names).
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { readBoundedFile } from '../core/bounded-read.js';
import { dirname, extname, join, resolve } from 'node:path';
import { excerpt, parseError, ProvError, readFailure } from '../core/errors.js';
import { hasProtoKey, PROTO_KEY, PROTO_VARIABLE } from './names.js';
import type { Vars } from './types.js';
import { parseAnsibleYaml } from '../core/yaml/parse.js';
import { decodeUtf8 } from '../core/yaml/read.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

async function kindOf(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch (err) {
    // A symlink that points to itself (or round a cycle) names nothing: refused, never skipped.
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new ProvError('parse', `${path}: cannot read vars: a symlink loop`, { cause: err });
    return undefined;
  }
}

/** Every vars file under `dir`; `outer` are the real paths of the directories it is inside (a symlink back to one is a loop). */
async function filesInDir(dir: string, outer: readonly string[] = []): Promise<string[]> {
  const real = await realpath(dir);
  const loop = outer.indexOf(real);
  if (loop >= 0) throw new ProvError('parse', `${dir}: cannot read vars: a symlink loop (it is the directory ${outer[loop]} again)`);
  const inside = [...outer, real];
  const names = (await readdir(dir)).sort();
  const found: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = join(dir, name);
    const ext = extname(name);
    const kind = await kindOf(full);
    if (kind === 'dir' && !ext) found.push(...(await filesInDir(full, inside)));
    else if (kind === 'file' && EXTENSIONS.includes(ext)) found.push(full);
  }
  return found;
}

/** The vars files for one group or host name in `dir` (e.g. `<inventory dir>/group_vars`), in load order. */
export async function varsFilesFor(dir: string, name: string): Promise<string[]> {
  const base = resolve(dir);
  const inside = (candidate: string): string => {
    const path = resolve(base, candidate);
    if (dirname(path) !== base) throw new ProvError('parse', `${dir}: refusing the vars file of ${excerpt(name)}: it would be outside ${dir}`);
    return path;
  };
  const bare = inside(name);
  const kind = await kindOf(bare);
  if (kind === 'dir') return filesInDir(bare);
  if (kind === 'file') return [bare];
  for (const ext of EXTENSIONS.filter(Boolean)) {
    const path = inside(name + ext);
    if ((await kindOf(path)) === 'file') return [path];
  }
  return [];
}

/**
 * The error for a YAML document that is not the mapping expected: it names the first line of
 * the document's content (not blank, not a comment, not `---`) and quotes at most an excerpt of it.
 */
export function notAMapping(file: string, text: string, data: unknown, expected: string): ProvError {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#') && l.trim() !== '---');
  const what = Array.isArray(data) ? 'a list' : `a ${typeof data}`;
  return parseError(file, `expected ${expected}, got ${what}: ${excerpt(i < 0 ? '' : lines[i]!.trim())}`, i < 0 ? 1 : i + 1);
}

/** Reads one vars file: a mapping, or empty. Anything else is a one-line parse error naming the file. */
export async function readVarsFile(file: string): Promise<Vars> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(file);
  } catch (err) {
    throw new ProvError('parse', `${file}: cannot read vars file: ${readFailure(err)}`, { cause: err });
  }
  const text = decodeUtf8(bytes, file);
  const { data, lineOf } = parseAnsibleYaml(text, file);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw notAMapping(file, text, data, 'a mapping of variables');
  if (hasProtoKey(data)) throw parseError(file, PROTO_VARIABLE, lineOf([PROTO_KEY]));
  return data as Vars;
}

/** Merged vars of every file for `name` in `dir` (shallow merge, later files win, as Ansible's default hash_behaviour=replace). */
export async function readVarsFor(dir: string, name: string): Promise<Vars> {
  const merged: Vars = {};
  for (const file of await varsFilesFor(dir, name)) Object.assign(merged, await readVarsFile(file));
  return merged;
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value} (${typeof value === 'string' ? excerpt(value) : String(value)})`;
}
