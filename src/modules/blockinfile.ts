/**
 * blockinfile: a block of lines between two marker lines, inserted, updated or removed, as
 * Ansible's blockinfile (markers found anywhere; otherwise inserted after the last `insertafter`
 * match, before the last `insertbefore` match, at BOF, or at EOF).
 *
 * Example:
 *   - ansible.builtin.blockinfile:
 *       path: /etc/hosts
 *       block: '203.0.113.10 server'
 */
import { z } from 'zod';
import { ProvError } from '../core/errors.js';
import { noChange, type Module } from '../core/contract.js';
import { lineText } from '../core/file-bytes.js';
import { fileReads, planFile } from './common/file-plan.js';
import { chomp, pyRegExp, splitKeepNewlines } from './common/lines.js';
import { boolish, fileAttrsShape, pathString, validateCommand, withAliases } from './common/schema.js';

const schema = withAliases(
  { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
  z
    .object({
      path: pathString,
      block: z.string().default(''),
      marker: z.string().default('# {mark} ANSIBLE MANAGED BLOCK'),
      marker_begin: z.string().default('BEGIN'),
      marker_end: z.string().default('END'),
      state: z.enum(['present', 'absent']).default('present'),
      insertafter: z.string().optional(),
      insertbefore: z.string().optional(),
      create: boolish.default(false),
      backup: boolish.default(false),
      validate: validateCommand.optional(),
      ...fileAttrsShape,
    })
    .strict()
    .refine((a) => !(a.insertafter !== undefined && a.insertbefore !== undefined), { message: 'insertafter and insertbefore are mutually exclusive' }),
);

export type BlockinfileArgs = z.infer<typeof schema>;

export interface BlockOptions {
  block: string;
  present: boolean;
  markerBegin: string;
  markerEnd: string;
  insertafter?: string;
  insertbefore?: string;
}

/** The file's text with the block placed (or removed). */
export function editBlock(text: string, o: BlockOptions): string {
  const lines = splitKeepNewlines(text);
  const insertafter = o.insertafter === undefined && o.insertbefore === undefined ? 'EOF' : o.insertafter;
  const insRe =
    insertafter !== undefined && insertafter !== 'EOF'
      ? pyRegExp(insertafter, 'insertafter')
      : o.insertbefore !== undefined && o.insertbefore !== 'BOF'
        ? pyRegExp(o.insertbefore, 'insertbefore')
        : undefined;
  let block = o.block;
  let blockLines: string[] = [];
  if (o.present && block !== '') {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [`${o.markerBegin}\n`, ...splitKeepNewlines(block), `${o.markerEnd}\n`];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((line, i) => {
    // Ansible compares whole lines including '\n'; a marker on a last line without '\n' is
    // still the marker here, so that a block is never duplicated.
    if (chomp(line) === o.markerBegin) n0 = i;
    if (chomp(line) === o.markerEnd) n1 = i;
  });
  let at: number;
  if (n0 === undefined || n1 === undefined) {
    if (insRe) {
      let hit: number | undefined;
      lines.forEach((line, i) => {
        if (insRe.test(chomp(line))) hit = i;
      });
      at = hit === undefined ? lines.length : insertafter !== undefined ? hit + 1 : hit;
    } else if (o.insertbefore !== undefined) {
      at = 0; // BOF
    } else {
      at = lines.length; // EOF
    }
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  if (at > 0 && blockLines.length > 0 && !lines[at - 1]!.endsWith('\n')) lines[at - 1] += '\n';
  lines.splice(at, 0, ...blockLines);
  return lines.join('');
}

export const blockinfileModule: Module<BlockinfileArgs> = {
  name: 'blockinfile',
  aliases: ['ansible.builtin.blockinfile'],
  schema,
  reads: (a) => fileReads(a.path),
  async plan(a, ctx) {
    const before = await ctx.state.readFile(a.path);
    const present = a.state === 'present';
    if (before === null) {
      if (!present) return noChange('file not present');
      if (!a.create) throw new ProvError('failed', `path ${a.path} does not exist`);
    }
    const file = lineText(before);
    const after = file.bytes(
      editBlock(file.text, {
        block: file.arg(a.block),
        present,
        markerBegin: file.arg(a.marker.split('{mark}').join(a.marker_begin)),
        markerEnd: file.arg(a.marker.split('{mark}').join(a.marker_end)),
        insertafter: file.arg(a.insertafter),
        insertbefore: file.arg(a.insertbefore),
      }),
    );
    const removing = !present || a.block === '';
    return planFile(
      ctx,
      { path: a.path, content: after, mode: a.mode, owner: a.owner, group: a.group, backup: a.backup, validate: a.validate },
      { before, missingParent: 'create', createdMsg: 'file created', changedMsg: removing ? 'block removed' : 'block inserted' },
    );
  },
};
