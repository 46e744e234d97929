/**
 * `include_tasks` as Ansible runs it: dynamic. On each host (once per loop item) the condition
 * is checked, the file name rendered, and the file read and parsed when the task runs; the
 * include's `vars:` and the loop item are visible to the included tasks (not its when or tags).
 */
import { dirname, isAbsolute, join } from 'node:path';
import { ProvError, errorMessage, parseError } from '../core/errors.js';
import type { Vars } from '../inventory/types.js';
import { loadTaskList } from '../playbook/task-parse.js';
import type { Task, TaskNode } from '../playbook/types.js';
import { isMapping } from '../playbook/yaml.js';
import { renderValue } from '../template/render.js';
import { readYamlFile } from '../core/yaml/read.js';
import { conditionsHold, loopItems, loopItemVars } from './task.js';

export const INCLUDE_TASKS = 'include_tasks';

/** The file argument of an include_tasks task (a free-form name or `file:`), unrendered. */
export function includeFileArg(task: Pick<Task, 'name' | 'args' | 'origin'>): string {
  const args = task.args;
  if (typeof args === 'string') return args;
  if (isMapping(args)) {
    const other = Object.keys(args).find((k) => k !== 'file' && k !== '_raw_params');
    if (other === 'apply') throw parseError(task.origin.file, `task '${task.name}': include_tasks 'apply' is not supported by prov`);
    if (other) throw parseError(task.origin.file, `task '${task.name}': include_tasks has no option '${other}'`);
    const file = args.file ?? args._raw_params;
    if (typeof file === 'string') return file;
  }
  throw parseError(task.origin.file, `task '${task.name}': include_tasks needs a file name`);
}

/** One file to include on one host: where it is and the variables its tasks get (include vars, loop item). */
export interface Inclusion {
  file: string;
  vars: Vars;
  /** What the output shows for it ("(item=1)"), if it comes from a loop. */
  label?: string;
}

/** The files this include_tasks brings in on a host with these variables (none when skipped). */
export function inclusionsOf(task: Task, vars: Vars): Inclusion[] {
  const target = includeFileArg(task);
  const resolve = (v: Vars): string => {
    const name = renderValue(target, v);
    if (typeof name !== 'string' || name === '') throw new ProvError('failed', `include_tasks: the file name must be a string, got ${JSON.stringify(name)}`);
    return isAbsolute(name) ? name : join(dirname(task.origin.file), name);
  };
  return inclusionsPerItem(task, vars, resolve);
}

/**
 * What a dynamic include (include_tasks, include_role) brings in: once, or once per loop item,
 * where its `when` holds; `resolve` renders the file or role name with the item's variables.
 */
export function inclusionsPerItem(task: Task, vars: Vars, resolve: (vars: Vars) => string): Inclusion[] {
  if (task.loop === undefined) return conditionsHold(task.when, vars) ? [{ file: resolve(vars), vars: {} }] : [];
  const { items, fromHost } = loopItems(task, vars);
  const out: Inclusion[] = [];
  for (const index of items.keys()) {
    const itemVars = loopItemVars(task, items, index, fromHost);
    const all = { ...vars, ...itemVars };
    if (!conditionsHold(task.when, all)) continue;
    out.push({ file: resolve(all), vars: itemVars, label: JSON.stringify(items[index]) });
  }
  return out;
}

/**
 * Reads an included file's tasks: they belong to the include's role, and inherit its vars and
 * the loop item as task variables.
 */
export async function loadInclusion(task: Task, inclusion: Inclusion): Promise<TaskNode[]> {
  try {
    return await loadTaskList(await readYamlFile(inclusion.file), { ...task.origin, file: inclusion.file }, [task.origin.file], {
      when: [],
      tags: [],
      vars: { ...task.vars, ...inclusion.vars },
    });
  } catch (err) {
    throw new ProvError('failed', `include_tasks '${inclusion.file}': ${errorMessage(err)}`, { cause: err });
  }
}
