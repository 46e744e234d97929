import type { Task } from '../playbook/types.js';
import type { HostTaskResult } from '../runner/types.js';

export function taskLabel(task: Task): string {
  return task.origin.role ? `${task.origin.role} : ${task.name}` : task.name;
}

/** Ansible's status words: ok, changed, skipping, fatal, unreachable. */
export function statusWord(r: HostTaskResult): string {
  switch (r.status) {
    case 'ok':
      return 'ok';
    case 'changed':
      return 'changed';
    case 'skipped':
      return 'skipping';
    case 'failed':
      return r.ignored ? 'failed (ignored)' : 'fatal';
    case 'unreachable':
      return 'unreachable';
  }
}

export function banner(text: string, width = 79): string {
  return `${text} ${'*'.repeat(Math.max(3, width - text.length - 1))}`;
}

/** debug tasks exist to print their message, also when ok. */
export function isDebug(task: Task): boolean {
  return task.module === 'debug' || task.module === 'ansible.builtin.debug';
}

/** The message Ansible prints after a result: always for changed/failed/skipped, for ok only from debug. */
function shownMessage(task: Task, r: HostTaskResult): string {
  return r.msg && (r.status !== 'ok' || isDebug(task)) ? r.msg : '';
}

/**
 * One result in Ansible's words: `changed: [r1] msg (12 ms)`, `fatal: [r1]: FAILED! msg`. Hosts
 * that had the very same outcome may share the line (`changed: [r1, r2]`), then without a time.
 */
export function resultLine(task: Task, r: HostTaskResult, hosts: readonly string[] = [r.host], label = hosts.join(', ')): string {
  const names = `[${label}]`;
  if (r.status === 'failed' || r.status === 'unreachable') {
    return `${statusWord(r)}: ${names}: ${r.status === 'failed' ? 'FAILED' : 'UNREACHABLE'}! ${r.msg ?? ''}`.trimEnd();
  }
  const msg = shownMessage(task, r);
  return `${statusWord(r)}: ${names}${msg ? ` ${msg}` : ''}${hosts.length === 1 ? ` (${r.ms} ms)` : ''}`;
}

/** Results that print the same line apart from host and time (same status word, same message). */
export function sameOutcome(task: Task, a: HostTaskResult, b: HostTaskResult): boolean {
  return (
    statusWord(a) === statusWord(b) &&
    (a.status === 'failed' || a.status === 'unreachable' ? (a.msg ?? '') === (b.msg ?? '') : shownMessage(task, a) === shownMessage(task, b))
  );
}
