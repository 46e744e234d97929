import type { Task } from '../playbook/types.js';
import type { HostTaskResult } from '../runner/types.js';

export function taskLabel(task: Task): string {
  return task.origin.role ? `${task.origin.role} : ${task.name}` : task.name;
}

/** Ansible's status words: ok, changed, skipping, fatal, unreachable. */
export function statusWord(r: HostTaskResult): string {
  switch (r.status) {
    case 'ok': return 'ok';
    case 'changed': return 'changed';
    case 'skipped': return 'skipping';
    case 'failed': return r.ignored ? 'failed (ignored)' : 'fatal';
    case 'unreachable': return 'unreachable';
  }
}

export function banner(text: string, width = 79): string {
  return `${text} ${'*'.repeat(Math.max(3, width - text.length - 1))}`;
}

/** debug tasks exist to print their message, also when ok. */
export function isDebug(task: Task): boolean {
  return task.module === 'debug' || task.module === 'ansible.builtin.debug';
}
