/**
 * confirm_routing: the second half of a commit-confirmed routing change (see arm_routing). When
 * a task since arm_routing changed something, the runner opens a NEW connection to the host and
 * runs this module's script there: the `check` commands (the data plane: BGP sessions, ECMP next
 * hops) and, when they all pass, the disarm. A check that fails rolls the host back at once; a
 * host that cannot be reached again rolls itself back when its timer expires. With no change
 * since the arm, it only disarms, over the connection it has.
 */
import { z } from 'zod';
import { shellQuote } from '../core/transport.js';
import { noChange, type Module } from '../core/contract.js';
import { confirmScript, RESTORE_SCRIPT_PATH, ROLLED_BACK_EXIT, TIMER_UNIT } from './common/routing-rollback.js';

/** Exit status of the confirm script when a check failed (the host then rolled back). */
export const CHECK_FAILED_EXIT = 77;

const schema = z
  .object({
    check: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type ConfirmRoutingArgs = z.infer<typeof schema>;

function checkScript(checks: string[]): string {
  const runs = checks.map((c) => `check ${shellQuote(c)}`).join('\n');
  return `check() {
  if ! out=$(sh -c "$1" 2>&1); then
    systemctl stop ${TIMER_UNIT}.timer >/dev/null 2>&1
    sh ${RESTORE_SCRIPT_PATH} now
    echo "check '$1' failed ($(printf '%s' "$out" | tail -n 1)): rolled back" >&2
    exit ${CHECK_FAILED_EXIT}
  fi
}
${runs}
`;
}

export const confirmRoutingModule: Module<ConfirmRoutingArgs> = {
  name: 'confirm_routing',
  schema,
  readOnlyActions: true,
  async plan(a, ctx) {
    const pending = ctx.routing?.pending;
    if (!pending) return noChange('no routing transaction pending');
    if (!pending.armed) return noChange('nothing changed since the arm: no rollback was armed');
    if (ctx.check) return noChange('would confirm the routing change');
    if (!pending.changed) {
      return {
        changed: false,
        actions: [{ kind: 'exec', command: 'sh -s', stdin: confirmScript(), mustSucceed: false, display: 'confirm the routing change' }],
        diffs: [],
        msg: 'no routing change since the arm: disarmed',
      };
    }
    return {
      changed: false,
      actions: [{ kind: 'exec', command: 'sh -s', stdin: checkScript(a.check) + confirmScript(), mustSucceed: false, display: 'confirm the routing change' }],
      diffs: [],
      msg: `confirmed over a new connection (${a.check.length} checks passed)`,
      reconnect: true,
    };
  },
  finish(_a, _plan, results) {
    const r = results[0];
    if (!r || r.code === 0) return {};
    const why = r.stderr.trim().split('\n').at(-1) || `exit ${r.code}`;
    if (r.code === CHECK_FAILED_EXIT) return { failed: true, msg: `the routing change failed its check: ${why}` };
    if (r.code === ROLLED_BACK_EXIT) return { failed: true, msg: `the routing change was not confirmed in time: ${why}` };
    return { failed: true, msg: `cannot confirm the routing change: ${why}` };
  },
};
