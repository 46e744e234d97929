import type { Task } from '../playbook/types.js';

export interface TaskFilter {
  tags: string[];
  skipTags: string[];
  roles: string[];
}

/**
 * Whether a task runs under --tags / --skip-tags / --role, with Ansible's special tags:
 * `always` runs unless skipped by name, `never` runs only when asked for, `all`, `tagged`, `untagged`.
 */
export function taskSelected(task: Task, inherited: string[], filter: TaskFilter): boolean {
  if (filter.roles.length > 0 && !(task.origin.role && filter.roles.includes(task.origin.role))) return false;
  const tags = new Set([...task.tags, ...inherited]);
  if (filter.skipTags.some((t) => tags.has(t) || (t === 'tagged' && tags.size > 0) || (t === 'untagged' && tags.size === 0) || t === 'all')) return false;
  if (filter.tags.length === 0) return !tags.has('never');
  if (tags.has('always')) return true;
  return filter.tags.some(
    (t) =>
      tags.has(t) || (t === 'all' && !tags.has('never')) || (t === 'tagged' && tags.size > 0 && !tags.has('never')) || (t === 'untagged' && tags.size === 0),
  );
}
