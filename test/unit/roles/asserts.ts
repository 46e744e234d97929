/**
 * Test helper: runs a role's `assert` task as the engine does (each `that` condition with the
 * role's defaults, the given variables and the role's vars/main.yml), so that a test can check
 * which variables an assert refuses and the message it gives.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import type { Facts } from '../../../src/core/facts.js';
import { evaluateCondition, renderValue } from '../../../src/template/render.js';
import { fakeFacts, labGroups, labHostvars, repoRoot, roleDefaults, roleVars } from './render.js';

type Task = { name?: string; when?: string; assert?: { that: string | string[]; fail_msg?: string } };

export interface AssertInput {
  role: 'router' | 'host';
  /** The task's name (or the start of it); tasks/main.yml, then the role's other task files. */
  task: string;
  vars: Record<string, unknown>;
  hostvars?: Record<string, Record<string, unknown>>;
  groups?: Record<string, string[]>;
  facts?: Facts;
}

function findAssert(role: string, name: string): Task & Required<Pick<Task, 'assert'>> {
  const dir = path.join(repoRoot, 'roles', role, 'tasks');
  for (const file of ['main.yml', 'pinning.yml', 'drain.yml']) {
    let tasks: Task[];
    try {
      tasks = load(readFileSync(path.join(dir, file), 'utf8')) as Task[];
    } catch {
      continue;
    }
    const task = tasks.find((t) => t.assert && String(t.name).startsWith(name));
    if (task?.assert) return task as Task & Required<Pick<Task, 'assert'>>;
  }
  throw new Error(`no assert task "${name}" in roles/${role}/tasks`);
}

/** undefined when the task is skipped (its `when`) or every condition holds, else the rendered fail_msg. */
export function runAssert(input: AssertInput): string | undefined {
  const task = findAssert(input.role, input.task);
  const assert = task.assert;
  const vars = {
    inventory_hostname: input.role === 'router' ? 'r1' : 'host',
    ...roleDefaults(input.role),
    ...input.vars,
    ...roleVars(input.role),
    prov_facts: input.facts ?? fakeFacts(),
    hostvars: input.hostvars ?? labHostvars,
    groups: input.groups ?? labGroups,
  };
  if (task.when !== undefined && !evaluateCondition(task.when, vars)) return undefined;
  const that = ([] as string[]).concat(assert.that);
  if (that.every((condition) => evaluateCondition(condition, vars))) return undefined;
  return String(renderValue(assert.fail_msg ?? 'Assertion failed', vars));
}
