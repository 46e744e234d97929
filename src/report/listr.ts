import { Listr } from 'listr2';
import type { Play, Task } from '../playbook/types.js';
import type { HostTaskResult, Reporter, RunResult } from '../runner/types.js';
import { unifiedDiff } from './diff.js';
import { recapLines } from './recap.js';
import { banner, isDebug, statusWord, taskLabel } from './labels.js';

interface Pending {
  resolve: (r: HostTaskResult) => void;
  promise: Promise<HostTaskResult>;
}

function pending(): Pending {
  let resolve!: (r: HostTaskResult) => void;
  const promise = new Promise<HostTaskResult>((r) => { resolve = r; });
  return { resolve, promise };
}

/**
 * Terminal progress with listr2: each task is a list with a live line per host (spinner while
 * it runs, then ok/changed/failed). The engine runs tasks one after another across hosts, so one
 * Listr is rendered per task and kept on screen when it ends.
 */
export class ListrReporter implements Reporter {
  private current: Promise<void> = Promise.resolve();
  private waiting = new Map<string, Pending>();
  private diffs: string[] = [];

  constructor(private readonly o: { write: (line: string) => void; diff: boolean; check: boolean }) {}

  playStart(play: Play, hosts: string[]): void {
    this.current = this.current.then(() => {
      this.o.write(banner(`PLAY [${play.name}]${this.o.check ? ' (check mode)' : ''} hosts: ${hosts.join(', ') || '-'}`));
    });
  }

  taskStart(task: Task, hosts: string[], handler: boolean): void {
    const slots = new Map(hosts.map((h) => [h, pending()]));
    const previous = this.current;
    // The slots belong to this task alone and are captured here: the list renders later (after
    // earlier tasks' lists end) and must never take over the slots of a task that started since.
    this.current = previous.then(async () => {
      const list = new Listr(
        [{
          title: `${handler ? 'HANDLER' : 'TASK'} [${taskLabel(task)}]`,
          task: (_ctx, t) => t.newListr(hosts.map((host) => ({
            title: host,
            task: async (_c, sub) => {
              const r = await slots.get(host)!.promise;
              sub.title = `${host}: ${statusWord(r)}${r.msg && (r.status !== 'ok' || isDebug(task)) ? ` ${r.msg}` : ''} (${r.ms} ms)`;
              if (r.status === 'skipped') sub.skip(sub.title);
              if (r.status === 'failed' && !r.ignored || r.status === 'unreachable') throw new Error(sub.title);
            },
          })), { concurrent: true, exitOnError: false }),
        }],
        { exitOnError: false, rendererOptions: { collapseSubtasks: false, collapseErrors: false, showErrorMessage: true } },
      );
      await list.run().catch(() => undefined);
      for (const d of this.diffs) this.o.write(d);
      this.diffs = [];
    });
    this.waiting = slots;
  }

  hostResult(_task: Task, r: HostTaskResult): void {
    if (this.o.diff) for (const d of r.diffs) this.diffs.push(unifiedDiff(d).trimEnd());
    this.waiting.get(r.host)?.resolve(r);
  }

  hostUnreachable(host: string, msg: string): void {
    this.current = this.current.then(() => this.o.write(`unreachable: [${host}]: ${msg}`));
  }

  notice(msg: string): void {
    this.current = this.current.then(() => this.o.write(msg));
  }

  async runEnd(result: RunResult): Promise<void> {
    // A host that never reported (a run that stopped early) must not keep its spinner waiting.
    for (const slot of this.waiting.values()) slot.resolve({ host: '', status: 'skipped', diffs: [], ms: 0 });
    await this.current;
    this.o.write('');
    this.o.write(banner('PLAY RECAP'));
    for (const line of recapLines(result.stats)) this.o.write(line);
  }
}
