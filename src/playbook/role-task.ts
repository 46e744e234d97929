/**
 * `import_role` and `include_role` as tasks. Both name a role and optionally which of its files
 * to read (tasks_from, vars_from, defaults_from, handlers_from). import_role is expanded here, at
 * load time: its `when` and `tags` are inherited by every imported task, its `vars` are the
 * tasks' vars, and the role joins the play (its defaults and vars visible to the whole play, its
 * handlers notifiable). include_role stays a task that the runner expands (src/runner/include-role.ts).
 */
import { parseError } from '../core/errors.js';
import { ansibleBoolean } from '../core/boolean.js';
import { findRoleDir, loadRole, refuseRoleTraversal, type RoleFiles } from './roles.js';
import { isMapping } from './yaml.js';
import { isBlock, mapTasks, type Role, type Task, type TaskNode } from './types.js';

export const IMPORT_ROLE = 'import_role';
export const INCLUDE_ROLE = 'include_role';

/** What an import_role/include_role task asks for (the name may still be a template for include_role). */
export interface RoleTaskOptions {
  name: string;
  from: RoleFiles;
  /** include_role's `public`: the role's defaults and vars stay visible after it (import_role: always). */
  public: boolean;
  /** false: the role is not run again when it already ran in the play (Ansible's default for these tasks: true). */
  allowDuplicates: boolean;
}

const OPTIONS = new Set(['name', 'role', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'rolespec_validate']);

function flag(value: unknown, task: Task, key: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  const b = ansibleBoolean(value);
  if (b === undefined) throw parseError(task.origin.file, `task '${task.name}': ${task.module} ${key} must be true or false`);
  return b;
}

/** The options of an import_role/include_role task, checked: an unknown or unsupported one is an error. */
export function roleTaskOptions(task: Task): RoleTaskOptions {
  const where = `task '${task.name}': ${task.module}`;
  const args = task.args;
  if (!isMapping(args)) throw parseError(task.origin.file, `${where} needs a mapping with the role's 'name'`);
  if ('apply' in args) throw parseError(task.origin.file, `${where} 'apply' is not supported by prov`);
  const other = Object.keys(args).find((k) => !OPTIONS.has(k));
  if (other) throw parseError(task.origin.file, `${where} has no option '${other}'`);
  const name = args.name ?? args.role;
  if (typeof name !== 'string' || name.trim() === '') throw parseError(task.origin.file, `${where} needs the role's 'name'`);
  const from: RoleFiles = {};
  for (const key of ['tasks', 'vars', 'defaults', 'handlers'] as const) {
    const value = args[`${key}_from`];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value === '') throw parseError(task.origin.file, `${where} ${key}_from must be a file name`);
    from[key] = value;
  }
  const isPublic = flag(args.public, task, 'public');
  if (task.module === IMPORT_ROLE && isPublic === false)
    throw parseError(task.origin.file, `${where}: public cannot be false (an imported role's variables are always the play's)`);
  return {
    name: name.trim(),
    from,
    public: task.module === IMPORT_ROLE || isPublic === true,
    allowDuplicates: flag(args.allow_duplicates, task, 'allow_duplicates') ?? true,
  };
}

/** A role brought in by a task, with its tasks in run order (meta dependencies first). */
export interface RoleTaskLoad {
  /** The role itself and its dependencies, each once. */
  roles: Role[];
  tasks: TaskNode[];
}

/** Loads the role an import_role/include_role task names (with a rendered name), dependencies first. */
export async function loadRoleOfTask(task: Task, options: RoleTaskOptions, searchPath: string[], chain: string[] = []): Promise<RoleTaskLoad> {
  const load = async (name: string, from: RoleFiles, seen: string[]): Promise<RoleTaskLoad> => {
    if (seen.includes(name)) throw parseError(task.origin.file, `role dependency cycle: ${[...seen, name].join(' -> ')}`);
    refuseRoleTraversal(name, task.origin.file);
    const dir = await findRoleDir(name, searchPath);
    if (!dir) throw parseError(task.origin.file, `task '${task.name}': role '${name}' not found in ${searchPath.join(', ')}`);
    const role = await loadRole(name, dir, from);
    const roles: Role[] = [];
    const tasks: TaskNode[] = [];
    for (const dep of role.dependencies) {
      const got = await load(dep, {}, [...seen, name]);
      roles.push(...got.roles);
      tasks.push(...got.tasks);
    }
    roles.push(role);
    tasks.push(...role.tasks);
    return { roles, tasks };
  };
  const got = await load(options.name, options.from, chain);
  const own = got.roles[got.roles.length - 1]!;
  Object.assign(own.vars, task.vars);
  return got;
}

/** The tasks of a role brought in by `task`: they take its vars (under their own), and for import_role its when and tags. */
export function adoptRoleTasks(task: Task, tasks: TaskNode[], extraVars: Record<string, unknown> = {}): TaskNode[] {
  const imported = task.module === IMPORT_ROLE;
  return mapTasks(tasks, (t) => ({
    ...t,
    when: imported ? [...task.when, ...t.when] : t.when,
    tags: imported ? [...new Set([...task.tags, ...t.tags])] : t.tags,
    vars: { ...task.vars, ...extraVars, ...t.vars },
    roleParams: t.roleParams ?? task.roleParams,
  }));
}

/**
 * Expands the import_role tasks of a tree (recursively: an imported role may import another).
 * Returns the tree and the roles the imports brought in (for the play's variables and handlers).
 */
export async function expandRoleImports(nodes: TaskNode[], searchPath: string[], chain: string[] = []): Promise<{ nodes: TaskNode[]; roles: Role[] }> {
  const roles: Role[] = [];
  const walk = async (list: TaskNode[], seen: string[]): Promise<TaskNode[]> => {
    const out: TaskNode[] = [];
    for (const node of list) {
      if (isBlock(node)) {
        out.push({ ...node, block: await walk(node.block, seen), rescue: await walk(node.rescue, seen), always: await walk(node.always, seen) });
        continue;
      }
      if (node.module !== IMPORT_ROLE) {
        out.push(node);
        continue;
      }
      const options = roleTaskOptions(node);
      if (node.loop !== undefined) throw parseError(node.origin.file, `task '${node.name}': import_role cannot loop (use include_role)`);
      if (options.name.includes('{{')) throw parseError(node.origin.file, `task '${node.name}': import_role needs a literal role name (use include_role)`);
      // Ansible's import_role with allow_duplicates false changes the shared role of every import of it.
      if (!options.allowDuplicates) throw parseError(node.origin.file, `task '${node.name}': import_role allow_duplicates: false is not supported by prov`);
      const got = await loadRoleOfTask(node, options, searchPath, seen);
      roles.push(...got.roles);
      out.push(...(await walk(adoptRoleTasks(node, got.tasks), [...seen, options.name])));
    }
    return out;
  };
  return { nodes: await walk(nodes, chain), roles };
}

/** Adds the handlers of roles brought in by a task to a play's handlers (each handler file once). */
export function addRoleHandlers(handlers: Task[], roles: Role[]): Task[] {
  const added: Task[] = [];
  for (const role of roles) {
    for (const h of role.handlers) {
      if (handlers.some((known) => known.origin.file === h.origin.file && known.name === h.name)) continue;
      handlers.push(h);
      added.push(h);
    }
  }
  return added;
}
