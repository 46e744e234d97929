/**
 * file: a path's state (file, directory, absent, touch, link, hard) and its mode/owner/group. The
 * registered result names the path (`dest` for touch, `path` otherwise) and its state afterwards,
 * as Ansible's does (`changed_when: result.state != "file"` in published roles).
 *
 * Example:
 *   - ansible.builtin.file:
 *       path: /etc/prov
 *       state: directory
 *       mode: '0755'
 */
import { z } from 'zod';
import { ProvError } from '../core/errors.js';
import { noChange, type Action, type Module, type Plan } from '../core/contract.js';
import { shellQuote } from '../core/transport.js';
import { attrChanges } from './common/file-plan.js';
import { planLink } from './file-link.js';
import { boolish, fileAttrsShape, pathString, withAliases } from './common/schema.js';

const schema = withAliases(
  { dest: 'path', name: 'path' },
  z
    .object({
      path: pathString,
      state: z.enum(['file', 'directory', 'absent', 'touch', 'link', 'hard']).optional(),
      src: pathString.optional(),
      force: boolish.optional(),
      ...fileAttrsShape,
    })
    .strict(),
);

export type FileArgs = z.infer<typeof schema>;

export const fileModule: Module<FileArgs> = {
  name: 'file',
  aliases: ['ansible.builtin.file'],
  schema,
  reads: (a) => [{ kind: 'stat', path: a.path }],
  async plan(a, ctx): Promise<Plan> {
    if (a.state === 'link' || a.state === 'hard') {
      if (a.mode !== undefined || a.owner !== undefined || a.group !== undefined) {
        throw new ProvError('failed', `mode, owner and group with state=${a.state} are not supported by prov (${a.path})`);
      }
      return planLink(a, ctx.state, a.state);
    }
    if (a.src !== undefined || a.force !== undefined) throw new ProvError('failed', `src and force are only for state=link and state=hard (${a.path})`);
    const st = await ctx.state.stat(a.path);
    const state = a.state ?? (st?.type === 'directory' ? 'directory' : 'file');
    const want = { mode: a.mode, owner: a.owner, group: a.group };
    const after = state === 'touch' ? 'file' : state;
    const result = state === 'touch' ? { dest: a.path, state: after } : { path: a.path, state: after };
    const change = (actions: Action[], msg: string): Plan => ({ changed: true, actions, diffs: [], msg, result });

    if (state === 'absent') {
      return st ? change([{ kind: 'remove', path: a.path }], `removed ${st.type === 'directory' ? 'directory' : 'file'}`) : noChange('absent', result);
    }
    if (state === 'directory') {
      if (!st) return change([{ kind: 'mkdir', path: a.path, ...want }], 'directory created');
      if (st.type !== 'directory') throw new ProvError('failed', `${a.path} exists and is not a directory`);
    }
    if (state === 'file') {
      if (!st) throw new ProvError('failed', `file (${a.path}) is absent, cannot continue`);
      if (st.type === 'directory') throw new ProvError('failed', `file (${a.path}) is a directory, cannot continue`);
    }
    if (state === 'touch') {
      if (!st) return change([{ kind: 'write', path: a.path, content: '', ...want }], 'file created');
      // As in Ansible, touching an existing path updates its times and always reports a change.
      const { attrs, notes } = attrChanges(st, want);
      const actions: Action[] = [{ kind: 'exec', command: `touch -- ${shellQuote(a.path)}` }];
      if (Object.keys(attrs).length > 0) actions.push({ kind: 'attrs', path: a.path, ...attrs });
      return change(actions, ['touched', ...notes].join(', '));
    }
    const { attrs, notes } = attrChanges(st, want);
    if (Object.keys(attrs).length === 0) return noChange(undefined, result);
    return change([{ kind: 'attrs', path: a.path, ...attrs }], notes.join(', '));
  },
};
