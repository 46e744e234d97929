/**
 * command and shell: run a command; changed unless `creates` exists or `removes` does not. In
 * check mode a command that creates/removes cannot decide is not run (plan.skipInCheck).
 * Both run through `sh -c` on the target (the transport's contract). As in Ansible, only `shell`
 * is interpreted by a shell: `command` splits its string into words as Ansible does (shlex rules:
 * quotes and backslashes) or takes `argv`, and quotes every word, so `$`, `;`, `|`, globs and
 * redirections in it (or in a variable rendered into it) reach the program literally.
 *
 * Example:
 *   - ansible.builtin.command: vtysh -c 'show bgp summary'
 *     register: bgp
 *     changed_when: false
 */
import { z } from 'zod';
import { shellWordsProblem, splitShellWords } from '../core/shell-words.js';
import { shellJoin, shellQuote } from '../core/transport.js';
import type { ExecResult } from '../core/transport.js';
import { noChange, type Module, type Plan, type StateRead } from '../core/contract.js';
import { boolish } from './common/schema.js';
import { firstLine } from '../core/text.js';

const common = {
  cmd: z.string().min(1).optional(),
  _raw_params: z.string().min(1).optional(),
  creates: z.string().min(1).optional(),
  removes: z.string().min(1).optional(),
  chdir: z.string().min(1).optional(),
  stdin: z.string().optional(),
  stdin_add_newline: boolish.default(true),
};

/** Ansible lets the free-form string carry `creates=`, `removes=`, `chdir=` words; lift them out. */
function liftInlineOptions(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const args = { ...(raw as Record<string, unknown>) };
  if (typeof args._raw_params !== 'string') return args;
  // Only unquoted whole words are lifted; the rest of the command keeps its exact spacing.
  args._raw_params = args._raw_params
    .replace(/(^|\s)(creates|removes|chdir|executable)=([^\s'"]+)(?=\s|$)/g, (all, _sp: string, key: string, value: string) => {
      if (args[key] !== undefined) return all;
      args[key] = value;
      return '';
    })
    .trim();
  return args;
}

const commandSchema = z.preprocess(
  liftInlineOptions,
  z
    .object({ ...common, argv: z.array(z.string()).min(1).optional() })
    .strict()
    .refine((a) => [a.cmd, a._raw_params, a.argv].filter((v) => v !== undefined).length === 1, {
      message: 'give exactly one of cmd, a free-form command, argv',
    })
    .superRefine((a, ctx) => {
      const text = a.cmd ?? a._raw_params;
      if (text === undefined) return;
      const problem = shellWordsProblem(text);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
);
const shellSchema = z.preprocess(
  liftInlineOptions,
  z
    .object({ ...common, executable: z.string().min(1).optional() })
    .strict()
    .refine((a) => [a.cmd, a._raw_params].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of cmd and a free-form command' }),
);

export type CommandArgs = z.infer<typeof commandSchema>;
export type ShellArgs = z.infer<typeof shellSchema>;
type AnyArgs = CommandArgs & { executable?: string };

function commandLine(a: AnyArgs & { argv?: string[] }, shell: boolean): string {
  if (a.argv) return shellJoin(a.argv);
  const text = (a.cmd ?? a._raw_params)!;
  if (!shell) return shellJoin(splitShellWords(text));
  return a.executable ? `${shellQuote(a.executable)} -c ${shellQuote(text)}` : text;
}

function reads(a: AnyArgs): StateRead[] {
  return [a.creates, a.removes].filter((p): p is string => p !== undefined).map((path) => ({ kind: 'stat', path }));
}

/** Ansible's `creates=`/`removes=`: the reason the command does not run, if one holds. */
async function skipReason(a: AnyArgs, ctx: Parameters<Module['plan']>[1]): Promise<string | undefined> {
  if (a.creates !== undefined && (await ctx.state.stat(a.creates)) !== null) return `skipped, since ${a.creates} exists`;
  if (a.removes !== undefined && (await ctx.state.stat(a.removes)) === null) return `skipped, since ${a.removes} does not exist`;
  return undefined;
}

const plan =
  (shell: boolean) =>
  async (a: AnyArgs, ctx: Parameters<Module['plan']>[1]): Promise<Plan> => {
    const command = commandLine(a, shell);
    const skipped = await skipReason(a, ctx);
    if (skipped) {
      return noChange(skipped, { cmd: command, rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], changed: false });
    }
    const stdin = a.stdin === undefined ? undefined : a.stdin_add_newline && !a.stdin.endsWith('\n') ? `${a.stdin}\n` : a.stdin;
    return {
      changed: true,
      actions: [{ kind: 'exec', command, mustSucceed: false, ...(a.chdir ? { cwd: a.chdir } : {}), ...(stdin !== undefined ? { stdin } : {}) }],
      diffs: [],
      skipInCheck: ctx.check && a.creates === undefined && a.removes === undefined,
      msg: ctx.check ? 'command would have run' : undefined,
    };
  };

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

const finish = (shell: boolean) => (a: AnyArgs, _plan: Plan, results: ExecResult[]) => {
  const r = results[0];
  if (!r) return {};
  const stdout = r.stdout.replace(/\n$/, '');
  const stderr = r.stderr.replace(/\n$/, '');
  const failed = r.code !== 0;
  return {
    failed,
    msg: failed ? `non-zero return code ${r.code}${stderr ? `: ${firstLine(stderr)}` : ''}` : undefined,
    result: { cmd: commandLine(a, shell), rc: r.code, stdout, stderr, stdout_lines: lines(r.stdout), stderr_lines: lines(r.stderr) },
  };
};

export const commandModule: Module<CommandArgs> = {
  name: 'command',
  aliases: ['ansible.builtin.command'],
  schema: commandSchema,
  freeForm: '_raw_params',
  reads,
  plan: plan(false),
  finish: finish(false),
};

export const shellModule: Module<ShellArgs> = {
  name: 'shell',
  aliases: ['ansible.builtin.shell'],
  schema: shellSchema,
  freeForm: '_raw_params',
  reads,
  plan: plan(true),
  finish: finish(true),
};
