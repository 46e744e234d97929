/**
 * assert: every expression in `that` must be true; the first false one fails the task.
 *
 * Example:
 *   - ansible.builtin.assert:
 *       that: [bgp_listen_range | ansible.utils.ipaddr('net')]
 *       fail_msg: bgp_listen_range is not a prefix
 */
import { z } from 'zod';
import { ProvError } from '../core/errors.js';
import type { Module, ModuleContext } from '../core/contract.js';
import { boolish, withAliases } from './common/schema.js';
import { isTruthy } from '../template/values.js';

const condition = z.union([z.string(), z.boolean()]);

const schema = withAliases(
  { msg: 'fail_msg' },
  z
    .object({
      that: z.union([condition, z.array(condition).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
      fail_msg: z.string().optional(),
      success_msg: z.string().optional(),
      quiet: boolish.default(false),
    })
    .strict(),
);

export type AssertArgs = z.infer<typeof schema>;

/** A condition's value: booleans (already rendered) as they are, strings through the runner's evaluator. */
export function evaluateCondition(ctx: ModuleContext, condition: string | boolean, module: string): boolean {
  if (typeof condition === 'boolean') return condition;
  if (!ctx.evaluate) throw new ProvError('internal', `${module}: no expression evaluator was given to the module`);
  return isTruthy(ctx.evaluate(condition));
}

export const assertModule: Module<AssertArgs> = {
  name: 'assert',
  aliases: ['ansible.builtin.assert'],
  schema,
  async plan(a, ctx) {
    for (const cond of a.that) {
      if (!evaluateCondition(ctx, cond, 'assert')) {
        const msg = a.fail_msg ?? `Assertion failed: ${String(cond)}`;
        return { changed: false, actions: [], diffs: [], failed: true, msg, result: { assertion: cond, evaluated_to: false, msg } };
      }
    }
    const msg = a.success_msg ?? 'All assertions passed';
    return { changed: false, actions: [], diffs: [], msg: a.quiet ? undefined : msg, result: { msg } };
  },
};
