/**
 * sysctl (ansible.posix.sysctl): a kernel parameter in a persistent file and, with reload (default)
 * or sysctl_set, at run time. `sysctl -w` can exit 0 and still fail, so finish() fails on any
 * stderr as well as on a non-zero status.
 *
 * Example:
 *   - ansible.posix.sysctl:
 *       name: net.ipv4.fib_multipath_hash_policy
 *       value: '1'
 *       sysctl_file: /etc/sysctl.d/90-prov.conf
 */
import { z } from 'zod';
import { ProvError } from '../core/errors.js';
import { shellQuote } from '../core/transport.js';
import type { Action, Module, Plan } from '../core/contract.js';
import { lineText } from '../core/file-bytes.js';
import { fileReads, planFile } from './common/file-plan.js';
import { splitKeepNewlines } from './common/lines.js';
import { boolish, pathString, withAliases } from './common/schema.js';
import { firstLine } from '../core/text.js';

const schema = withAliases(
  { key: 'name', val: 'value' },
  z
    .object({
      name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/, 'not a sysctl name'),
      value: z.union([z.string(), z.number(), z.boolean()]).optional(),
      state: z.enum(['present', 'absent']).default('present'),
      sysctl_file: pathString.default('/etc/sysctl.conf'),
      reload: boolish.default(true),
      sysctl_set: boolish.default(false),
      ignoreerrors: boolish.default(false),
    })
    .strict()
    .refine((a) => a.state === 'absent' || a.value !== undefined, { message: 'value is required with state=present' }),
);

export type SysctlArgs = z.infer<typeof schema>;

/** Ansible's normalisation: booleans as 1/0, runs of whitespace as one space. */
export function normalizeSysctlValue(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v).trim();
  if (/^(yes|true|on)$/i.test(s)) return '1';
  if (/^(no|false|off)$/i.test(s)) return '0';
  return s.split(/\s+/).join(' ');
}

/** The key of a `key = value` line (dots and slashes are the same separator), or undefined. */
function lineKey(line: string): string | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#') || t.startsWith(';') || !t.includes('=')) return undefined;
  return t.slice(0, t.indexOf('=')).trim().replace(/^-/, '').replace(/\//g, '.');
}

/**
 * The file with `name=value` in place of the first line for the key (later duplicates dropped),
 * appended when absent; other lines stay as they are (Ansible rewrites them as k=v; prov keeps them).
 */
export function editSysctlFile(text: string, name: string, value: string | undefined): string {
  const key = name.replace(/\//g, '.');
  const out: string[] = [];
  let done = false;
  const lines = splitKeepNewlines(text);
  for (const line of lines) {
    if (lineKey(line) !== key) {
      out.push(line);
      continue;
    }
    if (!done && value !== undefined) {
      // A line that already holds the value stays as written (Ansible compares values, not text).
      const current = normalizeSysctlValue(line.slice(line.indexOf('=') + 1));
      out.push(current === value ? line : `${name}=${value}\n`);
    }
    done = true;
  }
  if (!done && value !== undefined) {
    if (out.length > 0 && !out[out.length - 1]!.endsWith('\n')) out[out.length - 1] += '\n';
    out.push(`${name}=${value}\n`);
  }
  return out.join('');
}

export function sysctlKey(name: string): string {
  return `sysctl:${name.replace(/\//g, '.')}`;
}

function runtimeQuery(name: string): string {
  return `sysctl -n ${shellQuote(name)}`;
}

export const sysctlModule: Module<SysctlArgs> = {
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl', 'ansible.builtin.sysctl'],
  schema,
  reads: (a) => [
    ...fileReads(a.sysctl_file),
    ...(a.state === 'present' && (a.reload || a.sysctl_set) ? [{ kind: 'query' as const, command: runtimeQuery(a.name), key: sysctlKey(a.name) }] : []),
  ],
  async plan(a, ctx): Promise<Plan> {
    const value = a.value === undefined ? undefined : normalizeSysctlValue(a.value);
    const before = await ctx.state.readFile(a.sysctl_file);
    const file = lineText(before);
    const edited = editSysctlFile(file.text, a.name, a.state === 'present' ? file.arg(value) : undefined);
    const after = file.bytes(edited);
    const filePlan: Plan =
      before?.equals(after) || (before === null && edited === '')
        ? { changed: false, actions: [], diffs: [] }
        : await planFile(ctx, { path: a.sysctl_file, content: after }, { before, missingParent: 'fail' });
    const actions: Action[] = [...filePlan.actions];
    const notes: string[] = filePlan.changed ? [`${a.sysctl_file} updated`] : [];

    if (a.state === 'present' && (a.reload || a.sysctl_set)) {
      const current = await ctx.state.query(runtimeQuery(a.name), sysctlKey(a.name));
      if (current.code !== 0 && !a.ignoreerrors) {
        throw new ProvError('failed', `sysctl ${a.name}: cannot read the running value: ${firstLine(current.stderr) || `exit ${current.code}`}`);
      }
      const now = current.code === 0 ? normalizeSysctlValue(current.stdout) : undefined;
      if (now !== value) {
        actions.push({
          kind: 'exec',
          command: `sysctl -w ${shellQuote(`${a.name}=${value!}`)}`,
          mustSucceed: false,
          effects: { [sysctlKey(a.name)]: value! },
        });
        notes.push(`value ${now ?? 'unknown'} -> ${value}`);
      }
    }
    if (actions.length === 0) return { changed: false, actions: [], diffs: [] };
    return { changed: true, actions, diffs: filePlan.diffs, msg: notes.join(', ') };
  },
  finish(a, _plan, results) {
    for (const r of results) {
      if (r.code !== 0 || (r.stderr.trim() !== '' && !a.ignoreerrors)) {
        return { failed: true, msg: `setting ${a.name} failed: ${firstLine(r.stderr) || `exit ${r.code}`}` };
      }
    }
    return {};
  },
};
