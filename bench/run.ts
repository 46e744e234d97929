/**
 * `npm run bench`: prints the engine's speed figures (not asserted anywhere; targets live here).
 *   1. planning time for 1 host x 200 tasks (in-memory machine): check mode on a fresh machine,
 *      then a no-op check after an apply
 *   2. no-op rerun of the SSH integration playbook against Debian's sshd on 127.0.0.1, per task
 * Aim: a no-op task costs under 5 ms on loopback.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../src/inventory/load.js';
import { loadPlaybook } from '../src/playbook/load.js';
import { transportOpener } from '../src/runner/open-host.js';
import { runPlaybook } from '../src/runner/run.js';
import type { HostOpener, Reporter, RunResult } from '../src/runner/types.js';
import { validatePlaybook } from '../src/runner/validate.js';
import { FakeMachine } from '../test/helpers/fake-machine.js';
import { debianFacts } from '../test/helpers/facts.js';
import { makeProject } from '../test/helpers/project.js';
import { startSshd } from '../test/helpers/sshd.js';

const quiet: Reporter = { playStart() {}, taskStart() {}, hostResult() {}, hostUnreachable() {}, notice() {}, runEnd() {} };

async function timed(inventory: string, playbook: string, open: HostOpener, check: boolean, extraVars = {}): Promise<{ ms: number; result: RunResult }> {
  const inv = await loadInventory(inventory);
  const pb = await loadPlaybook(playbook);
  validatePlaybook(pb);
  const t0 = performance.now();
  const result = await runPlaybook({
    inventory: inv,
    playbook: pb,
    check,
    diff: false,
    tags: [],
    skipTags: [],
    roles: [],
    forks: 10,
    extraVars,
    open,
    reporter: quiet,
  });
  return { ms: performance.now() - t0, result };
}

function tasks200(): string {
  const kinds = [
    (i: number) => `- name: copy ${i}\n  copy: { dest: "/etc/bench/c${i}", content: "value ${i}\\n", mode: "0644" }`,
    (i: number) => `- name: line ${i}\n  lineinfile: { path: /etc/bench/lines, line: "key${i}=${i}", create: true }`,
    (i: number) => `- name: block ${i}\n  blockinfile: { path: "/etc/bench/b${i}", block: "a ${i}\\nb ${i}", create: true }`,
    (i: number) => `- name: file ${i}\n  file: { path: "/etc/bench/d${i}", state: directory }`,
  ];
  const lines = ['- hosts: all', '  tasks:', '    - name: base', '      file: { path: /etc/bench, state: directory }'];
  for (let i = 1; i < 200; i++)
    lines.push(
      kinds[i % kinds.length]!(i)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n'),
    );
  return `${lines.join('\n')}\n`;
}

async function planningBench(): Promise<void> {
  const p = await makeProject({ 'inventory.yml': 'all:\n  hosts:\n    h1:\n', 'site.yml': tasks200() });
  try {
    const machine = new FakeMachine({ dirs: ['/etc'] });
    const open: HostOpener = async () => ({ driver: machine, facts: debianFacts() });
    const inv = p.path('inventory.yml');
    const pb = p.path('site.yml');
    await timed(inv, pb, open, true); // warm-up (module loading, JIT)
    const fresh = await timed(inv, pb, open, true);
    await timed(inv, pb, open, false);
    const noop = await timed(inv, pb, open, true);
    console.log(
      `planning, 1 host x 200 tasks, fresh machine (check mode): ${fresh.ms.toFixed(1)} ms total, ${(fresh.ms / 200).toFixed(3)} ms/task, changed=${fresh.result.stats.h1!.changed}`,
    );
    console.log(
      `planning, 1 host x 200 tasks, no-op (check mode):         ${noop.ms.toFixed(1)} ms total, ${(noop.ms / 200).toFixed(3)} ms/task, changed=${noop.result.stats.h1!.changed}`,
    );
  } finally {
    await p.remove();
  }
}

async function sshBench(): Promise<void> {
  const sshd = await startSshd();
  const work = await mkdtemp(join(tmpdir(), 'prov-bench-'));
  const p = await makeProject({
    'inventory.yml': `all:\n  hosts:\n    box:\n      ansible_host: 127.0.0.1\n      ansible_port: ${sshd.port}\n      ansible_user: root\n      ansible_ssh_private_key_file: ${sshd.keyFile}\n      prov_known_hosts_file: ${sshd.knownHostsFile}\n  vars:\n    work: ${work}\n`,
    'site.yml': `- hosts: all
  tasks:
    - { name: dir, file: { path: "{{ work }}/etc", state: directory } }
    - { name: copy, copy: { dest: "{{ work }}/etc/a", content: "a\\n" } }
    - { name: template, template: { src: t.ejs, dest: "{{ work }}/etc/t" } }
    - { name: line, lineinfile: { path: "{{ work }}/etc/l", line: "port=1", create: true } }
    - { name: block, blockinfile: { path: "{{ work }}/etc/b", create: true, block: "x" } }
    - { name: sysctl file, sysctl: { name: net.ipv4.ip_forward, value: "1", sysctl_file: "{{ work }}/etc/s.conf", sysctl_set: false, reload: false } }
    - { name: creates, command: { cmd: "touch {{ work }}/c", creates: "{{ work }}/c" } }
`,
    'templates/t.ejs': 'host <%= inventory_hostname %>\n',
  });
  try {
    const open = transportOpener({ trustNewHostKeys: false, connectTimeoutMs: 5000 });
    const inv = p.path('inventory.yml');
    const pb = p.path('site.yml');
    const first = await timed(inv, pb, open, false);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await timed(inv, pb, open, false);
      if (r.result.stats.box!.changed !== 0)
        throw new Error(
          `no-op rerun changed: ${r.result.plays.flatMap((pl) => pl.tasks.flatMap((t) => t.results.filter((x) => x.status === 'changed').map((x) => `${t.task} (${x.msg ?? ''})`))).join(', ')}`,
        );
      runs.push(r.ms);
    }
    runs.sort((a, b) => a - b);
    const median = runs[2]!;
    const taskMs = (r: RunResult) => r.plays.flatMap((pl) => pl.tasks.flatMap((t) => t.results.map((x) => x.ms)));
    const last = await timed(inv, pb, open, false);
    const per = taskMs(last.result);
    console.log(`ssh loopback, 7-task playbook: first apply ${first.ms.toFixed(1)} ms (changed=${first.result.stats.box!.changed})`);
    console.log(`ssh loopback, no-op rerun (connect + facts + 7 tasks): median of 5 ${median.toFixed(1)} ms`);
    console.log(
      `ssh loopback, no-op task cost: median ${per.sort((a, b) => a - b)[Math.floor(per.length / 2)]!.toFixed(2)} ms, max ${Math.max(...per).toFixed(2)} ms per task`,
    );
  } finally {
    await p.remove();
    await rm(work, { recursive: true, force: true });
    await sshd.stop();
  }
}

await planningBench();
await sshBench();
