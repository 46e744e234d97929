/**
 * template: renders a template on the controller (EJS for `.ejs`, Jinja2 for any other name) and
 * writes it to `dest` atomically. Into a directory, the file keeps the template's name, as in
 * Ansible (`app.conf.j2` stays `app.conf.j2`); only prov's own `.ejs` suffix is dropped.
 *
 * Example:
 *   - ansible.builtin.template:
 *       src: frr.conf.ejs
 *       dest: /etc/frr/frr.conf
 *     notify: reload frr
 */
import { z } from 'zod';
import type { Module } from '../core/contract.js';
import { destinationPath, fileReads, planFile } from './common/file-plan.js';
import { boolish, fileAttrsShape, pathString, validateCommand } from './common/schema.js';
import { noChange } from '../core/contract.js';

const schema = z
  .object({
    src: pathString,
    dest: pathString,
    backup: boolish.default(false),
    force: boolish.default(true),
    validate: validateCommand.optional(),
    ...fileAttrsShape,
  })
  .strict();

export type TemplateArgs = z.infer<typeof schema>;

export const templateModule: Module<TemplateArgs> = {
  name: 'template',
  aliases: ['ansible.builtin.template'],
  schema,
  reads: (a) => fileReads(a.dest),
  async plan(a, ctx) {
    const { path: dest } = await destinationPath(ctx, a.dest, a.src.replace(/\.ejs$/, ''));
    const content = await ctx.renderTemplate(a.src, a.dest);
    const before = await ctx.state.readFile(dest);
    if (!a.force && before !== null) return noChange(`${dest} exists and force is false`);
    return planFile(
      ctx,
      { path: dest, content, mode: a.mode, owner: a.owner, group: a.group, backup: a.backup, validate: a.validate },
      { before, missingParent: 'fail' },
    );
  },
};
