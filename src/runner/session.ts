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
}

export function newSession(host: string): HostSession {
  return { host, failed: false, unreachable: false, notified: new Set(), prefetched: false };
}
