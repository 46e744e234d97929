import type { Task } from '../playbook/types.js';
import type { HostTaskResult } from '../runner/types.js';

/**
 * What the terminal knows about one run of one task: its hosts and the results that came in.
 * Each run of a task gets its own view, so a result can only ever land in the task it belongs to;
 * the runner only records into it and never waits for the screen, and the screen only reads it.
 */
export class TaskView {
  readonly results = new Map<string, HostTaskResult>();
  /** Settles once every host reported or the run ended; never rejects. */
  readonly done: Promise<void>;
  private settle!: () => void;
  private over = false;
  private readonly listeners = new Set<() => void>();
  private readonly members: ReadonlySet<string>;

  constructor(
    readonly task: Task,
    readonly hosts: readonly string[],
    readonly handler: boolean,
  ) {
    this.members = new Set(hosts);
    this.done = new Promise((resolve) => {
      this.settle = resolve;
    });
    if (hosts.length === 0) this.close();
  }

  get finished(): boolean {
    return this.over;
  }

  /** Hosts still without a result, in inventory order. */
  waiting(): string[] {
    return this.hosts.filter((h) => !this.results.has(h));
  }

  record(r: HostTaskResult): void {
    if (this.over || !this.members.has(r.host)) return;
    this.results.set(r.host, r);
    for (const fn of this.listeners) fn();
    if (this.results.size === this.hosts.length) this.close();
  }

  /** The run ended: hosts that never reported stay without a result. */
  close(): void {
    if (this.over) return;
    this.over = true;
    this.listeners.clear();
    this.settle();
  }

  /** Calls fn after each result until the view is finished; returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    if (!this.over) this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
