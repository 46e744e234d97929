/**
 * The default route of every peer, as the kernel reports it: route-watch.py prints a line per
 * change (one process, one netlink socket per namespace) and this keeps the history, so that a
 * phase of the bench can ask "when did each peer first reach this state after t0?".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RouteEvent {
  /** Unix time in ms, when the watcher read the route after the kernel's notice. */
  t: number;
  ns: string;
  gw: string[];
}

export interface Reached {
  /** Per peer namespace, the first time at or after t0 it was in the state (absent: never). */
  at: Map<string, number>;
  /** Namespaces that were never in the state before the deadline. */
  missing: string[];
}

/** Per namespace, the first time at or after `t0` that its next hops satisfied `want` (pure). */
export function firstReached(events: readonly RouteEvent[], t0: number, names: readonly string[], want: (gw: string[]) => boolean): Reached {
  const current = new Map<string, string[]>();
  const at = new Map<string, number>();
  for (const e of events) {
    if (e.t < t0) {
      current.set(e.ns, e.gw);
      continue;
    }
    if (!at.has(e.ns) && want(e.gw)) at.set(e.ns, e.t);
  }
  // already in the state when t0 came, with no change since
  for (const [ns, gw] of current) if (!at.has(ns) && want(gw) && !events.some((e) => e.ns === ns && e.t >= t0)) at.set(ns, t0);
  return { at, missing: names.filter((n) => !at.has(n)) };
}

/** Changes of next hops in [from, to) (pure): a count per namespace, for the false-flap figure. */
export function changesIn(events: readonly RouteEvent[], from: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) if (e.t >= from && e.t < to) out.set(e.ns, (out.get(e.ns) ?? 0) + 1);
  return out;
}

export class RouteWatch {
  readonly events: RouteEvent[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly names: readonly string[],
  ) {}

  static start(names: readonly string[]): Promise<RouteWatch> {
    const child = spawn('python3', [join(import.meta.dirname, 'route-watch.py'), ...names], { stdio: ['ignore', 'pipe', 'inherit'] });
    const watch = new RouteWatch(child, names);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`route-watch.py exited ${code} before it was ready`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as RouteEvent & { ready?: number };
        if (msg.ready !== undefined) resolve(watch);
        else watch.events.push(msg);
      });
    });
  }

  /** Waits until every namespace has been in the state since t0, or the deadline passes. */
  async until(t0: number, want: (gw: string[]) => boolean, timeoutMs: number): Promise<Reached> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = firstReached(this.events, t0, this.names, want);
      if (r.missing.length === 0 || Date.now() > deadline) return r;
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}
