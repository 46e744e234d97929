import { parseError } from '../errors.js';
import { formatArgsError } from '../modules/args-error.js';
import { getModule } from '../modules/registry.js';
import type { Playbook, Task } from '../playbook/types.js';

const TEMPLATE = /\{\{|\{%/;

function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return TEMPLATE.test(value);
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (value && typeof value === 'object') return Object.values(value).some(containsTemplate);
  return false;
}

function checkTask(task: Task, handler: boolean): void {
  const what = `${handler ? 'handler' : 'task'} '${task.name}'`;
  if (task.module === 'meta') {
    if (task.args !== 'flush_handlers' && task.args !== 'noop') throw parseError(task.origin.file, `${what}: meta supports only flush_handlers and noop`);
    return;
  }
  const module = getModule(task.module);
  if (!module) throw parseError(task.origin.file, `${what}: unknown module '${task.module}'`);
  // Arguments without templates are checked now, before any host is touched. Templated ones
  // are checked per host once rendered; their argument names are still checked here.
  const raw = typeof task.args === 'string' ? { [module.freeForm ?? '_raw_params']: task.args } : task.args;
  const result = module.schema.safeParse(raw ?? {});
  if (result.success) return;
  const fatal = containsTemplate(raw) || task.loop !== undefined
    ? result.error.issues.filter((i) => i.code === 'unrecognized_keys')
    : result.error.issues;
  if (fatal.length > 0) {
    throw parseError(task.origin.file, `${what}: ${formatArgsError(module.name, { ...result.error, issues: fatal } as typeof result.error)}`);
  }
}

/** Checks every task and handler of a playbook: known module, valid argument names and types. */
export function validatePlaybook(playbook: Playbook): void {
  for (const play of playbook.plays) {
    play.tasks.forEach((t) => checkTask(t, false));
    play.handlers.forEach((t) => checkTask(t, true));
    const handlerNames = new Set(play.handlers.flatMap((h) => [h.name, ...h.listen]));
    for (const t of play.tasks) {
      const missing = t.notify.find((n) => !handlerNames.has(n) && !/\{\{/.test(n));
      if (missing) throw parseError(t.origin.file, `task '${t.name}' notifies '${missing}', but no handler has that name or listen topic`);
    }
  }
}
