import { errorMessage, parseError } from '../core/errors.js';
import { moduleArgs } from './args.js';
import { hasProtoKey, PROTO_KEY, PROTO_VARIABLE } from '../inventory/names.js';
import { formatArgsError } from '../modules/args-error.js';
import { getModule } from '../modules/registry.js';
import { includeFileArg, INCLUDE_TASKS } from './include.js';
import { INCLUDE_ROLE, roleTaskOptions } from '../playbook/role-task.js';
import { flattenTasks, type Playbook, type Task } from '../playbook/types.js';

const TEMPLATE = /\{\{|\{%/;

function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return TEMPLATE.test(value);
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (value && typeof value === 'object') return Object.values(value).some(containsTemplate);
  return false;
}

/** A task that would define a variable named `__proto__` (vars, set_fact, register, loop_var) is refused by name. */
function checkVariableNames(task: Task, what: string): void {
  const found: Array<[string, boolean]> = [
    ['vars', hasProtoKey(task.vars)],
    ['set_fact', getModule(task.module)?.name === 'set_fact' && hasProtoKey(task.args)],
    ['register', task.register === PROTO_KEY],
    ['loop_control.loop_var', task.loopVar === PROTO_KEY],
  ];
  const where = found.find(([, bad]) => bad)?.[0];
  if (where) throw parseError(task.origin.file, `${what}: ${where}: ${PROTO_VARIABLE}`);
}

function checkTask(task: Task, handler: boolean): void {
  const what = `${handler ? 'handler' : 'task'} '${task.name}'`;
  checkVariableNames(task, what);
  if (task.module === INCLUDE_TASKS) {
    if (handler) throw parseError(task.origin.file, `${what}: include_tasks among handlers is not supported by prov`);
    includeFileArg(task);
    return;
  }
  if (task.module === INCLUDE_ROLE) {
    if (handler) throw parseError(task.origin.file, `${what}: include_role among handlers is not supported by prov`);
    roleTaskOptions(task);
    return;
  }
  if (task.module === 'meta') {
    if (task.args !== 'flush_handlers' && task.args !== 'noop') throw parseError(task.origin.file, `${what}: meta supports only flush_handlers and noop`);
    return;
  }
  const module = getModule(task.module);
  if (!module) throw parseError(task.origin.file, `${what}: unknown module '${task.module}'`);
  // Arguments without templates are checked now, before any host is touched. Templated ones
  // are checked per host once rendered; their argument names are still checked here.
  let raw: unknown;
  try {
    raw = moduleArgs(module, task.args);
  } catch (err) {
    throw parseError(task.origin.file, `${what}: ${errorMessage(err)}`);
  }
  const result = module.schema.safeParse(raw ?? {});
  if (result.success) return;
  const fatal = containsTemplate(raw) || task.loop !== undefined ? result.error.issues.filter((i) => i.code === 'unrecognized_keys') : result.error.issues;
  if (fatal.length > 0) {
    throw parseError(task.origin.file, `${what}: ${formatArgsError(module.name, { ...result.error, issues: fatal } as typeof result.error)}`);
  }
}

/** Checks tasks read while the play runs (include_tasks): known modules, valid arguments, known handlers. */
export function validateTasks(tasks: Task[], handlers: Task[]): void {
  tasks.forEach((t) => checkTask(t, false));
  checkNotify(tasks, handlers);
}

function checkNotify(tasks: Task[], handlers: Task[]): void {
  const handlerNames = new Set(handlers.flatMap((h) => [h.name, ...h.listen]));
  for (const t of tasks) {
    const missing = t.notify.find((n) => !handlerNames.has(n) && !/\{\{/.test(n));
    if (missing) throw parseError(t.origin.file, `task '${t.name}' notifies '${missing}', but no handler has that name or listen topic`);
  }
}

/** Checks every task and handler of a playbook: known module, valid argument names and types. */
export function validatePlaybook(playbook: Playbook): void {
  for (const play of playbook.plays) {
    if (hasProtoKey(play.vars)) throw parseError(play.file, `play '${play.name}': vars: ${PROTO_VARIABLE}`);
    for (const role of play.roles) {
      const sub = hasProtoKey(role.defaults) ? 'defaults' : hasProtoKey(role.vars) ? 'vars' : undefined;
      if (sub) throw parseError(`${role.dir}/${sub}`, `role '${role.name}': ${PROTO_VARIABLE}`);
    }
    play.handlers.forEach((t) => checkTask(t, true));
    validateTasks(flattenTasks(play.tasks), play.handlers);
  }
}
