/**
 * service (systemd): started/stopped/restarted/reloaded and enabled, read with
 * `systemctl is-active` / `is-enabled` under the keys service:<name>:active / :enabled so that
 * check mode sees the effect of an earlier task. restarted and reloaded always change, as in Ansible.
 * daemon_reload runs first when anything else is done (alone it changes nothing).
 *
 * Example:
 *   - ansible.builtin.systemd:
 *       name: frr
 *       state: started
 *       enabled: true
 */
import { z } from 'zod';
import { shellQuote } from '../core/transport.js';
import type { Action, Module, Plan } from '../core/contract.js';
import { boolish, withAliases } from './common/schema.js';

const schema = withAliases(
  { 'daemon-reload': 'daemon_reload', unit: 'name' },
  z
    .object({
      name: z.string().min(1),
      state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
      enabled: boolish.optional(),
      daemon_reload: boolish.default(false),
    })
    .strict()
    .refine((a) => a.state !== undefined || a.enabled !== undefined || a.daemon_reload, { message: 'one of state, enabled, daemon_reload is required' }),
);

export type ServiceArgs = z.infer<typeof schema>;

const RUNNING = new Set(['active', 'activating', 'reloading', 'refreshing']);
/** `is-enabled` answers that mean the unit starts at boot (or cannot be enabled: static). */
const ENABLED = new Set(['enabled', 'enabled-runtime', 'static', 'indirect', 'generated', 'alias', 'linked', 'linked-runtime']);

/** `systemctl VERB -- UNIT`: `--` so that a unit name such as `-.mount` is not read as options. */
const systemctl = (verb: string, unit: string) => `systemctl ${verb} -- ${shellQuote(unit)}`;

export const activeKey = (name: string) => `service:${name}:active`;
export const enabledKey = (name: string) => `service:${name}:enabled`;

export const serviceModule: Module<ServiceArgs> = {
  name: 'service',
  aliases: ['ansible.builtin.service', 'systemd', 'ansible.builtin.systemd', 'systemd_service', 'ansible.builtin.systemd_service'],
  schema,
  reads: (a) => [
    ...(a.state !== undefined ? [{ kind: 'query' as const, command: systemctl('is-active', a.name), key: activeKey(a.name) }] : []),
    ...(a.enabled !== undefined ? [{ kind: 'query' as const, command: systemctl('is-enabled', a.name), key: enabledKey(a.name) }] : []),
  ],
  async plan(a, ctx): Promise<Plan> {
    const actions: Action[] = [];
    const notes: string[] = [];
    if (a.enabled !== undefined) {
      const r = await ctx.state.query(systemctl('is-enabled', a.name), enabledKey(a.name));
      const isEnabled = ENABLED.has(r.stdout.trim());
      if (a.enabled !== isEnabled) {
        const verb = a.enabled ? 'enable' : 'disable';
        actions.push({ kind: 'exec', command: systemctl(verb, a.name), effects: { [enabledKey(a.name)]: a.enabled ? 'enabled' : 'disabled' } });
        notes.push(`${verb}d ${a.name}`);
      }
    }
    if (a.state !== undefined) {
      const r = await ctx.state.query(systemctl('is-active', a.name), activeKey(a.name));
      const running = RUNNING.has(r.stdout.trim());
      const effects = { [activeKey(a.name)]: a.state === 'stopped' ? 'inactive' : 'active' };
      let verb: string | undefined;
      if (a.state === 'started' && !running) verb = 'start';
      if (a.state === 'stopped' && running) verb = 'stop';
      if (a.state === 'restarted') verb = 'restart';
      if (a.state === 'reloaded') verb = running ? 'reload' : 'start';
      if (verb) {
        actions.push({ kind: 'exec', command: systemctl(verb, a.name), effects });
        notes.push(`${verb === 'stop' ? 'stopped' : `${verb}ed`} ${a.name}`);
      }
    }
    if (actions.length === 0) return { changed: false, actions: [], diffs: [] };
    if (a.daemon_reload) actions.unshift({ kind: 'exec', command: 'systemctl daemon-reload' });
    return { changed: true, actions, diffs: [], msg: notes.join(', ') };
  },
};
