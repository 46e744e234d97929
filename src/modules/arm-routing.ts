/**
 * arm_routing: the first half of a commit-confirmed routing change. Before the tasks that change
 * a host's routing, it saves the files they will touch and the routing table on the host, and
 * arms a transient systemd timer that restores them after the confirm timeout unless
 * confirm_routing (over a new connection) disarms it first. One transaction per host at a time:
 * a pending one armed by another run is refused; a second arm_routing in the same run is merged
 * into the pending one (its paths and commands are added, the timer stays).
 * It changes nothing that stays: the task reports ok. Its script is held by the runner until the
 * first later task that changes something (Plan.deferUntilChange): a no-op run arms nothing. A
 * transaction pending from another run is found by a read (batched with the coming tasks' reads),
 * so the task still fails where it stands.
 */
import { z } from 'zod';
import { noChange, type Module } from '../core/contract.js';
import { armScript, PENDING_EXIT, PENDING_PATH, ROLLED_BACK_EXIT, pendingMessage } from './common/routing-rollback.js';

export const DEFAULT_CONFIRM_TIMEOUT = 120;

const remotePath = z
  .string()
  .min(1)
  .refine(
    (p) => p.startsWith('/') && !/[\t\n\0]/.test(p),
    (p) => ({ message: `not an absolute path without tabs or newlines: ${JSON.stringify(p.slice(0, 80))}` }),
  );

const schema = z
  .object({
    paths: z.array(remotePath).default([]),
    restore_commands: z
      .array(
        z
          .string()
          .min(1)
          .refine((c) => !/[\n\0]/.test(c), { message: 'a restore command is one line' }),
      )
      .default([]),
    timeout: z
      .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
      .pipe(z.number().int().min(0))
      .optional(),
  })
  .strict();

export type ArmRoutingArgs = z.infer<typeof schema>;

export const armRoutingModule: Module<ArmRoutingArgs> = {
  name: 'arm_routing',
  schema,
  readOnlyActions: true,
  reads: () => [{ kind: 'file', path: PENDING_PATH }],
  async plan(a, ctx) {
    const timeout = a.timeout ?? ctx.routing?.confirmTimeout ?? DEFAULT_CONFIRM_TIMEOUT;
    if (timeout === 0) return noChange('commit-confirmed routing is off (--confirm-timeout 0)');
    if (ctx.check) return noChange(`would arm a routing rollback in ${timeout} s`);
    const merge = ctx.routing?.pending !== undefined;
    // A transaction armed on the host by an earlier run that did not confirm it.
    const other = merge ? null : await ctx.state.readFile(PENDING_PATH);
    if (other !== null) return { changed: false, actions: [], diffs: [], failed: true, msg: pendingMessage(other.toString('utf8').trim()) };
    const script = armScript({ paths: a.paths, commands: a.restore_commands, timeout, merge });
    return {
      changed: false,
      actions: [{ kind: 'exec', command: 'sh -s', stdin: script, mustSucceed: false, display: 'arm the routing rollback' }],
      diffs: [],
      msg: merge ? `added ${a.paths.length} paths to the pending routing transaction` : `armed a routing rollback in ${timeout} s`,
      armsRouting: merge ? undefined : { timeout },
      deferUntilChange: true,
    };
  },
  finish(_a, plan, results) {
    const r = results[0];
    if (!r || r.code === 0) return {};
    const why = r.stderr.trim().split('\n').at(-1) || `exit ${r.code}`;
    if (r.code === PENDING_EXIT || r.code === ROLLED_BACK_EXIT) return { failed: true, msg: why };
    return { failed: true, msg: `cannot arm the routing rollback (${plan.msg}): ${why}` };
  },
};
