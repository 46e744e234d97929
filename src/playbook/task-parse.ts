import { parseError } from '../core/errors.js';
import { ansibleBoolean } from '../core/boolean.js';
import { dirname, isAbsolute, join } from 'node:path';
import { readYamlFile } from '../core/yaml/read.js';
import { conditionList, isMapping, stringList } from './yaml.js';
import { isBlock, type Origin, type Task, type TaskNode } from './types.js';
import { isWithKeyword, loopOf } from './with-loop.js';

/** Task keywords prov understands; any other key is the module. */
const TASK_KEYWORDS = new Set([
  'name',
  'when',
  'tags',
  'notify',
  'register',
  'changed_when',
  'failed_when',
  'loop',
  'loop_control',
  'no_log',
  'check_mode',
  'ignore_errors',
  'vars',
  'args',
  'listen',
  'apply',
  'until',
  'retries',
  'delay',
  'run_once',
  'delegate_to',
  // Accepted for compatibility: the connection's become settings (inventory) apply to every task.
  'become',
  'become_user',
]);
/** Keywords Ansible has that prov does not implement: refused rather than silently ignored. */
const UNSUPPORTED = new Set(['local_action', 'delegate_facts', 'async', 'poll']);

/**
 * What a task inherits from the blocks and imports around it, as Ansible's inheritance gives it:
 * conditions and tags add up, vars merge (the inner one wins), the others are defaults the task's
 * own keyword overrides.
 */
export interface Inherited {
  when: string[];
  tags: string[];
  vars: Record<string, unknown>;
  notify?: string[];
  ignoreErrors?: boolean;
  noLog?: boolean | string;
  checkMode?: boolean;
}

export const NOTHING_INHERITED: Inherited = { when: [], tags: [], vars: {} };

function bool(value: unknown, file: string, what: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  const b = ansibleBoolean(value);
  if (b !== undefined) return b;
  throw parseError(file, `${what} must be true or false, not ${JSON.stringify(value)}`);
}

const LOOP_CONTROL_KEYS = new Set(['loop_var', 'index_var', 'label', 'extended', 'pause', 'extended_allitems']);
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** loop_control as Ansible reads it; an unknown key or a bad variable name is an error, never ignored. */
function loopControlOf(
  raw: Record<string, unknown> | undefined,
  file: string,
  label: string,
): Pick<Task, 'loopVar' | 'indexVar' | 'loopLabel' | 'loopExtended'> {
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
export function parseTask(raw: unknown, origin: Origin, index: number, inherited: Inherited = NOTHING_INHERITED): Task {
  const file = origin.file;
  if (!isMapping(raw)) throw parseError(file, `task #${index + 1} is not a mapping`);
  const label = typeof raw.name === 'string' ? `task '${raw.name}'` : `task #${index + 1}`;
  const unsupported = Object.keys(raw).find((k) => UNSUPPORTED.has(k));
  if (unsupported) throw parseError(file, `${label}: '${unsupported}' is not supported by prov`);
  const moduleKeys = Object.keys(raw).filter((k) => !TASK_KEYWORDS.has(k) && !isWithKeyword(k));
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
  if (raw.apply !== undefined) throw parseError(file, `${label}: 'apply' is not supported by prov`);
  const notify = stringList(raw.notify, file, `${label}: notify`);
  const noLog = typeof raw.no_log === 'string' && raw.no_log.includes('{{') ? raw.no_log : bool(raw.no_log, file, `${label}: no_log`);
  return {
    name: typeof raw.name === 'string' ? raw.name : module,
    module,
    args,
    unnamed: typeof raw.name !== 'string' || undefined,
    when: [...inherited.when, ...(conditionList(raw.when, file, `${label}: when`) ?? [])],
    tags: [...new Set([...inherited.tags, ...stringList(raw.tags, file, `${label}: tags`)])],
    notify: notify.length > 0 ? notify : (inherited.notify ?? []),
    register: raw.register as string | undefined,
    changedWhen: conditionList(raw.changed_when, file, `${label}: changed_when`),
    failedWhen: conditionList(raw.failed_when, file, `${label}: failed_when`),
    until: conditionList(raw.until, file, `${label}: until`),
    retries: countOf(raw.retries, file, `${label}: retries`),
    delay: countOf(raw.delay, file, `${label}: delay`),
    ...loopOf(raw, file, label),
    ...control,
    noLog: noLog ?? inherited.noLog ?? false,
    checkMode: bool(raw.check_mode, file, `${label}: check_mode`) ?? inherited.checkMode,
    ignoreErrors: bool(raw.ignore_errors, file, `${label}: ignore_errors`) ?? inherited.ignoreErrors ?? false,
    delegateTo: typeof delegateTo === 'string' ? delegateTo : undefined,
    runOnce: bool(raw.run_once, file, `${label}: run_once`) || undefined,
    vars: { ...inherited.vars, ...(raw.vars as Record<string, unknown> | undefined) },
    listen: stringList(raw.listen, file, `${label}: listen`),
    origin,
  };
}

/** Keywords a block takes (the others of Ansible's are refused by name, anything else is unknown). */
const BLOCK_KEYWORDS = new Set([
  'block',
  'rescue',
  'always',
  'name',
  'when',
  'tags',
  'vars',
  'notify',
  'ignore_errors',
  'no_log',
  'check_mode',
  'become',
  'become_user',
]);
const BLOCK_UNSUPPORTED = new Set([
  'any_errors_fatal',
  'delegate_to',
  'delegate_facts',
  'run_once',
  'environment',
  'collections',
  'connection',
  'debugger',
  'diff',
  'ignore_unreachable',
  'module_defaults',
  'port',
  'remote_user',
  'throttle',
  'timeout',
  'become_method',
  'become_flags',
  'become_exe',
]);

/** A block's own keywords, added to what it inherits; its sections are parsed with the result. */
function blockInherited(raw: Record<string, unknown>, file: string, label: string, outer: Inherited): Inherited {
  const unsupported = Object.keys(raw).find((k) => BLOCK_UNSUPPORTED.has(k));
  if (unsupported) throw parseError(file, `${label}: '${unsupported}' is not supported by prov on a block`);
  const unknown = Object.keys(raw).find((k) => !BLOCK_KEYWORDS.has(k));
  if (unknown) throw parseError(file, `${label}: '${unknown}' is not a valid keyword for a block`);
  if (raw.vars !== undefined && raw.vars !== null && !isMapping(raw.vars)) throw parseError(file, `${label}: vars must be a mapping`);
  const notify = stringList(raw.notify, file, `${label}: notify`);
  const noLog = typeof raw.no_log === 'string' && raw.no_log.includes('{{') ? raw.no_log : bool(raw.no_log, file, `${label}: no_log`);
  return {
    when: [...outer.when, ...(conditionList(raw.when, file, `${label}: when`) ?? [])],
    tags: [...new Set([...outer.tags, ...stringList(raw.tags, file, `${label}: tags`)])],
    vars: { ...outer.vars, ...(raw.vars as Record<string, unknown> | undefined) },
    notify: notify.length > 0 ? notify : outer.notify,
    ignoreErrors: bool(raw.ignore_errors, file, `${label}: ignore_errors`) ?? outer.ignoreErrors,
    noLog: noLog ?? outer.noLog,
    checkMode: bool(raw.check_mode, file, `${label}: check_mode`) ?? outer.checkMode,
  };
}

const IMPORT_ALLOWED = new Set<string>(['import_tasks', 'name', 'when', 'tags', 'vars']);

/**
 * Parses a task list into tasks and blocks. `import_tasks` is expanded here (read at load time,
 * relative to the including file; its `when`, `tags` and `vars` are inherited by every imported
 * task); `include_tasks` stays a task that the runner expands when it runs (src/runner/include.ts).
 */
export async function loadTaskList(raw: unknown, origin: Origin, seen: string[] = [], inherited: Inherited = NOTHING_INHERITED): Promise<TaskNode[]> {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw parseError(origin.file, 'a task list must be a YAML list');
  const nodes: TaskNode[] = [];
  for (const [i, item] of raw.entries()) {
    const label = isMapping(item) && typeof item.name === 'string' ? `task '${item.name}'` : `task #${i + 1}`;
    if (isMapping(item) && ('block' in item || 'rescue' in item || 'always' in item)) {
      if (!Array.isArray(item.block)) throw parseError(origin.file, `${label}: a block needs a 'block:' list of tasks`);
      const inner = blockInherited(item, origin.file, label, inherited);
      nodes.push({
        kind: 'block',
        name: typeof item.name === 'string' ? item.name : '',
        block: await loadTaskList(item.block, origin, seen, inner),
        rescue: await loadTaskList(item.rescue, origin, seen, inner),
        always: await loadTaskList(item.always, origin, seen, inner),
        origin,
      });
      continue;
    }
    if (!isMapping(item) || !('import_tasks' in item)) {
      nodes.push(parseTask(item, origin, i, inherited));
      continue;
    }
    const target = item.import_tasks;
    const extra = Object.keys(item).find((k) => !IMPORT_ALLOWED.has(k));
    if (extra) throw parseError(origin.file, `${label}: '${extra}' is not supported on import_tasks`);
    if (typeof target !== 'string' || target.includes('{{')) throw parseError(origin.file, `${label}: import_tasks needs a literal file name`);
    if (item.vars !== undefined && item.vars !== null && !isMapping(item.vars)) throw parseError(origin.file, `${label}: vars must be a mapping`);
    const file = isAbsolute(target) ? target : join(dirname(origin.file), target);
    if (seen.includes(file)) throw parseError(origin.file, `import_tasks cycle: ${[...seen, file].join(' -> ')}`);
    const inner: Inherited = {
      ...inherited,
      when: [...inherited.when, ...(conditionList(item.when, origin.file, `${label}: when`) ?? [])],
      tags: [...new Set([...inherited.tags, ...stringList(item.tags, origin.file, `${label}: tags`)])],
      vars: { ...inherited.vars, ...(item.vars as Record<string, unknown> | undefined) },
    };
    nodes.push(...(await loadTaskList(await readYamlFile(file), { ...origin, file }, [...seen, origin.file], inner)));
  }
  return nodes;
}

/** A handler list: tasks only (prov does not take blocks among handlers). */
export async function loadHandlerList(raw: unknown, origin: Origin): Promise<Task[]> {
  const nodes = await loadTaskList(raw, origin);
  const block = nodes.find(isBlock);
  if (block) throw parseError(origin.file, `handler block '${block.name}': blocks among handlers are not supported by prov`);
  return nodes as Task[];
}
