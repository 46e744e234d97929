/**
 * group_vars/ and host_vars/ beside an inventory, found as Ansible's vars plugin finds them
 * (DataLoader.find_vars_files): the first of `<name>`, `<name>.yml`, `<name>.yaml`,
 * `<name>.json` that exists; when it is a directory, every file inside it (recursively, sorted,
 * skipping hidden and `~` backups, extensions '', .yml, .yaml, .json), later files winning.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseError, ProvError } from '../errors.js';
import type { Vars } from './types.js';
import { utf8Text } from './utf8.js';
import { parseAnsibleYaml } from './yaml.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

async function kindOf(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

async function filesInDir(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  const found: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = join(dir, name);
    const ext = extname(name);
    const kind = await kindOf(full);
    if (kind === 'dir' && !ext) found.push(...(await filesInDir(full)));
    else if (kind === 'file' && EXTENSIONS.includes(ext)) found.push(full);
  }
  return found;
}

/** The vars files for one group or host name in `dir` (e.g. `<inventory dir>/group_vars`), in load order. */
export async function varsFilesFor(dir: string, name: string): Promise<string[]> {
  for (const ext of EXTENSIONS) {
    const path = join(dir, name + ext);
    const kind = await kindOf(path);
    if (kind === 'dir') return filesInDir(path);
    if (kind === 'file') return [path];
  }
  return [];
}

/** Reads one vars file: a mapping, or empty. Anything else is a one-line parse error naming the file. */
export async function readVarsFile(file: string): Promise<Vars> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ProvError('parse', `${file}: cannot read vars file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const text = utf8Text(bytes, file);
  const { data } = parseAnsibleYaml(text, file);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw parseError(file, `expected a mapping of variables, got ${describe(data)}`, 1);
  }
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
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
