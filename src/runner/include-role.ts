/**
 * `include_role` as Ansible runs it: dynamic. On each host (once per loop item) the include's own
 * `when` is checked (its tasks do not inherit it, nor its tags), the role name rendered, and the
 * role read when the task runs. The include's `vars:` and the loop item are visible to the role's
 * tasks. Without `public`, the role's defaults and vars are visible only to its own tasks.
 */
import { ProvError, errorMessage } from '../core/errors.js';
import type { Vars } from '../inventory/types.js';
import { adoptRoleTasks, loadRoleOfTask, roleTaskOptions } from '../playbook/role-task.js';
import { mapTasks, type Role, type Task, type TaskNode } from '../playbook/types.js';
import { renderValue } from '../template/render.js';
import { inclusionsPerItem, type Inclusion } from './include.js';

/** The roles this include_role brings in on a host with these variables (none when skipped); `file` is the role's name. */
export function roleInclusionsOf(task: Task, vars: Vars): Inclusion[] {
  const { name } = roleTaskOptions(task);
  const resolve = (v: Vars): string => {
    const rendered = renderValue(name, v);
    if (typeof rendered !== 'string' || rendered.trim() === '')
      throw new ProvError('failed', `include_role: the role name must be a string, got ${JSON.stringify(rendered)}`);
    return rendered.trim();
  };
  return inclusionsPerItem(task, vars, resolve);
}

/** An included role, read: its tasks (dependencies first) and its roles, public or scoped to its tasks. */
export interface IncludedRole {
  nodes: TaskNode[];
  roles: Role[];
  public: boolean;
}

/** Reads the role of one inclusion; a role that is not public gets its defaults and vars as the tasks' (and handlers') own scope. */
export async function loadRoleInclusion(task: Task, inclusion: Inclusion, searchPath: string[]): Promise<IncludedRole> {
  const options = { ...roleTaskOptions(task), name: inclusion.file };
  try {
    const got = await loadRoleOfTask(task, options, searchPath);
    let nodes = adoptRoleTasks(task, got.tasks, inclusion.vars);
    if (!options.public) {
      const roleScope = {
        defaults: Object.assign({}, ...got.roles.map((r) => r.defaults)) as Vars,
        vars: Object.assign({}, ...got.roles.map((r) => r.vars)) as Vars,
      };
      nodes = mapTasks(nodes, (t) => ({ ...t, roleScope }));
      for (const role of got.roles) role.handlers = role.handlers.map((h) => ({ ...h, roleScope }));
    }
    return { nodes, roles: got.roles, public: options.public };
  } catch (err) {
    throw new ProvError('failed', `include_role '${inclusion.file}': ${errorMessage(err)}`, { cause: err });
  }
}
