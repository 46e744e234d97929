/**
 * bench/ansible is the benchmark's ansible-playbook twin of prov's roles: its Jinja2 templates
 * must write what prov's EJS templates write, or Ansible does less work than prov in the
 * benchmark and `prov --check` after Ansible finds changes (the bench then fails, minutes into a
 * 20-host run). Ansible itself renders the twins (a local play over an inventory of the lab's
 * nodes and variables, the role's defaults and vars); prov's renderer renders its own with the
 * same variables. Compared line by line without comments and blank lines.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dump } from 'js-yaml';
import { fakeFacts, labVars, render, repoRoot } from '../unit/roles/render.js';

const run = promisify(execFile);
const FRR = '8.4.4-1.1~deb12u1';
const TWINS: Array<{ node: 'r1' | 'host'; role: 'router' | 'host'; template: string }> = [
  { node: 'r1', role: 'router', template: 'frr.conf' },
  { node: 'r1', role: 'router', template: 'rules.v4' },
  { node: 'host', role: 'host', template: 'frr.conf' },
];

function meaningful(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !/^\s*[#!]/.test(l));
}

/** Ansible's rendering of every twin, by `${node}/${template}`. */
async function ansibleRenders(dir: string): Promise<Record<string, string>> {
  const nodes = { r1: labVars('r1'), r2: labVars('r2'), host: labVars('host') };
  const local = { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3', frr_installed_version: FRR };
  const hostsOf = (names: Array<keyof typeof nodes>) => Object.fromEntries(names.map((n) => [n, { ...nodes[n], ...local, frr_hostname: n }]));
  writeFileSync(join(dir, 'inventory.yml'), dump({ all: { children: { routers: { hosts: hostsOf(['r1', 'r2']) }, hosts: { hosts: hostsOf(['host']) } } } }));
  // A role per twin whose defaults, vars and templates are the bench role's (role defaults stay
  // below the inventory's variables, as in the benchmark), and whose one task is the template.
  const plays = TWINS.map((twin) => {
    const role = join(dir, 'roles', `twin-${twin.role}-${twin.template}`);
    mkdirSync(join(role, 'tasks'), { recursive: true });
    for (const part of ['defaults', 'vars', 'templates']) symlinkSync(join(repoRoot, 'bench', 'ansible', 'roles', twin.role, part), join(role, part));
    const task = { 'ansible.builtin.template': { src: `${twin.template}.j2`, dest: join(dir, `${twin.node}-${twin.template}`) } };
    writeFileSync(join(role, 'tasks', 'main.yml'), dump([task]));
    return { name: `${twin.role} ${twin.template}`, hosts: twin.node, gather_facts: false, roles: [role] };
  });
  writeFileSync(join(dir, 'twins.yml'), dump(plays));
  await run('ansible-playbook', ['-i', join(dir, 'inventory.yml'), join(dir, 'twins.yml')], {
    env: { ...process.env, ANSIBLE_CONFIG: join(repoRoot, 'bench', 'ansible', 'ansible.cfg'), ANSIBLE_LOCALHOST_WARNING: 'false' },
  });
  return Object.fromEntries(TWINS.map((twin) => [`${twin.node}/${twin.template}`, readFileSync(join(dir, `${twin.node}-${twin.template}`), 'utf8')]));
}

test("bench/ansible templates, rendered by Ansible, write what prov's role templates write", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'prov-bench-twins-'));
  try {
    const ansible = await ansibleRenders(dir);
    for (const twin of TWINS) {
      const prov = render({
        role: twin.role,
        template: `${twin.template}.ejs`,
        vars: { ...labVars(twin.node), frr_installed_version: FRR },
        facts: fakeFacts({ hostname: twin.node }),
      });
      t.deepEqual(meaningful(ansible[`${twin.node}/${twin.template}`]!), meaningful(prov), `${twin.role}/templates/${twin.template}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
