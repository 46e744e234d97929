import { parseError } from '../errors.js';
import { ansibleBoolean } from '../util/boolean.js';
import { dirname, isAbsolute, join } from 'node:path';
import { readYamlFile } from '../yaml/read.js';
import { conditionList, isMapping, stringList } from './yaml.js';
import type { Origin, Task } from './types.js';

/** Task keywords prov understands; any other key is the module. */
const TASK_KEYWORDS = new Set([
  'name', 'when', 'tags', 'notify', 'register', 'changed_when', 'failed_when', 'loop', 'with_items',
  'loop_control', 'no_log', 'check_mode', 'ignore_errors', 'vars', 'args', 'listen',
  'until', 'retries', 'delay', 'run_once', 'delegate_to',
  // Accepted for compatibility: the connection's become settings (inventory) apply to every task.
  'become', 'become_user',
]);
/** Keywords Ansible has that prov does not implement: refused rather than silently ignored. */
const UNSUPPORTED = new Set(['block', 'rescue', 'always', 'include_role', 'import_role', 'local_action', 'delegate_facts', 'async', 'poll']);

function bool(value: unknown, file: string, what: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  const b = ansibleBoolean(value);
  if (b !== undefined) return b;
  throw parseError(file, `${what} must be true or false, not ${JSON.stringify(value)}`);
}

const LOOP_CONTROL_KEYS = new Set(['loop_var', 'index_var', 'label', 'extended', 'pause', 'extended_allitems']);
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** loop_control as Ansible reads it; an unknown key or a bad variable name is an error, never ignored. */
function loopControlOf(raw: Record<string, unknown> | undefined, file: string, label: string): Pick<Task, 'loopVar' | 'indexVar' | 'loopLabel' | 'loopExtended'> {
  if (!raw) return { loopVar: 'item' };
  const unknown = Object.keys(raw).find((k) => !LOOP_CONTROL_KEYS.has(k));
  if (unknown) throw parseError(file, `${label}: loop_control has no option '${unknown}'`);
  for (const key of ['loop_var', 'index_var'] as const) {
    const v = raw[key];
    if (v !== undefined && (typeof v !== 'string' || !VARIABLE_NAME.test(v))) throw parseError(file, `${label}: loop_control.${key} must be a variable name`);
  }
  if (raw.label !== undefined && typeof raw.label !== 'string') throw parseError(file, `${label}: loop_control.label must be a string`);
  return {
    loopVar: (raw.loop_var as string | undefined) ?? 'item',
    indexVar: raw.index_var as string | undefined,
    loopLabel: raw.label as string | undefined,
    loopExtended: bool(raw.extended, file, `${label}: loop_control.extended`) || undefined,
  };
}

/** retries / delay: a whole number, or a template rendered when the task runs. */
function countOf(value: unknown, file: string, what: string): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  if (typeof value === 'string' && value.includes('{{')) return value;
  throw parseError(file, `${what} must be a whole number, not ${JSON.stringify(value)}`);
}

/** Parses one task (or handler) mapping. `index` is its position, for messages about unnamed tasks. */
export function parseTask(raw: unknown, origin: Origin, index: number): Task {
  const file = origin.file;
  if (!isMapping(raw)) throw parseError(file, `task #${index + 1} is not a mapping`);
  const label = typeof raw.name === 'string' ? `task '${raw.name}'` : `task #${index + 1}`;
  const unsupported = Object.keys(raw).find((k) => UNSUPPORTED.has(k));
  if (unsupported) throw parseError(file, `${label}: '${unsupported}' is not supported by prov`);
  const moduleKeys = Object.keys(raw).filter((k) => !TASK_KEYWORDS.has(k));
  if (moduleKeys.length === 0) throw parseError(file, `${label}: no module given`);
  if (moduleKeys.length > 1) throw parseError(file, `${label}: more than one module or unknown keyword: ${moduleKeys.join(', ')}`);
  const module = moduleKeys[0]!;
  let args: unknown = raw[module] ?? {};
  if (raw.args !== undefined) {
    if (!isMapping(raw.args)) throw parseError(file, `${label}: args must be a mapping`);
    args = isMapping(args) ? { ...raw.args, ...args } : { ...raw.args, _raw_params: args };
  }
  if (raw.vars !== undefined && !isMapping(raw.vars)) throw parseError(file, `${label}: vars must be a mapping`);
  const loopControl = raw.loop_control;
  if (loopControl !== undefined && !isMapping(loopControl)) throw parseError(file, `${label}: loop_control must be a mapping`);
  const control = loopControlOf(loopControl, file, label);
  if (raw.register !== undefined && (typeof raw.register !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.register))) {
    throw parseError(file, `${label}: register must be a variable name`);
  }
  const delegateTo = raw.delegate_to;
  if (delegateTo !== undefined && delegateTo !== null) {
    if (typeof delegateTo !== 'string') throw parseError(file, `${label}: delegate_to must be a host name`);
    if (!delegateTo.includes('{{') && !['localhost', '127.0.0.1'].includes(delegateTo.trim())) {
      throw parseError(file, `${label}: delegate_to '${delegateTo}' is not supported by prov (only localhost and 127.0.0.1)`);
    }
  }
  if (raw.name !== undefined && typeof raw.name !== 'string') throw parseError(file, `task #${index + 1}: name must be a string`);
  return {
    name: typeof raw.name === 'string' ? raw.name : module,
    module,
    args,
    when: conditionList(raw.when, file, `${label}: when`) ?? [],
    tags: stringList(raw.tags, file, `${label}: tags`),
    notify: stringList(raw.notify, file, `${label}: notify`),
    register: raw.register as string | undefined,
    changedWhen: conditionList(raw.changed_when, file, `${label}: changed_when`),
    failedWhen: conditionList(raw.failed_when, file, `${label}: failed_when`),
    until: conditionList(raw.until, file, `${label}: until`),
    retries: countOf(raw.retries, file, `${label}: retries`),
    delay: countOf(raw.delay, file, `${label}: delay`),
    loop: raw.loop ?? raw.with_items,
    loopFlatten: raw.loop === undefined && raw.with_items !== undefined ? true : undefined,
    ...control,
    noLog: typeof raw.no_log === 'string' && raw.no_log.includes('{{') ? raw.no_log : bool(raw.no_log, file, `${label}: no_log`) ?? false,
    checkMode: bool(raw.check_mode, file, `${label}: check_mode`),
    ignoreErrors: bool(raw.ignore_errors, file, `${label}: ignore_errors`) ?? false,
    delegateTo: typeof delegateTo === 'string' ? delegateTo : undefined,
    runOnce: bool(raw.run_once, file, `${label}: run_once`) || undefined,
    vars: (raw.vars as Record<string, unknown> | undefined) ?? {},
    listen: stringList(raw.listen, file, `${label}: listen`),
    origin,
  };
}

const IMPORT_KEYS = ['import_tasks', 'include_tasks'] as const;
const IMPORT_ALLOWED = new Set<string>([...IMPORT_KEYS, 'name', 'when', 'tags']);

/**
 * Parses a task list, expanding `import_tasks` / `include_tasks` statically (both are read at
 * load time, relative to the including file; the include's `when` and `tags` apply to every
 * imported task). Dynamic includes (a templated file name) are refused.
 */
export async function loadTaskList(raw: unknown, origin: Origin, seen: string[] = []): Promise<Task[]> {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw parseError(origin.file, 'a task list must be a YAML list');
  const tasks: Task[] = [];
  for (const [i, item] of raw.entries()) {
    const key = isMapping(item) ? IMPORT_KEYS.find((k) => k in item) : undefined;
    if (!key || !isMapping(item)) {
      tasks.push(parseTask(item, origin, i));
      continue;
    }
    const target = item[key];
    const extra = Object.keys(item).find((k) => !IMPORT_ALLOWED.has(k));
    if (extra) throw parseError(origin.file, `task #${i + 1}: '${extra}' is not supported on ${key}`);
    if (typeof target !== 'string' || target.includes('{{')) throw parseError(origin.file, `task #${i + 1}: ${key} needs a literal file name`);
    const file = isAbsolute(target) ? target : join(dirname(origin.file), target);
    if (seen.includes(file)) throw parseError(origin.file, `${key} cycle: ${[...seen, file].join(' -> ')}`);
    const when = conditionList(item.when, origin.file, `task #${i + 1}: when`) ?? [];
    const tags = stringList(item.tags, origin.file, `task #${i + 1}: tags`);
    const imported = await loadTaskList(await readYamlFile(file), { ...origin, file }, [...seen, origin.file]);
    for (const t of imported) tasks.push({ ...t, when: [...when, ...t.when], tags: [...new Set([...tags, ...t.tags])] });
  }
  return tasks;
}
