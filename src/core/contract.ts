/**
 * The module contract. A module decides first and writes once:
 *
 *   plan(args, ctx)   reads the machine through ctx.state (never SSH or fs directly) and returns
 *                     a Plan: whether anything would change, a before/after diff, and the
 *                     Actions that make the change.
 *   (the runner)      in a real run hands plan.actions to the executor (src/state/executor.ts);
 *                     in check mode hands them to the simulator, so later tasks are planned
 *                     against the state this one would produce.
 *
 * Modules never import node-ssh, fs or listr2.
 */
import type { z } from 'zod';
import type { Facts } from './facts.js';
import type { ExecResult } from './transport.js';
import type { FileContent } from './file-bytes.js';

/** What `stat` says about a path. mode is 4-digit octal ("0644"). */
export interface FileStat {
  type: 'file' | 'directory' | 'link' | 'other';
  mode: string;
  owner: string;
  group: string;
  size: number;
}

/** Read-only view of a machine, answered by the real host or by check mode's simulation. */
export interface HostState {
  /** File content as bytes, or null when the path does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  stat(path: string): Promise<FileStat | null>;
  /**
   * Runs a read-only command. `key` names the fact it reads (e.g. "sysctl:net.ipv4.ip_forward",
   * "service:frr:active", "package:frr") so that check mode can answer it from an earlier
   * action's declared effect instead of the machine.
   */
  query(command: string, key?: string): Promise<ExecResult>;
}

export interface FileAttrs {
  /** Octal string ("0644"); when absent, an existing file keeps its mode. */
  mode?: string;
  owner?: string;
  group?: string;
}

export type Action =
  /** content: the bytes to write (a string is written as its UTF-8 bytes). */
  | ({ kind: 'write'; path: string; content: FileContent; validate?: string; backup?: boolean } & FileAttrs)
  | ({ kind: 'mkdir'; path: string } & FileAttrs)
  | ({ kind: 'attrs'; path: string } & FileAttrs)
  | { kind: 'remove'; path: string }
  | {
      kind: 'exec';
      command: string;
      stdin?: string;
      cwd?: string;
      /** When false, a non-zero exit status is returned to the module, not raised. Default true. */
      mustSucceed?: boolean;
      /** Query keys and the stdout they will have after this command (for check mode). */
      effects?: Record<string, string>;
      /** Paths this command brings into being (a package install), for check mode. */
      creates?: CreatedPaths[];
      /** Text shown instead of the command in output (for secrets). */
      display?: string;
    };

/** What a command creates: directories, and files whose content is known only once it has run. */
export interface CreatedPaths {
  /** Who creates them, for messages ("installing frr"). */
  by: string;
  directories: string[];
  files: string[];
}

export interface FileDiff {
  path: string;
  before: string;
  after: string;
  /** Headers for before/after, e.g. "before: /etc/frr/frr.conf". */
  beforeHeader?: string;
  afterHeader?: string;
  /** One side is binary (a NUL) or not UTF-8: before/after are empty and no line diff is shown. */
  binary?: boolean;
}

export interface Plan {
  changed: boolean;
  actions: Action[];
  diffs: FileDiff[];
  /** One-line summary for output ("installed frr", "value 0 -> 1"). */
  msg?: string;
  /** The module failed its own check (assert, fail). */
  failed?: boolean;
  /** Extra values for `register` (e.g. assert/debug/set_fact results). */
  result?: Record<string, unknown>;
  /** set_fact: variables that become host variables for later tasks. */
  facts?: Record<string, unknown>;
  /** The task must not run in check mode and cannot be predicted (command without creates). */
  skipInCheck?: boolean;
  /** Commit-confirmed routing: the actions arm a rollback (arm_routing) that expires after `timeout` s. */
  armsRouting?: { timeout: number };
  /**
   * The actions need to run only before the host's next change (arm_routing: the state a rollback
   * restores is the state before that change): the runner holds them until a later task is about
   * to change something, and drops them when nothing does (a no-op run arms and confirms nothing).
   */
  deferUntilChange?: boolean;
  /**
   * Commit-confirmed routing (confirm_routing): the actions confirm the pending transaction and
   * must run over a new connection to the host, the proof that the management path still works.
   */
  reconnect?: boolean;
}

/** What the runner knows of the host's commit-confirmed routing transaction. */
export interface RoutingView {
  /** --confirm-timeout in seconds; 0 turns commit-confirmed routing off. */
  confirmTimeout: number;
  /** The transaction this run armed on the host and has not confirmed yet. */
  pending?: { timeout: number; changed: boolean; armedBy: string; armed: boolean };
}

export interface ModuleContext {
  host: string;
  facts: Facts;
  /** Every variable visible to the task (for template and debug). */
  vars: Record<string, unknown>;
  check: boolean;
  state: HostState;
  /**
   * Renders a template file found by the role/playbook search path (template module), with
   * Ansible's template variables (ansible_managed, template_path…; `dest` as the task gave it).
   */
  renderTemplate(src: string, dest?: string): Promise<string>;
  /** Reads a controller-side file found in the role's files/ (copy module's src), as bytes. */
  readControllerFile(src: string): Promise<Buffer>;
  /**
   * Evaluates a bare Jinja2-subset expression against the task's variables (assert's `that`,
   * debug's `var`). Provided by the runner from the template engine.
   */
  evaluate?(expr: string): unknown;
  /** Commit-confirmed routing (arm_routing, confirm_routing); absent where the runner has none. */
  routing?: RoutingView;
}

/**
 * One read a module's plan() will make, declared up front so that the runner can answer the
 * reads of many tasks in one round trip (HostDriver.prefetch) before it calls plan().
 */
export type StateRead = { kind: 'file'; path: string } | { kind: 'stat'; path: string } | { kind: 'query'; command: string; key?: string };

export interface Module<A = unknown> {
  name: string;
  /** Ansible-compatible names this module also answers to (e.g. "ansible.builtin.copy", "apt"). */
  aliases?: string[];
  /** Argument schema: a strict zod object, so an unknown argument is an error. */
  schema: z.ZodType<A, z.ZodTypeDef, unknown>;
  /** Name of the argument that takes Ansible's free-form string (command: "echo hi" -> cmd). */
  freeForm?: string;
  /** The reads plan() will make for these arguments (a hint for batching; may be incomplete). */
  reads?(args: A): StateRead[];
  /**
   * Decides what the task does, in both modes: reads through ctx.state, returns the Plan. It runs
   * for --check and for the real apply alike (check mode hands the actions to the simulator).
   */
  plan(args: A, ctx: ModuleContext): Promise<Plan>;
  /**
   * The module's plan may run commands that change nothing (wait_for's poll loop): its actions
   * are not a change, and the test macro does not require "no actions without a change".
   */
  readOnlyActions?: boolean;
  /**
   * Turns the results of the executed actions into the registered result and the final status
   * (command: rc, stdout, stderr; failed when rc != 0). Optional.
   */
  finish?(args: A, plan: Plan, results: ExecResult[]): { result?: Record<string, unknown>; failed?: boolean; msg?: string };
}

export function noChange(msg?: string, result?: Record<string, unknown>): Plan {
  return { changed: false, actions: [], diffs: [], msg, result };
}
