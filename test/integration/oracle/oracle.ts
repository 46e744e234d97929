/**
 * Ansible as the oracle: one small playbook run by ansible-playbook (Debian's ansible-core) and by
 * prov, each on a local connection into its own temp directory, twice. What is compared: the exit
 * code, the recap's counters, and the files the run left (names, contents, modes).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { prov } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

export interface Outcome {
  code: number;
  recap: Record<string, number>;
  /** The recaps of the case's other hosts (OracleCase.hosts), by host. */
  otherRecaps: Record<string, Record<string, number>>;
  files: Record<string, { mode: string; content: string }>;
  output: string;
}

export type Counter = 'ok' | 'changed' | 'failed' | 'skipped' | 'rescued' | 'ignored';

/** One small playbook of the corpus: its project files (site.yml, roles/…) and extra CLI arguments. */
export interface OracleCase {
  name: string;
  files: Record<string, string>;
  extra?: string[];
  /** Recap counters to compare (default: all of them). */
  counters?: Counter[];
  /** More inventory hosts after `localhost`, each on the local connection (for `hosts: all`, run_once, serial). */
  hosts?: string[];
}

function recapOf(output: string, host: string): Record<string, number> {
  const line = output.split('\n').find((l) => new RegExp(`^${host}\\s+:\\s+ok=`).test(l)) ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

async function filesUnder(dir: string): Promise<Outcome['files']> {
  const out: Outcome['files'] = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      const mode = ((await stat(path)).mode & 0o7777).toString(8).padStart(4, '0');
      if (entry.isDirectory()) {
        out[`${relative(dir, path)}/`] = { mode, content: '' };
        await walk(path);
      } else {
        out[relative(dir, path)] = { mode, content: await readFile(path, 'utf8') };
      }
    }
  };
  await walk(dir);
  return out;
}

function ansiblePlaybook(args: string[], cwd: string, config: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'ansible-playbook',
      args,
      {
        cwd,
        env: {
          ...process.env,
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_FORCE_COLOR: '0',
          ANSIBLE_RETRY_FILES_ENABLED: '0',
          ANSIBLE_LOCALHOST_WARNING: 'false',
          ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
          ANSIBLE_DEPRECATION_WARNINGS: 'false',
          ANSIBLE_CONFIG: config,
        },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

/** Runs the playbook (files relative to a project dir; the play targets `localhost`) with one tool, twice. */
export async function runBoth(tool: 'ansible' | 'prov', files: Record<string, string>, extra: string[] = [], hosts: string[] = []): Promise<Outcome[]> {
  const project = await makeProject({
    ...files,
    'ansible.cfg': '[defaults]\n',
    'inventory.yml': `all:\n  hosts:\n${['localhost', ...hosts].map((h) => `    ${h}:\n      ansible_connection: local\n`).join('')}`,
  });
  const out = await mkdtemp(join(tmpdir(), `prov-oracle-${tool}-`));
  try {
    const runs: Outcome[] = [];
    for (let i = 0; i < 2; i++) {
      const args = ['-i', project.path('inventory.yml'), project.path('site.yml'), '-e', `out=${out}`, ...extra];
      const r =
        tool === 'ansible'
          ? await ansiblePlaybook(args, project.dir, project.path('ansible.cfg'))
          : await prov(['apply', project.path('inventory.yml'), project.path('site.yml'), '-e', `out=${out}`, ...extra], { cwd: project.dir }).then((p) => ({
              code: p.code,
              output: p.stdout + p.stderr,
            }));
      const otherRecaps = Object.fromEntries(hosts.map((h) => [h, recapOf(r.output, h)]));
      runs.push({ code: r.code, recap: recapOf(r.output, 'localhost'), otherRecaps, files: await filesUnder(out), output: r.output });
    }
    return runs;
  } finally {
    await rm(out, { recursive: true, force: true });
    await project.remove();
  }
}

/** The comparable part of an outcome: the exit code, the counters asked for, the files. */
export function comparable(o: Outcome, counters: Counter[]): unknown {
  const pick = (recap: Record<string, number>) => Object.fromEntries(counters.map((c) => [c, recap[c] ?? 0]));
  const others = Object.fromEntries(Object.entries(o.otherRecaps).map(([h, r]) => [h, pick(r)]));
  return { code: o.code, recap: pick(o.recap), others, files: o.files };
}

const ALL: Counter[] = ['ok', 'changed', 'failed', 'skipped', 'rescued', 'ignored'];

/**
 * Registers one ava test per case: the case runs with ansible-playbook and with prov (local
 * connection, separate temp dirs, twice) and must give the same exit code, recap counters and
 * files. Each corpus file has its own test file, so ava runs the corpora side by side.
 */
export function oracleTests(cases: OracleCase[]): void {
  for (const c of cases) {
    test.serial(`as ansible-playbook does: ${c.name}`, async (t) => {
      const [ansible, ours] = await Promise.all([runBoth('ansible', c.files, c.extra, c.hosts), runBoth('prov', c.files, c.extra, c.hosts)]);
      for (const run of [0, 1]) {
        const want = comparable(ansible[run]!, c.counters ?? ALL);
        const got = comparable(ours[run]!, c.counters ?? ALL);
        t.deepEqual(got, want, `run ${run + 1}\n--- ansible-playbook:\n${ansible[run]!.output.slice(-1500)}\n--- prov:\n${ours[run]!.output.slice(-1500)}`);
      }
    });
  }
}
