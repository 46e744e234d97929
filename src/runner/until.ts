/**
 * `until` / `retries` / `delay` as ansible-core 2.14's TaskExecutor runs them: with `until`, a
 * task makes up to retries + 1 attempts (retries 3 by default; 0 or less: one attempt and the
 * condition is not looked at), `delay` seconds apart (5 by default, 1 when negative, 0 does not
 * wait). After each attempt the registered variable holds that attempt's result, with `attempts`;
 * the first attempt whose result satisfies `until` is the task's result. When none does, the last
 * result is the task's, failed, with `attempts` one less than made (as Ansible reports it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ProvError, errorMessage } from '../core/errors.js';
import type { Vars } from '../inventory/types.js';
import type { Task } from '../playbook/types.js';
import { asHostData } from '../template/host-data.js';
import { evaluate, isTruthy, renderValue } from '../template/render.js';
import { registeredOf, type ItemOutcome } from './item-outcome.js';

function countOf(value: number | string | undefined, vars: Vars, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const rendered = typeof value === 'string' ? renderValue(value, vars) : value;
  const n = typeof rendered === 'number' ? rendered : Number(String(rendered).trim());
  if (!Number.isInteger(n)) throw new ProvError('failed', `${what} must be a whole number, got ${JSON.stringify(rendered)}`);
  return n;
}

/** Attempts to make and seconds between them, Ansible's way. */
export function retryPlan(task: Task, vars: Vars): { attempts: number; delay: number } {
  const retries = countOf(task.retries, vars, 3, 'retries');
  const delay = countOf(task.delay, vars, 5, 'delay');
  return { attempts: retries <= 0 ? 1 : retries + 1, delay: delay < 0 ? 1 : delay };
}

/** Runs `attempt` until the task's `until` holds. `onRetry` hears the retries left after a failed attempt. */
export async function runUntil(
  task: Task & { until: string[] },
  vars: Vars,
  attempt: () => Promise<ItemOutcome>,
  onRetry?: (left: number) => void,
): Promise<ItemOutcome> {
  const plan = retryPlan(task, vars);
  let outcome: ItemOutcome | undefined;
  for (let n = 1; n <= plan.attempts; n++) {
    outcome = await attempt().catch((err: unknown): ItemOutcome => {
      if (err instanceof ProvError && err.kind === 'unreachable') throw err;
      return { status: 'failed', changed: false, msg: errorMessage(err), diffs: [], result: { failed: true } };
    });
    // Check mode could not run the command: its output, which `until` looks at, is not known.
    if (outcome.outputUnknown) return outcome;
    outcome = { ...outcome, result: { ...outcome.result, attempts: n } };
    if (plan.attempts === 1) return outcome;
    const scope = task.register ? { ...vars, [task.register]: asHostData(registeredOf(outcome)) } : vars;
    if (task.until.every((c) => isTruthy(evaluate(c, scope)))) return outcome;
    if (n < plan.attempts) {
      onRetry?.(plan.attempts - n);
      if (plan.delay > 0) await sleep(plan.delay * 1000);
    }
  }
  const last = outcome!;
  return { ...last, status: 'failed', result: { ...last.result, attempts: plan.attempts - 1, failed: true } };
}
