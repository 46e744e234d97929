/**
 * copy: a file from `content` or the role's files/ (`src`) to `dest`, atomically.
 *
 * Example:
 *   - ansible.builtin.copy:
 *       content: "net.ipv4.fib_multipath_hash_policy = 1\n"
 *       dest: /etc/sysctl.d/90-prov.conf
 *       mode: '0644'
 */
import { z } from 'zod';
import { ProvError } from '../core/errors.js';
import { noChange, type Module } from '../core/contract.js';
import { destinationPath, fileReads, planFile } from './common/file-plan.js';
import { boolish, fileAttrsShape, pathString, validateCommand } from './common/schema.js';
import { isMapping } from '../core/mapping.js';
import { pyJsonDumps } from '../template/py-json.js';
import { pyStr } from '../template/values.js';

/**
 * `content` as Ansible's copy action writes it: a string as it is, a list or dict as JSON
 * (json.dumps), a number or boolean as Python prints it (42, True).
 */
function contentText(value: unknown): unknown {
  if (Array.isArray(value) || isMapping(value)) return pyJsonDumps(value);
  if (typeof value === 'number' || typeof value === 'boolean') return pyStr(value);
  return value;
}

const schema = z
  .object({
    content: z.preprocess(contentText, z.string()).optional(),
    src: pathString.optional(),
    dest: pathString,
    backup: boolish.default(false),
    force: boolish.default(true),
    validate: validateCommand.optional(),
    ...fileAttrsShape,
  })
  .strict()
  .refine((a) => (a.content === undefined) !== (a.src === undefined), { message: 'give exactly one of content and src' });

export type CopyArgs = z.infer<typeof schema>;

export const copyModule: Module<CopyArgs> = {
  name: 'copy',
  aliases: ['ansible.builtin.copy'],
  schema,
  reads: (a) => fileReads(a.dest),
  async plan(a, ctx) {
    const { path: dest, inDirectory } = await destinationPath(ctx, a.dest, a.src ?? '');
    if (inDirectory && a.src === undefined) throw new ProvError('failed', `copy: cannot use content with a directory as dest (${a.dest})`);
    const content = a.content ?? (await ctx.readControllerFile(a.src!));
    const before = await ctx.state.readFile(dest);
    if (!a.force && before !== null) return noChange(`${dest} exists and force is false`);
    return planFile(
      ctx,
      { path: dest, content, mode: a.mode, owner: a.owner, group: a.group, backup: a.backup, validate: a.validate },
      { before, missingParent: 'fail' },
    );
  },
};
