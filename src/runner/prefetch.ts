import type { Vars } from '../inventory/types.js';
import type { StateRead } from '../core/contract.js';
import { getModule } from '../modules/registry.js';
import type { Task } from '../playbook/types.js';
import { evaluate, isTruthy, renderValue } from '../template/render.js';
import { argsMapping, moduleArgs } from './args.js';

/**
 * The reads that the given tasks' checks will make on one host, as far as they can be known now
 * (arguments rendered with the current variables). Tasks whose `when` is false or whose arguments
 * cannot be rendered yet (they use a later task's register) are left out: their reads still work,
 * one round trip each. This is what makes a no-op rerun cost about one SSH round trip per host.
 */
export function upcomingReads(tasks: Task[], vars: (task: Task) => Vars): StateRead[] {
  const reads: StateRead[] = [];
  for (const task of tasks) {
    const module = getModule(task.module);
    if (!module?.reads || task.loop !== undefined) continue;
    try {
      const v = vars(task);
      if (!task.when.every((c) => isTruthy(evaluate(c, v)))) continue;
      const parsed = module.schema.safeParse(argsMapping(module, renderValue(moduleArgs(module, task.args), v)));
      if (parsed.success) reads.push(...module.reads(parsed.data));
    } catch {
      // not renderable yet: read on demand
    }
  }
  return reads;
}
