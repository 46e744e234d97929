/**
 * Published Galaxy roles (test/fixtures/galaxy, vendored unchanged) run by ansible-playbook on one
 * lab host and by `prov apply` on another host of the same kind, each twice; the test compares
 * what each tool left on its node, the recaps' changed counts, and that the second runs changed
 * nothing. Ansible needs Python and python3-apt on its node: both come from the lab image's
 * offline repository (prov needs neither).
 */
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lab, repoRoot, run, type Run } from '../helpers/lab.js';
import { onNode, prov, readInventory, recap, type LabInventory } from './roles-support.js';

/** The one lab of these tests (one router, two hosts). */
const LAB_NAME = 'hgalaxy';

/** The node ansible-playbook runs on, and the node prov runs on (both lab hosts). */
export const ANSIBLE_NODE = 'host';
export const PROV_NODE = 'host2';

export interface GalaxyRoleCase {
  /** The role's directory under test/fixtures/galaxy. */
  role: string;
  /** Tells two cases of one role apart (in the test title and the playbook's file name). */
  label?: string;
  /** Play vars, as a user of the role would set them. */
  vars: Record<string, unknown>;
  /** The files the role manages: mode, owner, type and content are compared between the nodes. */
  files: string[];
  /** A shell command whose output is part of the compared state (runtime values such as sysctl -n). */
  runtime?: string;
  /** Patterns the resulting state must show, so that two tools that both did nothing cannot pass. */
  expect: RegExp[];
}

/** A work dir with a `[defaults]`-only ansible.cfg, roles/ pointing at the fixtures, and an inventory of the two hosts. */
export interface GalaxyWorkdir {
  dir: string;
  inventory: string;
  ansibleConfig: string;
}

export function makeWorkdir(inv: LabInventory): GalaxyWorkdir {
  const dir = mkdtempSync(join(tmpdir(), 'prov-galaxy-'));
  symlinkSync(join(repoRoot, 'test/fixtures/galaxy'), join(dir, 'roles'));
  const ansibleConfig = join(dir, 'ansible.cfg');
  writeFileSync(ansibleConfig, '[defaults]\n');
  const sshArgs = `-o UserKnownHostsFile=${inv.vars.prov_known_hosts_file} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes`;
  const hosts = Object.fromEntries(
    [ANSIBLE_NODE, PROV_NODE].map((n) => [
      n,
      {
        ansible_host: inv.hosts[n]!.ansible_host,
        ansible_user: 'root',
        ansible_ssh_private_key_file: String(inv.vars.ansible_ssh_private_key_file),
        ansible_ssh_common_args: sshArgs,
      },
    ]),
  );
  // JSON is YAML: both tools read it as a YAML inventory.
  const inventory = join(dir, 'inventory.yml');
  writeFileSync(inventory, JSON.stringify({ all: { hosts } }, null, 2));
  return { dir, inventory, ansibleConfig };
}

export function removeWorkdir(w: GalaxyWorkdir | undefined): void {
  if (w) rmSync(w.dir, { recursive: true, force: true });
}

/** Writes the tiny playbook that applies one role with the case's vars; returns its path. */
export function writePlaybook(w: GalaxyWorkdir, c: GalaxyRoleCase): string {
  const file = join(w.dir, `${c.role}${c.label ? `-${c.label.replace(/[^a-z0-9]+/gi, '-')}` : ''}.yml`);
  writeFileSync(file, JSON.stringify([{ hosts: 'all', vars: c.vars, roles: [c.role] }], null, 2));
  return file;
}

export function ansiblePlaybook(w: GalaxyWorkdir, playbook: string): Promise<Run> {
  return run('ansible-playbook', ['-i', w.inventory, '--limit', ANSIBLE_NODE, playbook], {
    env: { ...process.env, ANSIBLE_CONFIG: w.ansibleConfig, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
  });
}

export function provApply(w: GalaxyWorkdir, playbook: string): Promise<Run> {
  return prov(['apply', w.inventory, playbook, '--limit', PROV_NODE]);
}

/** Installs what Ansible needs on its node (python3, python3-apt) from the lab's offline repository. */
export async function prepareAnsibleNode(t: ExecutionContext, inv: LabInventory): Promise<void> {
  await onNode(t, inv, ANSIBLE_NODE, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 python3-apt >/dev/null');
}

/** Mode, owner, type and content of each managed file, then the runtime command's output. */
export async function nodeState(t: ExecutionContext, inv: LabInventory, node: string, c: GalaxyRoleCase): Promise<string> {
  const quoted = c.files.map((f) => `'${f.replace(/'/g, `'\\''`)}'`).join(' ');
  const files = `for f in ${quoted}; do echo "== $f"; if [ -e "$f" ]; then stat -c '%a %U:%G %F' "$f"; cat "$f"; else echo absent; fi; done`;
  return onNode(t, inv, node, c.runtime ? `${files}; echo '== runtime'; ${c.runtime}` : files);
}

/** The recap's changed count of a node after a run that must have succeeded. */
export function changedCount(t: ExecutionContext, r: Run, node: string, what: string): number | undefined {
  t.is(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}\n${r.stdout.slice(-4000)}`);
  const counts = recap(r.stdout)[node];
  t.truthy(counts, `${what}: no recap line for ${node}\n${r.stdout.slice(-3000)}`);
  t.is(counts?.['failed'], 0, `${what}: ${node} failed\n${r.stdout.slice(-3000)}`);
  return counts?.['changed'];
}

/**
 * The tests of a list of roles on one lab: the files the role manages (mode, owner, content) and
 * its runtime effect are the same on both nodes, the first runs' changed counts are equal, and
 * both second runs change nothing.
 */
export function galaxyRoleTests(cases: GalaxyRoleCase[]): void {
  let inv: LabInventory;
  let work: GalaxyWorkdir | undefined;

  test.before(async () => {
    const up = await lab(['up', '--name', LAB_NAME, '--routers', '1', '--hosts', '2']);
    if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
    inv = readInventory(LAB_NAME);
    work = makeWorkdir(inv);
  });

  test.after.always(async () => {
    removeWorkdir(work);
    await lab(['down', '--name', LAB_NAME]);
  });

  test.serial('the Ansible node gets python3 and python3-apt from the offline repository', async (t) => {
    await prepareAnsibleNode(t, inv);
  });

  for (const c of cases) {
    test.serial(
      `${c.role}${c.label ? ` (${c.label})` : ''}: prov leaves what ansible-playbook leaves, with the same changed count, and both rerun with changed=0`,
      async (t) => {
        const playbook = writePlaybook(work!, c);
        const ansibleFirst = await ansiblePlaybook(work!, playbook);
        const provFirst = await provApply(work!, playbook);
        const ansibleChanged = changedCount(t, ansibleFirst, ANSIBLE_NODE, `ansible-playbook ${c.role}`);
        const provChanged = changedCount(t, provFirst, PROV_NODE, `prov apply ${c.role}`);
        t.is(
          provChanged,
          ansibleChanged,
          `changed count on the first run\n--- ansible:\n${ansibleFirst.stdout.slice(-3000)}\n--- prov:\n${provFirst.stdout.slice(-3000)}`,
        );
        t.true((ansibleChanged ?? 0) > 0, `${c.role} changed something on a fresh node`);

        const ansibleState = await nodeState(t, inv, ANSIBLE_NODE, c);
        const provState = await nodeState(t, inv, PROV_NODE, c);
        t.is(provState, ansibleState, `${c.role}: the managed files and runtime state differ`);
        for (const pattern of c.expect) t.regex(ansibleState, pattern, `${c.role}: the role did its work`);

        const ansibleSecond = await ansiblePlaybook(work!, playbook);
        const provSecond = await provApply(work!, playbook);
        t.is(changedCount(t, ansibleSecond, ANSIBLE_NODE, `second ansible-playbook ${c.role}`), 0, ansibleSecond.stdout.slice(-3000));
        t.is(changedCount(t, provSecond, PROV_NODE, `second prov apply ${c.role}`), 0, provSecond.stdout.slice(-3000));
        t.is(await nodeState(t, inv, PROV_NODE, c), provState, `${c.role}: the second prov run left the files as they were`);
        t.log(
          `${c.role}: changed=${provChanged} on the first runs; ansible-playbook ${ansibleFirst.ms} + ${ansibleSecond.ms} ms, prov ${provFirst.ms} + ${provSecond.ms} ms`,
        );
      },
    );
  }
}
