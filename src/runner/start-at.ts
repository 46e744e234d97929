/** `--start-at-task`: the tasks from the first one whose name matches (exactly or as a glob), as ansible-playbook. */
import { filterTasks, flattenTasks, taskLabel, type Play, type Task, type TaskNode } from '../playbook/types.js';

/** Python's fnmatch: `*`, `?` and `[...]` (`[!...]` negated); anything else literal. */
function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const end = glob.indexOf(']', i + 2);
      let set = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      re += `[${set}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export function startsHere(task: Task, pattern: string): boolean {
  const name = taskLabel(task);
  return name === pattern || task.name === pattern || globRegex(pattern).test(name);
}

export function playHasTask(play: Play, pattern: string): boolean {
  return flattenTasks(play.tasks).some((t) => startsHere(t, pattern));
}

/** The tree without the tasks before the first match (earlier blocks' rescue and always too). */
export function startAt(nodes: TaskNode[], pattern: string): TaskNode[] {
  let started = false;
  return filterTasks(nodes, (t) => (started ||= startsHere(t, pattern)));
}
