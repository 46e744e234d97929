import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { excerpt, parseError } from '../core/errors.js';
import { loadHandlerList, loadTaskList } from './task-parse.js';
import { readYamlFile } from '../core/yaml/read.js';
import { isMapping } from './yaml.js';
import { mapTasks, type Role, type TaskNode, type Vars } from './types.js';

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

/** A role name with a `..` segment (or a NUL) could name any directory of the controller: refused. */
export function refuseRoleTraversal(name: string, file: string): void {
  if (name.includes('\0') || name.split(/[/\\]/).includes('..')) {
    throw parseError(file, `role name ${excerpt(name)} leads outside the roles path ('..'): refused (add its directory with --roles-path)`);
  }
}

export async function findRoleDir(name: string, searchPath: string[]): Promise<string | undefined> {
  for (const base of searchPath) {
    const dir = join(base, name);
    if ((await exists(join(dir, 'tasks'))) || (await exists(join(dir, 'meta'))) || (await exists(join(dir, 'handlers')))) return dir;
  }
  return undefined;
}

/** Reads `<dir>/<sub>/<base>.yml` (or .yaml, or `<base>` as written); undefined when absent. */
async function readMain(dir: string, sub: string, base = 'main'): Promise<{ file: string; data: unknown } | undefined> {
  for (const name of [`${base}.yml`, `${base}.yaml`, base]) {
    const file = join(dir, sub, name);
    if (await exists(file)) return { file, data: await readYamlFile(file) };
  }
  return undefined;
}

/** A role's files other than main (import_role/include_role's tasks_from, vars_from, defaults_from, handlers_from). */
export interface RoleFiles {
  tasks?: string;
  vars?: string;
  defaults?: string;
  handlers?: string;
}

/** Reads a role's `<sub>/<base>` file that was named explicitly: it must exist. */
async function readNamed(dir: string, sub: string, base: string | undefined, role: string): Promise<{ file: string; data: unknown } | undefined> {
  const found = await readMain(dir, sub, base);
  if (!found && base !== undefined) throw parseError(join(dir, sub), `role '${role}': no file '${base}' in ${sub}/`);
  return found;
}

async function readVarsFile(dir: string, sub: string, base?: string, role = ''): Promise<Vars> {
  const found = await readNamed(dir, sub, base, role);
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
export async function loadRole(name: string, dir: string, from: RoleFiles = {}): Promise<Role> {
  const tasks = await readNamed(dir, 'tasks', from.tasks, name);
  const handlers = await readNamed(dir, 'handlers', from.handlers, name);
  const meta = await readMain(dir, 'meta');
  return {
    name,
    dir,
    defaults: await readVarsFile(dir, 'defaults', from.defaults, name),
    vars: await readVarsFile(dir, 'vars', from.vars, name),
    tasks: tasks ? await loadTaskList(tasks.data, { file: tasks.file, role: name }) : [],
    handlers: handlers ? await loadHandlerList(handlers.data, { file: handlers.file, role: name }) : [],
    dependencies: meta ? dependencyNames(meta.data, meta.file) : [],
  };
}

/** One entry of a play's `roles:` list. */
export interface RoleEntry {
  name: string;
  /** Role parameters (Ansible's role params precedence, for this entry's tasks only). */
  params: Vars;
  /** The entry's `vars:`: role variables, visible to the whole play as Ansible's role vars are. */
  vars: Vars;
  tags: string[];
  when: string[];
}

/** Ansible runs a role again only when its parameters differ. */
function sameParams(a: Vars, b: Vars): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

/**
 * Resolves the roles a play names, with their meta dependencies first. A dependency runs once
 * (unless allow_duplicates); a role named again runs again only with different parameters, as in
 * Ansible. Returns each role once (for defaults, vars, handlers, files) and the tasks in run order,
 * each carrying its entry's parameters, tags and conditions. Detects dependency cycles.
 */
export async function resolveRoles(entries: RoleEntry[], searchPath: string[], playFile: string): Promise<{ roles: Role[]; tasks: TaskNode[] }> {
  const ordered: Role[] = [];
  const loaded = new Map<string, Role>();
  const tasks: TaskNode[] = [];
  const ran: { name: string; params: Vars }[] = [];
  const visiting: string[] = [];
  const load = async (name: string, requiredBy: string): Promise<Role> => {
    const known = loaded.get(name);
    if (known) return known;
    refuseRoleTraversal(name, playFile);
    const dir = await findRoleDir(name, searchPath);
    if (!dir) throw parseError(playFile, `role '${name}' (${requiredBy}) not found in ${searchPath.join(', ')}`);
    const role = await loadRole(name, dir);
    loaded.set(name, role);
    return role;
  };
  const visit = async (entry: RoleEntry, requiredBy: string): Promise<void> => {
    const key = { ...entry.vars, ...entry.params };
    if (ran.some((r) => r.name === entry.name && sameParams(r.params, key))) return;
    if (visiting.includes(entry.name)) {
      throw parseError(playFile, `role dependency cycle: ${[...visiting, entry.name].join(' -> ')}`);
    }
    const role = await load(entry.name, requiredBy);
    visiting.push(entry.name);
    for (const dep of role.dependencies) await visit({ name: dep, params: {}, vars: {}, tags: entry.tags, when: entry.when }, `dependency of ${entry.name}`);
    visiting.pop();
    ran.push({ name: entry.name, params: key });
    Object.assign(role.vars, entry.vars);
    if (!ordered.includes(role)) ordered.push(role);
    tasks.push(
      ...mapTasks(role.tasks, (t) => ({
        ...t,
        roleParams: Object.keys(entry.params).length > 0 ? entry.params : undefined,
        tags: [...new Set([...entry.tags, ...t.tags])],
        when: [...entry.when, ...t.when],
      })),
    );
  };
  for (const entry of entries) await visit(entry, 'named by the play');
  return { roles: ordered, tasks };
}
