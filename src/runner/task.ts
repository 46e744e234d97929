import { markSecret } from '../core/secrets.js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ProvError, errorMessage, excerpt } from '../core/errors.js';
import type { Vars } from '../inventory/types.js';
import { formatArgsError } from '../modules/args-error.js';
import type { Action, Module, ModuleContext, Plan } from '../core/contract.js';
import { getModule } from '../modules/registry.js';
import { DEFAULT_CONFIRM_TIMEOUT } from '../modules/arm-routing.js';
import type { Role, Task } from '../playbook/types.js';
import { ContentNotKnownError } from '../state/simulator.js';
import { renderTemplateFile } from '../template/template-file.js';
import { asHostData, hostDataVars } from '../template/host-data.js';
import { evaluate, isTruthy, OMIT, renderTracked, renderValue } from '../template/render.js';
import { pyStr } from '../template/values.js';
import type { ExecResult } from '../core/transport.js';
import { argsMapping, moduleArgs } from './args.js';
import { changesHost, holdArm, releaseHeld } from './routing.js';
import type { HostSession } from './session.js';
import { registeredOf, type ItemOutcome } from './item-outcome.js';
import type { HostTaskResult, TaskStatus } from './types.js';
import { runUntil } from './until.js';
import { withLookupItems } from './with-items.js';
import { templateFileVars } from './template-vars.js';

export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export interface TaskEnv {
  check: boolean;
  rolesByName: Map<string, Role>;
  playbookDir: string;
  /** Variables for this task on this host (without the loop item). */
  vars: Vars;
  /** The same computed again now: a loop's next item sees what set_fact did in the previous one. */
  refreshVars?: () => Vars;
  /** An `until` attempt failed and the task is tried again: `left` retries remain. */
  onRetry?: (left: number) => void;
  /** --confirm-timeout (commit-confirmed routing), seconds; 0 is off. */
  confirmTimeout?: number;
  /** Runs actions over a new connection to the host, which then replaces the old one (confirm_routing). */
  reconnect?: (actions: Action[]) => Promise<ExecResult[]>;
}

/** The loop's items: rendered, checked, and for `with_<lookup>` built as that lookup does. */
export function loopItems(task: Task, vars: Vars): { items: unknown[]; fromHost: boolean } {
  const { value: items, fromHost } = renderTracked(task.loop, vars);
  if (task.loopWith) return { items: withLookupItems(task.loopWith, items), fromHost };
  if (!Array.isArray(items)) throw new ProvError('failed', `loop must be a list, got ${items === null ? 'null' : typeof items}`);
  return { items, fromHost };
}

/** The variables one loop item adds: its loop_var, index_var and (extended) ansible_loop. */
export function loopItemVars(task: Task, items: unknown[], index: number, fromHost: boolean): Vars {
  const vars: Vars = { [task.loopVar]: fromHost ? asHostData(items[index]) : items[index], ansible_loop_var: task.loopVar };
  if (task.indexVar) Object.assign(vars, { [task.indexVar]: index, ansible_index_var: task.indexVar });
  if (task.loopExtended) {
    const length = items.length;
    vars.ansible_loop = {
      allitems: items,
      index: index + 1,
      index0: index,
      revindex: length - index,
      revindex0: length - index - 1,
      first: index === 0,
      last: index === length - 1,
      length,
      previtem: index > 0 ? items[index - 1] : undefined,
      nextitem: index < length - 1 ? items[index + 1] : undefined,
    };
  }
  return vars;
}

/** Where a role-relative file lives: roles/<r>/<sub>/<src>, else beside the playbook. */
function controllerPath(task: Task, env: TaskEnv, sub: 'templates' | 'files', src: string): string {
  if (isAbsolute(src)) return src;
  const role = task.origin.role ? env.rolesByName.get(task.origin.role) : undefined;
  const base = role ? role.dir : env.playbookDir;
  const path = join(base, sub, src);
  // A relative src is a file of the role (or the playbook): `../` out of it would let a role
  // read any file of the controller (a key, a vault password) and send it to the targets.
  const rel = relative(base, path);
  if (rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new ProvError(
      'failed',
      `task '${task.name}' (${task.origin.file}): src ${excerpt(src)} leads outside ${base}: refused (name a file elsewhere by its absolute path)`,
    );
  }
  return path;
}

async function readControllerText(path: string, task: Task): Promise<string> {
  return (await readControllerBytes(path, task)).toString('utf8');
}

async function readControllerBytes(path: string, task: Task): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new ProvError('failed', `cannot read ${path} for task '${task.name}': ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`, { cause: err });
  }
}

export function conditionsHold(conditions: string[], vars: Vars): boolean {
  return conditions.every((c) => isTruthy(evaluate(c, vars)));
}

/**
 * A task's arguments rendered, with the names of the arguments computed from data from a machine
 * (a set_fact of those makes host data, never rendered again).
 */
function renderArgs(args: unknown, vars: Vars): { args: unknown; fromHost: Set<string> } {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    const r = renderTracked(args, vars);
    return { args: r.value, fromHost: new Set(r.fromHost ? ['_raw_params'] : []) };
  }
  const out: Vars = {};
  const fromHost = new Set<string>();
  for (const [key, value] of Object.entries(args)) {
    const r = renderTracked(value, vars);
    if (r.value === OMIT) continue;
    out[key] = r.value;
    if (r.fromHost) fromHost.add(key);
  }
  return { args: out, fromHost };
}

async function runItem(module: Module, task: Task, session: HostSession, env: TaskEnv, vars: Vars): Promise<ItemOutcome> {
  if (!conditionsHold(task.when, vars)) return { status: 'skipped', changed: false, diffs: [], result: { skipped: true } };
  const { args, fromHost } = renderArgs(moduleArgs(module, task.args), vars);
  const rendered = argsMapping(module, args);
  const parsed = module.schema.safeParse(rendered);
  if (!parsed.success) throw new ProvError('failed', formatArgsError(module.name, parsed.error));
  const checkOnly = env.check ? task.checkMode !== false : task.checkMode === true;
  const real = session.conn!.driver;
  const driver = env.check && checkOnly ? (session.simulated ?? real) : real;
  const ctx: ModuleContext = {
    host: session.host,
    facts: session.runtime!.facts,
    vars,
    check: checkOnly,
    state: driver.state,
    renderTemplate: async (src, dest) => {
      const path = controllerPath(task, env, 'templates', src);
      const text = await readControllerText(path, task);
      return renderTemplateFile(text, { ...vars, ...templateFileVars(src, path, dest) }, path);
    },
    readControllerFile: async (src) => readControllerBytes(controllerPath(task, env, 'files', src), task),
    evaluate: (expr: string) => evaluate(expr, vars),
    routing: { confirmTimeout: env.confirmTimeout ?? DEFAULT_CONFIRM_TIMEOUT, pending: session.routing },
  };
  let plan: Plan;
  try {
    plan = await module.plan(parsed.data, ctx);
  } catch (err) {
    // Check mode: the task edits a file that a planned package install creates. Its content is
    // known only then; the real apply changes it (that is why the task is there).
    if (checkOnly && err instanceof ContentNotKnownError) {
      return { status: 'changed', changed: true, msg: `would change ${err.path} after ${err.by} (its content is not known before)`, diffs: [], result: {} };
    }
    throw err;
  }
  for (const [name, value] of Object.entries(plan.facts ?? {})) {
    session.runtime!.runtimeVars[name] = fromHost.has(name) || fromHost.has('_raw_params') ? asHostData(value) : value;
  }
  if (plan.failed) return { status: 'failed', changed: false, msg: plan.msg, diffs: plan.diffs, result: { ...plan.result, failed: true } };
  if (plan.skipInCheck && checkOnly) {
    // A command that check mode cannot run: without changed_when, the real apply runs it and
    // reports it changed, so check mode says so (truthful); with changed_when the outcome
    // depends on output that check mode does not have, so it is reported as skipped.
    if (!task.changedWhen) return { status: 'changed', changed: true, msg: 'would run (not run in check mode)', diffs: [], result: {}, outputUnknown: true };
    return {
      status: 'skipped',
      changed: false,
      msg: 'skipped in check mode: changed_when depends on its output',
      diffs: [],
      result: { skipped: true },
      outputUnknown: true,
    };
  }
  if (plan.deferUntilChange && !checkOnly && plan.actions.length > 0) {
    holdArm(session, task, module, parsed.data, plan);
    return { status: 'ok', changed: false, msg: `${plan.msg} (before the first change)`, diffs: plan.diffs, result: { ...plan.result } };
  }
  let execResults: ExecResult[] = [];
  if (plan.actions.length > 0) {
    if (!checkOnly && changesHost(module, task)) {
      const armFailed = await releaseHeld(session, real);
      if (armFailed) return { status: 'failed', changed: false, msg: armFailed, diffs: [], result: { failed: true } };
    }
    if (checkOnly) await session.simulated?.execute(plan.actions);
    else if (plan.reconnect) {
      if (!env.reconnect) throw new ProvError('failed', `task '${task.name}' needs a new connection to ${session.host}, which this run cannot open`);
      execResults = await env.reconnect(plan.actions);
    } else execResults = await real.execute(plan.actions);
  }
  let failed = false;
  let msg = plan.msg;
  let result: Vars = { ...plan.result };
  if (module.finish && !checkOnly) {
    const fin = module.finish(parsed.data, plan, execResults);
    result = { ...result, ...fin.result };
    failed = fin.failed ?? false;
    msg = fin.msg ?? msg;
  }
  if (!checkOnly && module.name === 'confirm_routing') session.routing = undefined;
  return { status: failed ? 'failed' : plan.changed ? 'changed' : 'ok', changed: plan.changed, msg, diffs: plan.diffs, result };
}

/** Applies changed_when / failed_when to an outcome, with the registered result visible. */
function applyOverrides(task: Task, outcome: ItemOutcome, vars: Vars): ItemOutcome {
  if (outcome.status === 'skipped') return outcome;
  const registered = hostDataVars(registeredOf(outcome));
  const scope = task.register ? { ...vars, [task.register]: asHostData(registered), ...registered } : { ...vars, ...registered };
  let { status, changed } = outcome;
  if (task.changedWhen) {
    changed = conditionsHold(task.changedWhen, scope);
    if (status !== 'failed') status = changed ? 'changed' : 'ok';
  }
  if (task.failedWhen) {
    const failed = task.failedWhen.some((c) => isTruthy(evaluate(c, scope)));
    status = failed ? 'failed' : changed ? 'changed' : 'ok';
  }
  return { ...outcome, status, changed };
}

/** One item's result: the module run with changed_when/failed_when applied, retried while `until` does not hold. */
async function runAttempts(module: Module, task: Task, session: HostSession, env: TaskEnv, vars: Vars): Promise<ItemOutcome> {
  const once = async () => applyOverrides(task, await runItem(module, task, session, env, vars), vars);
  const until = task.until;
  // A task skipped by `when` is not attempted at all (Ansible checks `when` before the attempts).
  if (!until || !conditionsHold(task.when, vars)) return once();
  return runUntil({ ...task, until }, vars, once, env.onRetry);
}

/** Whether this task's values must be hidden on this host; a template that fails to render hides them. */
function hidesValues(task: Task, vars: Vars): boolean {
  if (typeof task.noLog === 'boolean') return task.noLog;
  try {
    return isTruthy(renderValue(task.noLog, vars));
  } catch {
    return true;
  }
}

/** What a no_log task returned that must stay hidden later too (a registered stdout printed by a debug task). */
const HIDDEN_RESULT_KEYS = ['stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'content', 'msg'];

function markHiddenResult(registered: Vars): void {
  const results = Array.isArray(registered.results) ? (registered.results as Vars[]) : [registered];
  for (const r of results) for (const key of HIDDEN_RESULT_KEYS) if (key in r) markSecret(r[key]);
}

/** Runs one task on one host: plan, then (unless in check mode) apply. Never throws except for unreachable. */
export async function runTask(task: Task, session: HostSession, env: TaskEnv): Promise<HostTaskResult & { changed: boolean; registered: Vars }> {
  const started = performance.now();
  const noLog = hidesValues(task, env.vars);
  // bgp_password is secret wherever it came from (src/core/secrets.ts).
  const bgpPassword = env.vars.bgp_password;
  if (typeof bgpPassword === 'string' && !bgpPassword.includes('{{')) markSecret(bgpPassword);
  const module = getModule(task.module)!;
  const outcomes: ItemOutcome[] = [];
  let registered: Vars;
  try {
    if (task.loop === undefined) {
      outcomes.push(await runAttempts(module, task, session, env, env.vars));
      const only = outcomes[0]!;
      registered = { ...only.result, changed: only.changed, failed: only.status === 'failed', skipped: only.status === 'skipped', msg: only.msg };
    } else {
      const { items, fromHost } = loopItems(task, env.vars);
      for (const index of items.keys()) {
        const itemVars = { ...(index > 0 && env.refreshVars ? env.refreshVars() : env.vars), ...loopItemVars(task, items, index, fromHost) };
        const outcome = await runAttempts(module, task, session, env, itemVars);
        if (outcome.msg && task.loopLabel !== undefined) outcome.msg = `(item=${pyStr(renderValue(task.loopLabel, itemVars))}) ${outcome.msg}`;
        // A failed item does not stop the loop (Ansible runs the others); the task is failed.
        outcomes.push(outcome);
      }
      registered = {
        results: outcomes.map((o, i) => ({
          ...o.result,
          [task.loopVar]: items[i],
          ...(task.indexVar ? { [task.indexVar]: i, ansible_index_var: task.indexVar } : {}),
          ansible_loop_var: task.loopVar,
          changed: o.changed,
          failed: o.status === 'failed',
          skipped: o.status === 'skipped',
          msg: o.msg,
        })),
        changed: outcomes.some((o) => o.changed),
        failed: outcomes.some((o) => o.status === 'failed'),
        skipped: outcomes.length > 0 && outcomes.every((o) => o.status === 'skipped'),
      };
    }
  } catch (err) {
    if (err instanceof ProvError && err.kind === 'unreachable') throw err;
    const msg = errorMessage(err);
    outcomes.push({ status: 'failed', changed: false, msg, diffs: [], result: { failed: true } });
    registered = { failed: true, changed: false, msg };
  }
  if (noLog) markHiddenResult(registered);
  // What a task returns came from the machine: data, never a template.
  if (task.register) session.runtime!.runtimeVars[task.register] = asHostData(noLog ? { ...registered, msg: NO_LOG_MESSAGE } : registered);
  const status: TaskStatus = outcomes.some((o) => o.status === 'failed')
    ? 'failed'
    : outcomes.some((o) => o.status === 'changed')
      ? 'changed'
      : outcomes.length > 0 && outcomes.every((o) => o.status === 'skipped')
        ? 'skipped'
        : 'ok';
  const messages = outcomes.map((o) => o.msg).filter((m): m is string => Boolean(m));
  return {
    host: session.host,
    status,
    changed: status === 'changed',
    msg: noLog ? (messages.length ? NO_LOG_MESSAGE : undefined) : messages.join('; ') || undefined,
    diffs: noLog ? [] : outcomes.flatMap((o) => o.diffs),
    ms: Math.round((performance.now() - started) * 10) / 10,
    ignored: status === 'failed' && task.ignoreErrors ? true : undefined,
    changedAnyway: status === 'failed' && outcomes.some((o) => o.changed) ? true : undefined,
    registered: noLog ? { ...registered, msg: NO_LOG_MESSAGE } : registered,
  };
}
