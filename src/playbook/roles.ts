import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseError } from '../errors.js';
import { loadTaskList } from './task-parse.js';
import { readYamlFile } from '../yaml/read.js';
import { isMapping } from './yaml.js';
import type { Role, Vars } from './types.js';

/** The roles shipped with prov (the project's roles/ directory). */
export const PROJECT_ROLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../roles');

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Role search path: roles/ beside the playbook, the project's roles/, then --roles-path entries. */
export function roleSearchPath(playbookFile: string, extra: string[] = []): string[] {
  return [join(dirname(resolve(playbookFile)), 'roles'), PROJECT_ROLES_DIR, ...extra.map((p) => resolve(p))];
}

async function findRoleDir(name: string, searchPath: string[]): Promise<string | undefined> {
  for (const base of searchPath) {
    const dir = join(base, name);
    if (await exists(join(dir, 'tasks')) || await exists(join(dir, 'meta')) || await exists(join(dir, 'handlers'))) return dir;
  }
  return undefined;
}

/** Reads `<dir>/<sub>/main.yml` (or .yaml); undefined when absent. */
async function readMain(dir: string, sub: string): Promise<{ file: string; data: unknown } | undefined> {
  for (const name of ['main.yml', 'main.yaml']) {
    const file = join(dir, sub, name);
    if (await exists(file)) return { file, data: await readYamlFile(file) };
  }
  return undefined;
}

async function readVarsFile(dir: string, sub: string): Promise<Vars> {
  const found = await readMain(dir, sub);
  if (!found || found.data === null || found.data === undefined) return {};
  if (!isMapping(found.data)) throw parseError(found.file, 'must be a mapping of variables');
  return found.data;
}

function dependencyNames(meta: unknown, file: string): string[] {
  if (meta === null || meta === undefined) return [];
  if (!isMapping(meta)) throw parseError(file, 'must be a mapping');
  const deps = meta.dependencies;
  if (deps === undefined || deps === null) return [];
  if (!Array.isArray(deps)) throw parseError(file, 'dependencies must be a list');
  return deps.map((d, i) => {
    if (typeof d === 'string') return d;
    if (isMapping(d) && typeof d.role === 'string') return d.role;
    if (isMapping(d) && typeof d.name === 'string') return d.name;
    throw parseError(file, `dependency #${i + 1} must be a role name or a mapping with 'role'`);
  });
}

/** Loads one role from its directory. */
export async function loadRole(name: string, dir: string): Promise<Role> {
  const tasks = await readMain(dir, 'tasks');
  const handlers = await readMain(dir, 'handlers');
  const meta = await readMain(dir, 'meta');
  return {
    name,
    dir,
    defaults: await readVarsFile(dir, 'defaults'),
    vars: await readVarsFile(dir, 'vars'),
    tasks: tasks ? await loadTaskList(tasks.data, { file: tasks.file, role: name }) : [],
    handlers: handlers ? await loadTaskList(handlers.data, { file: handlers.file, role: name }) : [],
    dependencies: meta ? dependencyNames(meta.data, meta.file) : [],
  };
}

/**
 * Resolves the roles a play names, with their meta dependencies first, each role once
 * (Ansible runs a dependency once unless allow_duplicates). Detects dependency cycles.
 */
export async function resolveRoles(names: string[], searchPath: string[], playFile: string): Promise<Role[]> {
  const ordered: Role[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = async (name: string, requiredBy: string): Promise<void> => {
    if (done.has(name)) return;
    if (visiting.includes(name)) {
      throw parseError(playFile, `role dependency cycle: ${[...visiting, name].join(' -> ')}`);
    }
    const dir = await findRoleDir(name, searchPath);
    if (!dir) throw parseError(playFile, `role '${name}' (${requiredBy}) not found in ${searchPath.join(', ')}`);
    visiting.push(name);
    const role = await loadRole(name, dir);
    for (const dep of role.dependencies) await visit(dep, `dependency of ${name}`);
    visiting.pop();
    done.add(name);
    ordered.push(role);
  };
  for (const name of names) await visit(name, 'named by the play');
  return ordered;
}
