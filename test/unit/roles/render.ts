/**
 * Test helper: renders a role's EJS template with the engine's own renderer (every variable a
 * top-level local, plus prov_facts, hostvars, groups; defaults such as "{{ subnet_address }}" rendered
 * as the engine renders them), with the role's defaults underneath the given variables.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { load } from 'js-yaml';
import type { Facts } from '../../../src/core/facts.js';
import { renderEjs } from '../../../src/template/ejs.js';
import { debianFacts } from '../../helpers/facts.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function roleDefaults(role: string): Record<string, unknown> {
  const file = path.join(repoRoot, 'roles', role, 'defaults', 'main.yml');
  return (load(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
}

/** The role's vars/main.yml: what it computes for its templates (above the inventory, as Ansible's role vars). */
export function roleVars(role: string): Record<string, unknown> {
  const file = path.join(repoRoot, 'roles', role, 'vars', 'main.yml');
  return (load(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
}

export function fakeFacts(overrides: Partial<Facts> = {}): Facts {
  return debianFacts({ hostname: 'r1', interfaces: [], routes: [], defaultInterface: 'ens6', ...overrides });
}

/** The lab inventory's variables for one node (what src/lab writes). */
export function labVars(node: 'r1' | 'r2' | 'host'): Record<string, unknown> {
  const all = {
    subnet_cidr: '192.168.100.0/24',
    vpc_supernet: '192.168.100.0/23',
    subnet_gateway: '192.168.100.1',
    bgp_listen_range: '192.168.100.96/27',
    subnet_interface: 'ens6',
  };
  const per: Record<string, Record<string, unknown>> = {
    r1: { subnet_address: '192.168.100.20', upstream_address: '203.0.113.20', upstream_interface: 'ens7' },
    r2: { subnet_address: '192.168.100.21', upstream_address: '203.0.113.21', upstream_interface: 'ens7' },
    host: { subnet_address: '192.168.100.100' },
  };
  return { ...all, ...per[node], inventory_hostname: node };
}

export const labHostvars = { r1: labVars('r1'), r2: labVars('r2'), host: labVars('host') };
export const labGroups = { all: ['r1', 'r2', 'host'], routers: ['r1', 'r2'], hosts: ['host'] };

export interface RenderInput {
  role: 'router' | 'host';
  template: string;
  vars: Record<string, unknown>;
  facts?: Facts;
  hostvars?: Record<string, Record<string, unknown>>;
  groups?: Record<string, string[]>;
}

export function render(input: RenderInput): string {
  const file = path.join(repoRoot, 'roles', input.role, 'templates', input.template);
  // The runner always provides inventory_hostname; default it as it would for a lab node.
  const vars = { inventory_hostname: input.role === 'router' ? 'r1' : 'host', ...roleDefaults(input.role), ...input.vars, ...roleVars(input.role) };
  const locals = {
    ...vars,
    prov_facts: input.facts ?? fakeFacts(),
    hostvars: input.hostvars ?? labHostvars,
    groups: input.groups ?? labGroups,
  };
  return renderEjs(readFileSync(file, 'utf8'), locals, file);
}

/** The lines of a rendered config, trimmed, without blanks and comments. */
export function configLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('!'));
}
