import type { WithLookup } from './with-loop.js';
/** Plays, roles and tasks as loaded from Ansible-layout YAML (src/playbook/load.ts). */
export type Vars = Record<string, unknown>;

/** Where a task came from, for error messages: "roles/router/tasks/main.yml". */
export interface Origin {
  file: string;
  /** Role name when the task belongs to a role. */
  role?: string;
}

export interface Task {
  /** Display name: the task's `name`, or "<module>" when it has none. */
  name: string;
  /** The task has no `name:` (Ansible's name is then empty, e.g. in ansible_failed_task). */
  unnamed?: boolean;
  module: string;
  /** Arguments as written (unrendered): a mapping, or a free-form string. */
  args: unknown;
  when: string[];
  tags: string[];
  notify: string[];
  register?: string;
  changedWhen?: string[];
  failedWhen?: string[];
  /** `until`: the task is retried until these hold (registered result visible), `retries` times more, `delay` seconds apart. */
  until?: string[];
  /** Retries after the first attempt (Ansible's default 3); a number or a template. */
  retries?: number | string;
  /** Seconds between attempts (Ansible's default 5). */
  delay?: number | string;
  loop?: unknown;
  /** `with_<lookup>`: the items are built from the rendered terms as that lookup does; `loop` takes the list as it is. */
  loopWith?: WithLookup;
  /** loop_control: the item's name (`loop_var`, default `item`). */
  loopVar: string;
  /** loop_control.index_var: a variable holding the item's 0-based index. */
  indexVar?: string;
  /** loop_control.label: what the output shows for each item instead of the whole item. */
  loopLabel?: string;
  /** loop_control.extended: `ansible_loop` with index, first, last, length… */
  loopExtended?: boolean;
  /** Role parameters and `vars:` of the role entry that brought this task in (Ansible's role params). */
  roleParams?: Vars;
  /** Defaults and vars of a role included without `public`: visible to that role's tasks only. */
  roleScope?: { defaults: Vars; vars: Vars };
  /** true/false, or a template string evaluated per host (`no_log: "{{ secret | length > 0 }}"`). */
  noLog: boolean | string;
  /** `check_mode: false` runs the task for real even in --check (Ansible's semantics). */
  checkMode?: boolean;
  ignoreErrors: boolean;
  /** `delegate_to`: localhost or 127.0.0.1 (a template is rendered, then checked, when the task runs). */
  delegateTo?: string;
  /** `run_once`: runs on the batch's first host, its result given to every host of the batch. */
  runOnce?: boolean;
  vars: Vars;
  /** Handler topics this handler also answers to (`listen`). */
  listen: string[];
  origin: Origin;
}

/**
 * A `block:` with its `rescue:` and `always:` sections. The block's keywords (when, tags, vars,
 * ignore_errors, notify…) are already merged into its tasks at load time, as Ansible's
 * inheritance gives them; the runner only needs the structure.
 */
export interface Block {
  kind: 'block';
  name: string;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  origin: Origin;
}

/** One entry of a task list: a task, or a block of them. */
export type TaskNode = Task | Block;

/** Ansible's task name: "role : name" for a named task of a role, else the name or the module. */
export function taskLabel(task: Task): string {
  return task.origin.role && !task.unnamed ? `${task.origin.role} : ${task.name}` : task.name;
}

export function isBlock(node: TaskNode): node is Block {
  return (node as Block).kind === 'block';
}

/** Every task of a tree, in the order written (block, rescue, always). */
export function flattenTasks(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => (isBlock(n) ? [...flattenTasks(n.block), ...flattenTasks(n.rescue), ...flattenTasks(n.always)] : [n]));
}

/** The same tree with `fn` applied to every task. */
export function mapTasks(nodes: TaskNode[], fn: (task: Task) => Task): TaskNode[] {
  return nodes.map((n) => (isBlock(n) ? { ...n, block: mapTasks(n.block, fn), rescue: mapTasks(n.rescue, fn), always: mapTasks(n.always, fn) } : fn(n)));
}

/** The same tree without the tasks `keep` refuses (blocks left empty stay, and run nothing). */
export function filterTasks(nodes: TaskNode[], keep: (task: Task) => boolean): TaskNode[] {
  return nodes.flatMap((n): TaskNode[] =>
    isBlock(n) ? [{ ...n, block: filterTasks(n.block, keep), rescue: filterTasks(n.rescue, keep), always: filterTasks(n.always, keep) }] : keep(n) ? [n] : [],
  );
}

export interface Role {
  name: string;
  dir: string;
  defaults: Vars;
  vars: Vars;
  tasks: TaskNode[];
  handlers: Task[];
  /** Names of roles this role depends on (meta/main.yml), resolved and run first. */
  dependencies: string[];
}

export interface Play {
  name: string;
  hosts: string;
  /** Batch sizes: numbers or percentages ("50%"); empty = all hosts in one batch. */
  serial: (number | string)[];
  anyErrorsFatal: boolean;
  maxFailPercentage?: number;
  gatherFacts: boolean;
  /** The play's gather_subset (Ansible's default: ['all']); which Ansible facts the play sees. */
  gatherSubset?: string[];
  vars: Vars;
  /** `vars_files` names, unrendered; a list entry is "the first of these that exists". */
  varsFiles: (string | string[])[];
  /** Roles in run order (dependencies first, each role once; then those of import_role). */
  roles: Role[];
  /** The role search path (for include_role at run time). */
  rolesPath?: string[];
  /** pre_tasks + role tasks + tasks + post_tasks, in order. */
  tasks: TaskNode[];
  handlers: Task[];
  /** Tags set on the play, inherited by every task. */
  tags: string[];
  file: string;
}

export interface Playbook {
  file: string;
  plays: Play[];
}
