/**
 * The runner's part of commit-confirmed routing (arm_routing, confirm_routing): the confirm runs
 * over a new connection, no task runs on a host whose rollback timer has expired, and a run that
 * ends with a transaction still pending says that the host rolls itself back.
 */
import type { Action, Module, Plan } from '../core/contract.js';
import { ProvError, errorMessage } from '../core/errors.js';
import type { ExecResult } from '../core/transport.js';
import { ROLLBACK_LOG } from '../modules/common/routing-rollback.js';
import type { Task } from '../playbook/types.js';
import type { HostDriver } from '../state/driver.js';
import type { HostSession } from './session.js';
import type { HostConnection } from './types.js';

/** Seconds to spare: a task that starts this close to the deadline could race the host's rollback. */
const DEADLINE_MARGIN_MS = 1000;

function secondsLeft(session: HostSession): number {
  return Math.max(0, Math.ceil(((session.routing?.deadline ?? 0) - Date.now()) / 1000));
}

/** Fails the task when the host's rollback timer has expired (or is about to): the host is restoring itself. */
export function checkRoutingDeadline(session: HostSession, task: Task): void {
  const pending = session.routing;
  if (!pending || task.module === 'confirm_routing') return;
  if (Date.now() + DEADLINE_MARGIN_MS < pending.deadline) return;
  throw new ProvError(
    'failed',
    `${session.host}: the routing change armed by '${pending.armedBy}' was not confirmed within ${pending.timeout} s: the host rolls back to the state saved before it (${ROLLBACK_LOG}); task '${task.name}' not run`,
  );
}

/**
 * Opens a new connection to the host (the proof that prov can still reach it after its routing
 * change), runs the actions there and keeps it as the host's connection.
 */
export async function reconnectAndRun(session: HostSession, actions: Action[], open: () => Promise<HostConnection>): Promise<ExecResult[]> {
  let conn: HostConnection;
  try {
    conn = await open();
  } catch (err) {
    throw new ProvError(
      'unreachable',
      `${session.host}: cannot reconnect after the routing change (${errorMessage(err)}): the host rolls back by itself within ${secondsLeft(session)} s`,
      { cause: err },
    );
  }
  const old = session.conn;
  session.conn = { driver: conn.driver, facts: old?.facts ?? conn.facts };
  await old?.driver.close().catch(() => undefined);
  return conn.driver.execute(actions);
}

/**
 * arm_routing's actions are held, not run (Plan.deferUntilChange): the transaction is open in the
 * run, but nothing is armed on the host until a later task is about to change something.
 */
export function holdArm<A>(session: HostSession, task: Task, module: Module<A>, args: A, plan: Plan): void {
  if (!session.routing) {
    const timeout = plan.armsRouting?.timeout ?? 0;
    session.routing = { timeout, deadline: Number.POSITIVE_INFINITY, changed: false, armedBy: task.name, armed: false, held: [] };
  }
  session.routing.held.push({
    task: task.name,
    actions: plan.actions,
    arms: plan.armsRouting,
    finish: (results) => module.finish?.(args, plan, results) ?? {},
  });
}

/**
 * A task with a module that is not read-only and is not declared a read (`changed_when: false`)
 * is about to run its actions: it may change the host, so the held arm goes first.
 */
export function changesHost(module: Module, task: Task): boolean {
  if (module.readOnlyActions) return false;
  const declaredRead = task.changedWhen !== undefined && task.changedWhen.length > 0 && task.changedWhen.every((c) => c.trim().toLowerCase() === 'false');
  return !declaredRead;
}

/**
 * Runs the held arm (and merges) on the host's connection before its first change. Returns why
 * it failed, or undefined; on success the timer counts from here.
 */
export async function releaseHeld(session: HostSession, driver: HostDriver): Promise<string | undefined> {
  const pending = session.routing;
  if (!pending || pending.held.length === 0) return undefined;
  for (const held of pending.held.splice(0)) {
    const started = Date.now();
    const verdict = held.finish(await driver.execute(held.actions));
    if (verdict.failed) {
      if (!pending.armed) session.routing = undefined;
      return `${verdict.msg ?? 'cannot arm the routing rollback'} (held by '${held.task}' until this change)`;
    }
    if (held.arms) {
      pending.armed = true;
      pending.deadline = started + held.arms.timeout * 1000;
    }
  }
  return undefined;
}

/** The run ends with the host's transaction unconfirmed (a task failed, the host went away): what happens next. */
export function unconfirmedNotice(session: HostSession): string | undefined {
  const pending = session.routing;
  if (!pending?.armed) return undefined;
  return `${session.host}: the routing change armed by '${pending.armedBy}' was not confirmed: the host restores the state saved before it within ${secondsLeft(session)} s (${ROLLBACK_LOG})`;
}
