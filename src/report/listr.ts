import { Listr, color, figures } from 'listr2';
import type { Play, Task } from '../playbook/types.js';
import type { HostTaskResult, Reporter, RunResult } from '../runner/types.js';
import { collapsedLine, diffBlocks, listedHostLines, namesThatFit, progressLine, verboseHostLines, type Mark } from './collapse.js';
import { recapLines } from './recap.js';
import { banner } from './labels.js';
import { TaskView } from './task-view.js';

export interface TerminalOptions {
  write: (line: string) => void;
  diff: boolean;
  check: boolean;
  /** -v: a line per host under every task, not only the hosts that changed or failed. */
  verbose?: boolean;
  /** Terminal width for the running task's line (default: stdout's columns). */
  columns?: () => number;
}

const REDRAW_MS = 100;

const MARKS: Record<Mark, string> = {
  ok: color.green(figures.tick),
  failed: color.red(figures.cross),
  skipped: color.yellow(figures.arrowDown),
};

/**
 * Terminal progress. Each run of a task has its own TaskView that the runner's events fill in
 * (looked up by the task, never by "whatever is current"). The screen works through the views in
 * order: a view that is already finished when the screen reaches it is printed at once as its
 * collapsed lines; only a view still running gets a live listr2 line (spinner, how many hosts are
 * done, which are still busy), cleared and replaced by the collapsed lines when it ends. So the
 * screen never lags more than one task behind the runner, and neither side waits on the other.
 */
export class ListrReporter implements Reporter {
  /** The screen's work, in order; each step only reads views and writes lines. */
  private screen: Promise<void> = Promise.resolve();
  /** The latest view of each task (a task runs again only after its previous run ended). */
  private readonly views = new Map<Task, TaskView>();

  constructor(private readonly o: TerminalOptions) {}

  private show(step: () => void | Promise<void>): void {
    this.screen = this.screen.then(step).catch((err) => this.o.write(`(display error: ${String(err)})`));
  }

  playStart(play: Play, hosts: string[]): void {
    // The host list is cut to the terminal's width: 100 hosts would fill the screen.
    const head = `PLAY [${play.name}]${this.o.check ? ' (check mode)' : ''} hosts: `;
    const line = banner(hosts.length ? namesThatFit(head, hosts, this.columns() - 4) : `${head}-`);
    this.show(() => this.o.write(line));
  }

  taskStart(task: Task, hosts: string[], handler: boolean): void {
    this.views.get(task)?.close();
    const view = new TaskView(task, hosts, handler);
    this.views.set(task, view);
    this.show(async () => {
      if (!view.finished) await this.live(view);
      this.printFinished(view);
    });
  }

  hostResult(task: Task, r: HostTaskResult): void {
    this.views.get(task)?.record(r);
  }

  hostUnreachable(host: string, msg: string): void {
    this.show(() => this.o.write(`unreachable: [${host}]: ${msg}`));
  }

  notice(msg: string): void {
    this.show(() => this.o.write(msg));
  }

  async runEnd(result: RunResult): Promise<void> {
    // A host that never reported (a run that stopped early) must not keep a spinner waiting.
    for (const view of this.views.values()) view.close();
    this.views.clear();
    await this.screen;
    this.o.write('');
    this.o.write(banner('PLAY RECAP'));
    for (const line of recapLines(result.stats)) this.o.write(line);
  }

  /** A live line for a running task until it ends; listr2 clears it then (clearOutput). */
  private async live(view: TaskView): Promise<void> {
    const columns = () => this.columns() - 4;
    const list = new Listr(
      [
        {
          title: progressLine(view, columns()),
          task: async (_ctx, t) => {
            // Every title change redraws the screen: at most one per spinner frame, however fast results come.
            let timer: NodeJS.Timeout | undefined;
            const off = view.onChange(() => {
              timer ??= setTimeout(() => {
                timer = undefined;
                t.title = progressLine(view, columns());
              }, REDRAW_MS);
            });
            await view.done;
            off();
            clearTimeout(timer);
          },
        },
      ],
      { exitOnError: false, rendererOptions: { clearOutput: true, formatOutput: 'truncate' } },
    );
    await list.run().catch(() => undefined);
  }

  private columns(): number {
    return Math.max(40, this.o.columns?.() ?? process.stdout.columns ?? 80);
  }

  private printFinished(view: TaskView): void {
    const { mark, text } = collapsedLine(view);
    this.o.write(`${MARKS[mark]} ${text}`);
    for (const line of this.o.verbose ? verboseHostLines(view) : listedHostLines(view)) this.o.write(`    ${line}`);
    if (this.o.diff) for (const block of diffBlocks(view, this.o.verbose)) this.o.write(block);
  }
}
