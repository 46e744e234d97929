import type { Action } from '../core/contract.js';
import type { ExecResult } from '../core/transport.js';
import type { HostDriver } from '../state/driver.js';
import type { HostConnection } from './types.js';
import type { HostRuntime } from './vars.js';

/** One host during a run: its connection, check-mode overlay, variables and status. */
export interface HostSession {
  host: string;
  conn?: HostConnection;
  /** In --check: the simulated machine that earlier tasks' planned changes were applied to. */
  simulated?: HostDriver;
  runtime?: HostRuntime;
  failed: boolean;
  unreachable: boolean;
  /** Handler names or listen topics notified since the last flush. */
  notified: Set<string>;
  /** Whether the reads of the coming tasks are cached (reset when a task changed something). */
  prefetched: boolean;
  /** The commit-confirmed routing transaction armed on the host and not confirmed yet (arm_routing). */
  routing?: PendingRouting;
}

export interface PendingRouting {
  timeout: number;
  /** When the host's timer expires (controller clock, counted from before the arm); Infinity until it is armed. */
  deadline: number;
  /** A task changed something on the host since the arm. */
  changed: boolean;
  armedBy: string;
  /** The arm has run on the host: its timer is counting. */
  armed: boolean;
  /** arm_routing's actions not run yet: they run just before the host's next change (src/runner/routing.ts). */
  held: HeldActions[];
}

export interface HeldActions {
  task: string;
  actions: Action[];
  /** The arm this starts (the first arm_routing), or none (a merge into the transaction). */
  arms?: { timeout: number };
  /** The module's verdict on the results. */
  finish(results: ExecResult[]): { failed?: boolean; msg?: string };
}

export function newSession(host: string): HostSession {
  return { host, failed: false, unreachable: false, notified: new Set(), prefetched: false };
}
