/**
 * set_fact: host variables for the tasks that follow (plan.facts).
 *
 * Example:
 *   - ansible.builtin.set_fact:
 *       frr_neighbors: "{{ groups['routers'] | map('extract', hostvars, 'subnet_address') | list }}"
 */
import { z } from 'zod';
import type { Module } from '../core/contract.js';

const schema = z
  .record(z.unknown())
  .transform((args) => {
    const { cacheable: _cacheable, ...facts } = args;
    return facts;
  })
  .refine((facts) => Object.keys(facts).length > 0, { message: 'set_fact needs at least one variable' })
  .refine((facts) => Object.keys(facts).every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)), { message: 'variable names must be identifiers' });

export type SetFactArgs = z.infer<typeof schema>;

export const setFactModule: Module<SetFactArgs> = {
  name: 'set_fact',
  aliases: ['ansible.builtin.set_fact'],
  schema,
  async plan(facts) {
    return { changed: false, actions: [], diffs: [], facts, result: { ansible_facts: facts } };
  },
};
