/**
 * A HostDriver for a machine that does not exist yet: the host role is planned against the fresh
 * image (fresh-state.ts, with the planned changes laid over it as check mode does), and what
 * each task would do is recorded, in order, as first-boot steps: packages to install, files to
 * write, commands to run. Commands "succeed" with no output: a task whose output matters must
 * carry its first-boot answer (first-boot-tasks.ts).
 */
import type { Action, HostState } from '../core/contract.js';
import { ProvError } from '../core/errors.js';
import type { ExecResult } from '../core/transport.js';
import type { Task } from '../playbook/types.js';
import type { HostDriver } from '../state/driver.js';
import type { FileAction } from '../state/file-script.js';
import { ContentNotKnownError, SimulatedState } from '../state/simulator.js';
import { FreshImageState, writesWholeFile } from './fresh-state.js';
import type { FirstBootImage } from './image.js';
import { failureIgnored } from './first-boot-tasks.js';

export type FirstBootStep =
  | { kind: 'file'; task: string; action: FileAction }
  | { kind: 'exec'; task: string; command: string; ignoreFailure: boolean; display?: string };

export interface FirstBootRecord {
  /** Packages to install (cloud-config `packages`), in the order the role installs them. */
  packages: string[];
  /** The role refreshes the package lists first (update_cache). */
  packageUpdate: boolean;
  steps: FirstBootStep[];
}

/** The overlay's reads, except that a whole-file write does not need what a package put there. */
class RecordingState implements HostState {
  constructor(
    private readonly overlay: SimulatedState,
    private readonly currentModule: () => string | undefined,
  ) {}

  async readFile(path: string): Promise<Buffer | null> {
    try {
      return await this.overlay.readFile(path);
    } catch (err) {
      if (err instanceof ContentNotKnownError) {
        if (writesWholeFile(this.currentModule())) return null;
        throw new ProvError('failed', `${path} is created by ${err.by} at first boot: its content is not known when user-data is rendered`);
      }
      throw err;
    }
  }

  stat = (path: string) => this.overlay.stat(path);
  query = (command: string, key?: string) => this.overlay.query(command, key);
}

export class FirstBootRecorder implements HostDriver {
  readonly record: FirstBootRecord = { packages: [], packageUpdate: false, steps: [] };
  private task: Task | undefined;
  private readonly overlay: SimulatedState;
  readonly state: HostState;

  constructor(image: FirstBootImage) {
    const module = () => this.task?.module;
    this.overlay = new SimulatedState(new FreshImageState(image, module));
    this.state = new RecordingState(this.overlay, module);
  }

  /** The task whose actions come next (the renderer's reporter says so at each task start). */
  setTask(task: Task): void {
    this.task = task;
  }

  async prefetch(): Promise<void> {}
  invalidate(): void {}
  async close(): Promise<void> {}

  async execute(actions: Action[]): Promise<ExecResult[]> {
    const task = this.task?.name ?? 'unnamed task';
    for (const action of actions) {
      if (action.kind !== 'exec') {
        this.record.steps.push({ kind: 'file', task, action });
        continue;
      }
      const installs = Object.entries(action.effects ?? {})
        .filter(([key, value]) => key.startsWith('package:') && value.startsWith('install'))
        .map(([key]) => key.slice('package:'.length));
      if (installs.length > 0) {
        for (const name of installs) if (!this.record.packages.includes(name)) this.record.packages.push(name);
      } else if (action.command === 'apt-get -q update') {
        this.record.packageUpdate = true;
      } else {
        if (action.stdin !== undefined || action.cwd !== undefined) {
          throw new ProvError('failed', `task '${task}': a command with stdin or chdir cannot run from user-data`);
        }
        this.record.steps.push({
          kind: 'exec',
          task,
          command: action.command,
          ignoreFailure: this.task !== undefined && failureIgnored(this.task),
          ...(action.display !== undefined ? { display: action.display } : {}),
        });
      }
    }
    return this.overlay.applyActions(actions);
  }
}
