/**
 * `npm run bench:memory`: the controller's memory, as figures (targets: docs/benchmarks.md).
 *   1. 100 inventory hosts, real SSH: every host is the loopback sshd of test/helpers/sshd.ts,
 *      each writing under its own temp dir; `prov apply` (first, then no-op) with --forks 100,
 *      peak RSS of prov's process tree sampled from /proc. Target: under 200 MB.
 *   2. 1000 inventory hosts planned in check mode on in-memory machines (no SSH), bounded by a
 *      timeout; time and peak RSS.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd } from '../test/helpers/sshd.js';
import { harmlessPlaybook } from './memory-playbook.js';
import { loadAverage } from './proc-rss.js';
import { recap, timedRun, type TimedRun } from './timed-run.js';

const root = join(import.meta.dirname, '..');
const MB = 2 ** 20;
const REAL_HOSTS = 100;
const PLAN_HOSTS = 1000;
const PLAN_TIMEOUT_S = 300;
let failed = false;

function report(what: string, r: TimedRun, extra = ''): void {
  console.log(`${what}: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${(r.peakRssBytes / MB).toFixed(0)} MB${extra} (load at start ${r.load})`);
}

async function realSsh(): Promise<void> {
  const sshd = await startSshd({ config: ['MaxStartups 200:30:300'] });
  const work = await mkdtemp(join(tmpdir(), 'prov-bench-memory-'));
  try {
    const names = Array.from({ length: REAL_HOSTS }, (_, i) => `h${String(i + 1).padStart(3, '0')}`);
    const inventory = join(work, 'inventory.yml');
    await writeFile(
      inventory,
      `all:\n  vars:\n    ansible_host: 127.0.0.1\n    ansible_port: ${sshd.port}\n    ansible_user: root\n    ansible_ssh_private_key_file: ${sshd.keyFile}\n    prov_known_hosts_file: ${sshd.knownHostsFile}\n    work: ${work}/hosts\n  hosts:\n${names.map((h) => `    ${h}: {}`).join('\n')}\n`,
    );
    await writeFile(
      join(work, 'site.yml'),
      `- hosts: all\n  tasks:\n    - { name: root, file: { path: "{{ work }}", state: directory } }\n${harmlessPlaybook().split('\n').slice(2).join('\n')}`,
    );
    await mkdir(join(work, 'templates'));
    await writeFile(join(work, 'templates', 't.ejs'), 'host <%= inventory_hostname %>\n');
    for (const run of ['first apply', 'no-op rerun']) {
      const r = await timedRun(
        process.execPath,
        [join(root, 'bin', 'prov.js'), 'apply', inventory, join(work, 'site.yml'), '--forks', String(REAL_HOSTS), '--timeout', '60'],
        { cwd: root },
      );
      const counts = recap(r.stdout);
      const ok = r.code === 0 && names.every((n) => counts[n] && counts[n]!.failed === 0 && counts[n]!.unreachable === 0);
      if (!ok) {
        failed = true;
        console.log(`${REAL_HOSTS} hosts over SSH, ${run}: FAILED (exit ${r.code})\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(0, 40).join('\n')}`);
        return;
      }
      const changed = names.reduce((s, n) => s + counts[n]!.changed!, 0);
      report(
        `${REAL_HOSTS} hosts over SSH (one loopback sshd), ${run}, --forks ${REAL_HOSTS}`,
        r,
        `, ${changed} changes, target < 200 MB: ${r.peakRssBytes < 200 * MB ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
    await sshd.stop();
  }
}

async function planMany(): Promise<void> {
  const r = await timedRun(
    'timeout',
    [String(PLAN_TIMEOUT_S), process.execPath, '--import', 'tsx', join(root, 'bench', 'plan-many.ts'), String(PLAN_HOSTS), '100'],
    { cwd: root },
  );
  if (r.code !== 0) {
    failed = true;
    console.log(
      `${PLAN_HOSTS} hosts planned in check mode: FAILED (exit ${r.code}${r.code === 124 ? `, over ${PLAN_TIMEOUT_S} s` : ''})\n${r.stderr.trim().split('\n').slice(-10).join('\n')}`,
    );
    return;
  }
  const line = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { hosts: number; ms: number; changed: number; failed: number; peakRssBytes: number };
  if (line.hosts !== PLAN_HOSTS || line.failed !== 0) failed = true;
  report(
    `${line.hosts} hosts planned in check mode (in-memory machines, --forks 100)`,
    r,
    `; the plan itself ${(line.ms / 1000).toFixed(1)} s, ${line.changed} changes planned, ${line.failed} failed, process heap+code ${(line.peakRssBytes / MB).toFixed(0)} MB`,
  );
}

console.log(`bench:memory (machine shared with other jobs; load ${loadAverage()})`);
await realSsh();
await planMany();
process.exit(failed ? 1 : 0);
