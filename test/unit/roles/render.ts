/**
 * Test helper: renders a role's EJS template the way the engine does (every variable a top-level
 * local, plus facts, hostvars, groups), with the role's defaults underneath the given variables.
 * Defaults of the form "{{ name }}" are resolved against the merged variables; that is the only
 * interpolation these roles' defaults use, so the helper does not need the engine's Jinja subset.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ejs from 'ejs';
import { load } from 'js-yaml';
import type { Facts } from '../../../src/facts/types.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function roleDefaults(role: string): Record<string, unknown> {
  const file = path.join(repoRoot, 'roles', role, 'defaults', 'main.yml');
  return (load(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
}

function resolveDefaults(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...vars };
  for (const [key, value] of Object.entries(out)) {
    const ref = typeof value === 'string' ? /^\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}$/i.exec(value) : null;
    if (ref) out[key] = out[ref[1]!];
  }
  return out;
}

export function fakeFacts(overrides: Partial<Facts> = {}): Facts {
  return {
    hostname: 'r1',
    os: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    kernel: '6.1.0-18-amd64',
    kernelVersion: '6.1.0',
    arch: 'x86_64',
    interfaces: [],
    routes: [],
    defaultInterface: 'ens6',
    sysctl: {},
    packages: {},
    frrVersion: '8.4.4',
    initSystem: 'systemd',
    networkManager: 'ifupdown',
    dhcpClient: 'dhclient',
    ...overrides,
  };
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
  return { ...all, ...per[node] };
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
  const vars = resolveDefaults({ ...roleDefaults(input.role), ...input.vars });
  const locals = {
    ...vars,
    facts: input.facts ?? fakeFacts(),
    hostvars: input.hostvars ?? labHostvars,
    groups: input.groups ?? labGroups,
  };
  return ejs.render(readFileSync(file, 'utf8'), locals, { filename: file });
}

/** The lines of a rendered config, trimmed, without blanks and comments. */
export function configLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('!'));
}
