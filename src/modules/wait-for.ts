/**
 * wait_for: waits, in one exec with a bounded poll loop on the target, until a TCP port accepts
 * (or stops accepting) connections or a path appears (or disappears). Changes nothing: its plan
 * has changed=false and one exec action that the runner still executes; finish() fails on timeout.
 * The port probe uses bash's /dev/tcp (bash is on every Debian system; dash has no such thing);
 * host and port reach it as positional arguments, never as script text, and host must be a host
 * name or an IP address.
 *
 * Example:
 *   - ansible.builtin.wait_for:
 *       port: 179
 *       timeout: 30
 */
import { z } from 'zod';
import { isHostAddress } from '../transport/host-address.js';
import { shellQuote } from '../core/transport.js';
import type { Module } from '../core/contract.js';

const seconds = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(0));

const schema = z
  .object({
    host: z
      .string()
      .min(1)
      .refine(isHostAddress, (v) => ({ message: `not a host name or IP address: ${JSON.stringify(v.slice(0, 80))}` }))
      .default('127.0.0.1'),
    port: z
      .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])
      .pipe(z.number().int().min(1).max(65535))
      .optional(),
    path: z.string().min(1).optional(),
    search_regex: z.string().optional(),
    state: z.enum(['started', 'stopped', 'present', 'absent']).default('started'),
    timeout: seconds.default(300),
    delay: seconds.default(0),
    sleep: seconds.pipe(z.number().min(1)).default(1),
    connect_timeout: seconds.pipe(z.number().min(1)).default(5),
    msg: z.string().optional(),
  })
  .strict()
  .refine((a) => !(a.port !== undefined && a.path !== undefined), { message: 'port and path are mutually exclusive' })
  .refine((a) => a.search_regex === undefined || a.path !== undefined, { message: 'search_regex needs path' });

export type WaitForArgs = z.infer<typeof schema>;

/** The shell test that is true when the wait is over. */
function condition(a: WaitForArgs): string {
  const gone = a.state === 'stopped' || a.state === 'absent';
  if (a.port !== undefined) {
    const probe = `timeout ${a.connect_timeout} bash -c ${shellQuote('exec 3<>"/dev/tcp/$1/$2"')} wait_for ${shellQuote(a.host)} ${a.port} 2>/dev/null`;
    return gone ? `! ${probe}` : probe;
  }
  if (a.path !== undefined) {
    const p = shellQuote(a.path);
    if (gone) return `! [ -e ${p} ]`;
    return a.search_regex !== undefined ? `grep -Eq -- ${shellQuote(a.search_regex)} ${p} 2>/dev/null` : `[ -e ${p} ]`;
  }
  return 'false'; // neither: just sleep for `timeout` seconds, as Ansible does
}

export function waitScript(a: WaitForArgs): string {
  const plainSleep = a.port === undefined && a.path === undefined;
  return [
    `sleep ${a.delay}`,
    plainSleep ? `sleep ${a.timeout}; exit 0` : '',
    `__end=$(( $(date +%s) + ${a.timeout} ))`,
    `while :; do`,
    `  if ${condition(a)}; then exit 0; fi`,
    `  [ "$(date +%s)" -ge "$__end" ] && exit 1`,
    `  sleep ${a.sleep}`,
    `done`,
  ]
    .filter((l) => l !== '')
    .join('\n');
}

export const waitForModule: Module<WaitForArgs> = {
  name: 'wait_for',
  aliases: ['ansible.builtin.wait_for'],
  readOnlyActions: true,
  schema,
  async plan(a) {
    return {
      changed: false,
      actions: [
        {
          kind: 'exec',
          command: waitScript(a),
          mustSucceed: false,
          display: `wait_for ${a.port !== undefined ? `${a.host}:${a.port}` : (a.path ?? `${a.timeout}s`)}`,
        },
      ],
      diffs: [],
    };
  },
  finish(a, _plan, results) {
    const r = results[0];
    if (r && r.code !== 0) {
      const what = a.port !== undefined ? `${a.host}:${a.port}` : `file ${a.path}`;
      return { failed: true, msg: a.msg ?? `Timeout when waiting for ${what} (${a.state}, ${a.timeout}s)` };
    }
    return {};
  },
};
