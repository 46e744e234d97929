import { ProvError } from '../../src/core/errors.js';
import type { Facts } from '../../src/core/facts.js';
import { loadInventory } from '../../src/inventory/load.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import type { Play, Task } from '../../src/playbook/types.js';
import { runPlaybook } from '../../src/runner/run.js';
import type { HostTaskResult, Reporter, RunOptions, RunResult } from '../../src/runner/types.js';
import { validatePlaybook } from '../../src/runner/validate.js';
import type { FakeMachine } from './fake-machine.js';
import { debianFacts as fakeFacts } from './facts.js';

/** A reporter that records every event, for assertions. */
export class RecordingReporter implements Reporter {
  readonly events: string[] = [];
  readonly results: { task: string; result: HostTaskResult }[] = [];
  playStart(play: Play, hosts: string[]): void {
    this.events.push(`play ${play.name} ${hosts.join(',')}`);
  }
  taskStart(task: Task, hosts: string[], handler: boolean): void {
    this.events.push(`${handler ? 'handler' : 'task'} ${task.name} ${hosts.join(',')}`);
  }
  hostResult(task: Task, result: HostTaskResult): void {
    this.results.push({ task: task.name, result });
    this.events.push(`${result.host} ${task.name} ${result.status}`);
  }
  hostUnreachable(host: string, msg: string): void {
    this.events.push(`unreachable ${host} ${msg}`);
  }
  notice(msg: string): void {
    this.events.push(`notice ${msg}`);
  }
  runEnd(): void {}
  statusOf(task: string, host: string): string | undefined {
    return (
      this.results
        .filter((r) => r.task === task && r.result.host === host)
        .map((r) => r.result.status)
        .join(',') || undefined
    );
  }
}

export interface FakeRun {
  result: RunResult;
  reporter: RecordingReporter;
}

/** Runs a playbook from a project dir against FakeMachines (hosts missing from `machines` are unreachable). */
export async function runOnFakes(
  inventoryFile: string,
  playbookFile: string,
  machines: Record<string, FakeMachine>,
  options: Partial<Omit<RunOptions, 'inventory' | 'playbook' | 'open' | 'reporter'>> = {},
  facts: (host: string) => Facts = () => fakeFacts(),
): Promise<FakeRun> {
  const inventory = await loadInventory(inventoryFile);
  const playbook = await loadPlaybook(playbookFile);
  validatePlaybook(playbook);
  const reporter = new RecordingReporter();
  const result = await runPlaybook({
    inventory,
    playbook,
    check: false,
    diff: false,
    tags: [],
    skipTags: [],
    roles: [],
    forks: 5,
    extraVars: {},
    ...options,
    reporter,
    open: async (host) => {
      const machine = machines[host];
      if (!machine) throw new ProvError('unreachable', `${host}: connection refused`);
      return { driver: machine, facts: facts(host) };
    },
  });
  return { result, reporter };
}
