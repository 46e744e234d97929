import type { Play, Task } from '../playbook/types.js';
import type { HostTaskResult, Reporter, RunResult } from '../runner/types.js';
import { unifiedDiff } from './diff.js';
import { recapLines } from './recap.js';
import { banner, resultLine, taskLabel } from './labels.js';

export interface PlainOptions {
  write: (line: string) => void;
  diff: boolean;
  check: boolean;
}

/** Line-per-event output, as ansible-playbook prints when not on a terminal (CI logs). */
export class PlainReporter implements Reporter {
  constructor(private readonly o: PlainOptions) {}

  playStart(play: Play, hosts: string[]): void {
    this.o.write('');
    this.o.write(banner(`PLAY [${play.name}]${this.o.check ? ' (check mode)' : ''} hosts: ${hosts.join(', ') || '-'}`));
  }

  taskStart(task: Task, _hosts: string[], handler: boolean): void {
    this.o.write('');
    this.o.write(banner(`${handler ? 'RUNNING HANDLER' : 'TASK'} [${taskLabel(task)}]`));
  }

  hostResult(task: Task, r: HostTaskResult): void {
    this.o.write(resultLine(task, r));
    if (this.o.diff) for (const d of r.diffs) this.o.write(unifiedDiff(d).trimEnd());
  }

  hostUnreachable(host: string, msg: string): void {
    this.o.write(`unreachable: [${host}]: UNREACHABLE! ${msg}`);
  }

  notice(msg: string): void {
    this.o.write(msg);
  }

  runEnd(result: RunResult): void {
    this.o.write('');
    this.o.write(banner('PLAY RECAP'));
    for (const line of recapLines(result.stats)) this.o.write(line);
  }
}
