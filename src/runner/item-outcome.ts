import type { Vars } from '../inventory/types.js';
import type { FileDiff } from '../core/contract.js';
import type { TaskStatus } from './types.js';

/** What one run of a task's module did for one loop item (or for a task without a loop). */
export interface ItemOutcome {
  status: TaskStatus;
  changed: boolean;
  msg?: string;
  diffs: FileDiff[];
  result: Vars;
  /** Check mode could not run the module (a command): its output is not known. */
  outputUnknown?: boolean;
}

/** The result as `register` stores it (before the loop's keys are added). */
export function registeredOf(o: ItemOutcome): Vars {
  return { ...o.result, changed: o.changed, failed: o.status === 'failed', msg: o.msg };
}
