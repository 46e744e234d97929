/**
 * `prov apply --list-hosts / --list-tasks / --list-tags`: what the playbook would run, laid out
 * as ansible-playbook lays it out, without connecting to any host.
 */
import type { Inventory } from '../inventory/types.js';
import { selectHosts } from '../inventory/patterns.js';
import { isBlock, taskLabel, type Play, type Playbook, type Task, type TaskNode } from '../playbook/types.js';
import { taskSelected, type TaskFilter } from '../runner/filter.js';

export interface ListOptions extends TaskFilter {
  hosts: boolean;
  tasks: boolean;
  tagsList: boolean;
  limit?: string;
}

const tagList = (tags: Iterable<string>) => `[${[...new Set(tags)].sort().join(', ')}]`;

/** The tasks Ansible's listing shows: each block's `block:` section (not its rescue or always). */
function listedTasks(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => (isBlock(n) ? listedTasks(n.block) : [n]));
}

function playSection(play: Play, index: number, inventory: Inventory, opts: ListOptions): string[] {
  const lines = [`  play #${index + 1} (${play.hosts}): ${play.name}\tTAGS: ${tagList(play.tags)}`];
  if (opts.hosts) {
    const limited = opts.limit ? new Set(selectHosts(inventory, opts.limit)) : undefined;
    const hosts = selectHosts(inventory, play.hosts).filter((h) => !limited || limited.has(h));
    lines.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
  }
  const tasks = listedTasks(play.tasks).filter((t) => taskSelected(t, play.tags, opts));
  if (opts.tasks) {
    lines.push('    tasks:', ...tasks.map((t) => `      ${taskLabel(t)}\tTAGS: ${tagList([...t.tags, ...play.tags])}`));
  }
  if (opts.tagsList) lines.push(`      TASK TAGS: ${tagList(tasks.flatMap((t) => [...t.tags, ...play.tags]))}`);
  return lines;
}

/** The listing, one line per entry, ending with a newline. */
export function listPlaybook(playbook: Playbook, playbookArg: string, inventory: Inventory, opts: ListOptions): string {
  const lines = ['', `playbook: ${playbookArg}`];
  playbook.plays.forEach((play, i) => lines.push('', ...playSection(play, i, inventory, opts)));
  return `${lines.join('\n')}\n`;
}
