import type { Play, Task } from '../playbook/types.js';
import type { HostTaskResult, Reporter, RunResult } from '../runner/types.js';
import { unifiedDiff } from './diff.js';

/** The --json document: per play, per task, per host: status, diff, ms, msg; plus the recap. */
export function jsonDocument(result: RunResult): unknown {
  return {
    check: result.check,
    plays: result.plays.map((p) => ({
      play: p.play,
      hosts: p.hosts,
      tasks: p.tasks.map((t) => ({
        task: t.task,
        role: t.role ?? null,
        handler: t.handler,
        hosts: Object.fromEntries(
          t.results.map((r) => [
            r.host,
            {
              status: r.status,
              changed: r.status === 'changed',
              ms: r.ms,
              msg: r.msg ?? null,
              diff: r.diffs.map(unifiedDiff).join('\n') || null,
              ...(r.ignored ? { ignored: true } : {}),
            },
          ]),
        ),
      })),
    })),
    stats: result.stats,
    aborted: result.aborted ?? null,
    exit_code: result.exitCode,
  };
}

/** Collects nothing while running (progress goes to the human reporter); prints one document at the end. */
export class JsonReporter implements Reporter {
  constructor(
    private readonly write: (text: string) => void,
    private readonly progress?: Reporter,
  ) {}
  playStart(play: Play, hosts: string[]): void {
    this.progress?.playStart(play, hosts);
  }
  taskStart(task: Task, hosts: string[], handler: boolean): void {
    this.progress?.taskStart(task, hosts, handler);
  }
  hostResult(task: Task, r: HostTaskResult): void {
    this.progress?.hostResult(task, r);
  }
  hostUnreachable(host: string, msg: string): void {
    this.progress?.hostUnreachable(host, msg);
  }
  notice(msg: string): void {
    this.progress?.notice(msg);
  }
  async runEnd(result: RunResult): Promise<void> {
    await this.progress?.runEnd(result);
    this.write(JSON.stringify(jsonDocument(result), null, 2));
  }
}
