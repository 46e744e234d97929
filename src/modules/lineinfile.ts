/**
 * lineinfile: one line present (replacing a regexp match) or absent, as Ansible's lineinfile.
 *
 * Example:
 *   - ansible.builtin.lineinfile:
 *       path: /etc/frr/daemons
 *       regexp: '^bfdd='
 *       line: bfdd=yes
 */
import { z } from 'zod';
import { ProvError } from '../core/errors.js';
import { noChange, type Module } from '../core/contract.js';
import { lineText } from '../core/file-bytes.js';
import { fileReads, planFile } from './common/file-plan.js';
import { splitKeepNewlines } from './common/lines.js';
import { boolish, fileAttrsShape, pathString, validateCommand, withAliases } from './common/schema.js';
import { lineAbsent, linePresent } from './lineinfile-edit.js';

const schema = withAliases(
  { dest: 'path', destfile: 'path', name: 'path', regex: 'regexp', value: 'line' },
  z
    .object({
      path: pathString,
      regexp: z.string().optional(),
      search_string: z.string().optional(),
      line: z.union([z.string(), z.number()]).transform(String).optional(),
      state: z.enum(['present', 'absent']).default('present'),
      insertafter: z.string().optional(),
      insertbefore: z.string().optional(),
      create: boolish.default(false),
      backrefs: boolish.default(false),
      firstmatch: boolish.default(false),
      backup: boolish.default(false),
      validate: validateCommand.optional(),
      ...fileAttrsShape,
    })
    .strict()
    .refine((a) => !(a.insertafter !== undefined && a.insertbefore !== undefined), { message: 'insertafter and insertbefore are mutually exclusive' })
    .refine((a) => !(a.regexp !== undefined && a.search_string !== undefined), { message: 'regexp and search_string are mutually exclusive' })
    .refine((a) => a.state !== 'present' || a.line !== undefined, { message: 'line is required with state=present' })
    .refine((a) => a.state !== 'absent' || a.line !== undefined || a.regexp !== undefined || a.search_string !== undefined, {
      message: 'one of line, regexp, search_string is required with state=absent',
    })
    .refine((a) => !a.backrefs || a.regexp !== undefined, { message: 'regexp is required with backrefs=true' }),
);

export type LineinfileArgs = z.infer<typeof schema>;

export const lineinfileModule: Module<LineinfileArgs> = {
  name: 'lineinfile',
  aliases: ['ansible.builtin.lineinfile'],
  schema,
  reads: (a) => fileReads(a.path),
  async plan(a, ctx) {
    const before = await ctx.state.readFile(a.path);
    if (before === null) {
      if (a.state === 'absent') return noChange('file not present');
      if (!a.create) throw new ProvError('failed', `destination ${a.path} does not exist`);
    }
    const file = lineText(before);
    const opts = {
      line: file.arg(a.line),
      regexp: file.arg(a.regexp),
      searchString: file.arg(a.search_string),
      insertafter: file.arg(a.insertafter),
      insertbefore: file.arg(a.insertbefore),
      backrefs: a.backrefs,
      firstmatch: a.firstmatch,
    };
    const lines = splitKeepNewlines(file.text);
    const edit = a.state === 'present' ? linePresent(lines, { ...opts, line: opts.line! }) : lineAbsent(lines, opts);
    const after = file.bytes(edit.lines.join(''));
    const plan = await planFile(
      ctx,
      { path: a.path, content: after, mode: a.mode, owner: a.owner, group: a.group, backup: a.backup, validate: a.validate },
      { before, missingParent: 'create', changedMsg: edit.msg, createdMsg: edit.msg },
    );
    return plan;
  },
};
