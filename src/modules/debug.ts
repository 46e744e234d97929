/**
 * debug: prints a message or a variable's value; never changes anything.
 *
 * Example:
 *   - ansible.builtin.debug:
 *       var: bgp.stdout_lines
 */
import { z } from 'zod';
import type { Module } from '../core/contract.js';

const schema = z
  .object({
    msg: z.unknown().optional(),
    var: z.string().min(1).optional(),
    verbosity: z.number().int().min(0).default(0),
  })
  .strict()
  .refine((a) => !(a.msg !== undefined && a.var !== undefined), { message: 'msg and var are mutually exclusive' });

export type DebugArgs = z.infer<typeof schema>;

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const debugModule: Module<DebugArgs> = {
  name: 'debug',
  aliases: ['ansible.builtin.debug'],
  schema,
  async plan(a, ctx) {
    if (a.var !== undefined) {
      const value = ctx.evaluate ? ctx.evaluate(a.var) : ctx.vars[a.var];
      const shown = value === undefined ? 'VARIABLE IS NOT DEFINED!' : value;
      return { changed: false, actions: [], diffs: [], msg: `${a.var}: ${show(shown)}`, result: { [a.var]: shown } };
    }
    const msg = a.msg === undefined ? 'Hello world!' : a.msg;
    return { changed: false, actions: [], diffs: [], msg: show(msg), result: { msg } };
  },
};
