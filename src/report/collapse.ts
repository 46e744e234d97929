import type { Task } from '../playbook/types.js';
import type { HostTaskResult } from '../runner/types.js';
import { unifiedDiff } from './diff.js';
import { isDebug, resultLine, sameOutcome, taskLabel } from './labels.js';

/**
 * The terminal's collapsed view of a task, as pure text: one line with counts per status, then
 * only the hosts worth reading (changed, failed, unreachable, debug output), hosts with the same
 * outcome sharing a line. 100 hosts that were all ok are one line, not 100.
 */

/** A task's hosts and the results so far (a TaskView, or a plain object in tests). */
export interface TaskOutcome {
  task: Task;
  handler: boolean;
  hosts: readonly string[];
  results: ReadonlyMap<string, HostTaskResult>;
}

/** Counted in this order; `ignored` is a failure that ignore_errors let pass, `unfinished` a host that never reported. */
export const COUNTED = ['ok', 'changed', 'skipped', 'failed', 'ignored', 'unreachable', 'unfinished'] as const;
export type Counted = (typeof COUNTED)[number];
export type StatusCounts = Record<Counted, number>;

/** Up to this many hosts with one outcome are named even when they are all the task's hosts. */
export const NAMED_UP_TO = 10;

/** How the collapsed line is marked: ✔, ✖ or ↓ (every host skipped). */
export type Mark = 'ok' | 'failed' | 'skipped';

export function taskTitle(o: Pick<TaskOutcome, 'task' | 'handler'>): string {
  return `${o.handler ? 'HANDLER' : 'TASK'} [${taskLabel(o.task)}]`;
}

function inOrder(o: TaskOutcome): HostTaskResult[] {
  return o.hosts.flatMap((h) => o.results.get(h) ?? []);
}

function unfinished(o: TaskOutcome): string[] {
  return o.hosts.filter((h) => !o.results.has(h));
}

function counted(r: HostTaskResult): Counted {
  return r.status === 'failed' && r.ignored ? 'ignored' : r.status;
}

export function statusCounts(o: TaskOutcome): StatusCounts {
  const c = Object.fromEntries(COUNTED.map((k) => [k, 0])) as StatusCounts;
  for (const r of inOrder(o)) c[counted(r)] += 1;
  c.unfinished = unfinished(o).length;
  return c;
}

/** `ok=18 changed=2`: only the statuses that occurred. */
export function countsText(c: StatusCounts): string {
  return COUNTED.filter((k) => c[k] > 0)
    .map((k) => `${k}=${c[k]}`)
    .join(' ');
}

/** The one line a finished task collapses to: `TASK [host : write frr.conf] ok=18 changed=2`. */
export function collapsedLine(o: TaskOutcome): { mark: Mark; text: string } {
  const c = statusCounts(o);
  const mark: Mark = c.failed + c.unreachable > 0 ? 'failed' : c.ok + c.changed + c.ignored === 0 ? 'skipped' : 'ok';
  return { mark, text: `${taskTitle(o)} ${countsText(c)}`.trimEnd() };
}

function worthListing(task: Task, r: HostTaskResult): boolean {
  return r.status === 'changed' || r.status === 'failed' || r.status === 'unreachable' || (isDebug(task) && Boolean(r.msg));
}

/**
 * The lines under a collapsed task: hosts that changed, failed or were unreachable (and what a
 * debug task printed), in inventory order; hosts with the same outcome and message share a line
 * (`[all 20 hosts]` when that is every host of the task and more than NAMED_UP_TO).
 */
export function listedHostLines(o: TaskOutcome): string[] {
  const groups: { first: HostTaskResult; hosts: string[] }[] = [];
  for (const r of inOrder(o).filter((x) => worthListing(o.task, x))) {
    const group = groups.find((g) => sameOutcome(o.task, g.first, r));
    if (group) group.hosts.push(r.host);
    else groups.push({ first: r, hosts: [r.host] });
  }
  const everyHost = (g: { hosts: string[] }) => g.hosts.length > NAMED_UP_TO && g.hosts.length === o.hosts.length;
  const lines = groups.map((g) => resultLine(o.task, g.first, g.hosts, everyHost(g) ? `all ${g.hosts.length} hosts` : undefined));
  const missing = unfinished(o);
  if (missing.length > 0) lines.push(`unfinished: [${missing.join(', ')}]`);
  return lines;
}

/** -v: a line for every host, as the plain output prints them. */
export function verboseHostLines(o: TaskOutcome): string[] {
  const lines = inOrder(o).map((r) => resultLine(o.task, r));
  const missing = unfinished(o);
  if (missing.length > 0) lines.push(`unfinished: [${missing.join(', ')}]`);
  return lines;
}

/** The task's diffs, each under the hosts it belongs to; identical diffs are printed once unless perHost. */
export function diffBlocks(o: TaskOutcome, perHost = false): string[] {
  const blocks: { text: string; hosts: string[] }[] = [];
  for (const r of inOrder(o)) {
    const text = r.diffs.map((d) => unifiedDiff(d).trimEnd()).join('\n');
    if (!text) continue;
    const same = perHost ? undefined : blocks.find((b) => b.text === text);
    if (same) same.hosts.push(r.host);
    else blocks.push({ text, hosts: [r.host] });
  }
  return blocks.map((b) => `diff: [${b.hosts.join(', ')}]\n${b.text}`);
}

/** `prefix` followed by as many names as fit in width, then `… +N` for the rest. */
export function namesThatFit(prefix: string, names: readonly string[], width: number): string {
  if (names.length === 0) return prefix;
  let line = `${prefix}${names[0]}`;
  for (let i = 1; i < names.length; i++) {
    const next = `${line}, ${names[i]}`;
    const rest = i < names.length - 1 ? ` … +${names.length - i - 1}`.length : 0;
    if (next.length + rest > width) return `${line} … +${names.length - i}`;
    line = next;
  }
  return line;
}

/** A running task: `TASK [x] 17/20 done · waiting: host3, host7`, the names cut to fit width. */
export function progressLine(o: TaskOutcome, width: number): string {
  const waiting = unfinished(o);
  const head = `${taskTitle(o)} ${o.hosts.length - waiting.length}/${o.hosts.length} done`;
  return waiting.length === 0 ? head : namesThatFit(`${head} · waiting: `, waiting, width);
}
