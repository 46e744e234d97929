/**
 * `run_once: true` as ansible-core 2.14's linear strategy does it: the task runs on the first
 * active host of the batch only (its `when` is evaluated there, its result counts in that host's
 * recap only, it notifies that host's handlers), and what it sets — the registered variable and
 * set_fact's facts — is given to every host of the batch. A failure (not ignored) fails them all.
 */
import type { Vars } from '../inventory/types.js';
import type { HostSession } from './session.js';

/** The runtime variables of the host that runs the task, before it runs. */
export function runtimeSnapshot(session: HostSession): Vars {
  return { ...session.runtime?.runtimeVars };
}

/** Gives the other hosts of the batch what the task set on the host that ran it; a failure fails them too. */
export function shareRunOnce(ran: HostSession, others: HostSession[], before: Vars, failed: boolean): void {
  const after = ran.runtime?.runtimeVars ?? {};
  const set = Object.entries(after).filter(([k, v]) => !Object.hasOwn(before, k) || before[k] !== v);
  for (const other of others) {
    if (!other.runtime) continue;
    for (const [k, v] of set) other.runtime.runtimeVars[k] = v;
    if (failed) other.failed = true;
  }
}
