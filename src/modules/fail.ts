/**
 * fail: fails the task with a message (usually under a `when`).
 *
 * Example:
 *   - ansible.builtin.fail:
 *       msg: this role needs systemd
 *     when: ansible_service_mgr != 'systemd'
 */
import { z } from 'zod';
import type { Module } from '../core/contract.js';

const schema = z.object({ msg: z.union([z.string(), z.number()]).transform(String).default('Failed as requested from task') }).strict();

export type FailArgs = z.infer<typeof schema>;

export const failModule: Module<FailArgs> = {
  name: 'fail',
  aliases: ['ansible.builtin.fail'],
  schema,
  async plan(a) {
    return { changed: false, actions: [], diffs: [], failed: true, msg: a.msg, result: { msg: a.msg } };
  },
};
