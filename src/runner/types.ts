import type { Facts } from '../core/facts.js';
import type { Inventory, Vars } from '../inventory/types.js';
import type { FileDiff } from '../core/contract.js';
import type { Play, Playbook, Task } from '../playbook/types.js';
import type { HostDriver } from '../state/driver.js';

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

/** What one task did on one host. Text here is already redacted for no_log. */
export interface HostTaskResult {
  host: string;
  status: TaskStatus;
  msg?: string;
  /** File diffs (empty when no_log or nothing changed). */
  diffs: FileDiff[];
  ms: number;
  /** Task failed but ignore_errors let the host go on. */
  ignored?: boolean;
  /** Task failed inside a block with a rescue: counted as rescued, the host runs the rescue. */
  rescued?: boolean;
  /** A failed task whose result still says changed (a command that ran and failed). */
  changedAnyway?: boolean;
}

export interface TaskRecord {
  task: string;
  role?: string;
  handler: boolean;
  results: HostTaskResult[];
}

export interface PlayRecord {
  play: string;
  hosts: string[];
  tasks: TaskRecord[];
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface RunResult {
  check: boolean;
  plays: PlayRecord[];
  stats: Record<string, HostStats>;
  exitCode: number;
  /** Why the run stopped early (any_errors_fatal, max_fail_percentage), if it did. */
  aborted?: string;
}

/** An open connection to one host and what prov knows about it. */
export interface HostConnection {
  driver: HostDriver;
  facts: Facts;
}

/** Opens a host: connect and gather facts. Throws ProvError('unreachable') when it cannot. */
export type HostOpener = (host: string, vars: Vars) => Promise<HostConnection>;

export interface RunOptions {
  inventory: Inventory;
  playbook: Playbook;
  check: boolean;
  diff: boolean;
  limit?: string;
  tags: string[];
  skipTags: string[];
  /** --role: run only these roles' tasks. */
  roles: string[];
  /** --start-at-task: tasks before the first one with this name (or glob) are left out. */
  startAtTask?: string;
  forks: number;
  /** --confirm-timeout: seconds before an unconfirmed routing change rolls back (0: off; default 120). */
  confirmTimeout?: number;
  extraVars: Vars;
  open: HostOpener;
  reporter: Reporter;
}

/** Progress events; the plain, listr2 and JSON reporters implement these. */
export interface Reporter {
  playStart(play: Play, hosts: string[]): void;
  taskStart(task: Task, hosts: string[], handler: boolean): void;
  hostResult(task: Task, result: HostTaskResult): void;
  /** A host could not be opened (connect or facts). */
  hostUnreachable(host: string, msg: string): void;
  notice(msg: string): void;
  runEnd(result: RunResult): void | Promise<void>;
}
