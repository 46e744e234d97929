/**
 * `npm run bench:ansible [-- --hosts N]`: prov against ansible-playbook (and Ansible under
 * Mitogen's strategy) on one lab of 2 routers + N hosts (default 20), side by side in one run.
 * Prints wall time, per-host time, the ratio to prov, the controller's peak RSS and the load.
 *   1. lab up, the roles' packages (and Ansible's python3-apt) installed on every node, untimed
 *   2. snapshot of the configuration both tools write; before each tool's first apply the
 *      nodes are reset to it (bench/lab-nodes.ts)
 *   3. prov: first configuration apply, no-op rerun, --check
 *   4. ansible-playbook bench/ansible/site.yml: first apply, no-op rerun; then prov --check must
 *      find nothing to change and prov verify must pass (Ansible converged the same way)
 *   5. the same under Mitogen (or "not measurable: <reason>")
 *   6. prov's full first apply with package installs (the packages purged first)
 * The lab is torn down at the end, also on failure or Ctrl-C. Exit 1 if a tool failed.
 * Figures, not assertions: the machine is shared, read them with the load average.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { formatTable, type Phase, type Row } from './bench-table.js';
import { ANSIBLE_PACKAGES, HOST_PACKAGES, ROUTER_PACKAGES, installScript, purgeScript, resetScript, snapshotScript } from './lab-nodes.js';
import { recap, timedRun, type TimedRun } from './timed-run.js';
import { countFlag } from './count-flag.js';

const root = join(import.meta.dirname, '..');
const LAB = 'bn';
const INVENTORY = join('inventory', `${LAB}.yml`);
const PLAYBOOK = join('playbooks', 'site.yml');
const ANSIBLE_DIR = join(root, 'bench', 'ansible');
const CONTROL_DIR = '/tmp/bn-ansible-cp';
const MITOGEN_STRATEGIES = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

class BenchFailure extends Error {}

interface Node {
  name: string;
  address: string;
  router: boolean;
}

interface Lab {
  nodes: Node[];
  key: string;
  knownHosts: string;
}

function readLab(): Lab {
  // biome-ignore lint/suspicious/noExplicitAny: the lab's own inventory (src/lab/inventory.ts writes it)
  const doc = load(readFileSync(join(root, INVENTORY), 'utf8')) as any;
  const group = (g: string, router: boolean): Node[] =>
    Object.entries(doc.all.children[g].hosts as Record<string, { ansible_host: string }>).map(([name, h]) => ({ name, address: h.ansible_host, router }));
  return {
    nodes: [...group('routers', true), ...group('hosts', false)],
    key: doc.all.vars.ansible_ssh_private_key_file,
    knownHosts: doc.all.vars.prov_known_hosts_file,
  };
}

function sshArgs(lab: Lab): string[] {
  return [
    '-i',
    lab.key,
    '-o',
    `UserKnownHostsFile=${lab.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
  ];
}

/** One script on one node over plain ssh (stdin), rejecting with the node's stderr. */
function onNode(lab: Lab, node: Node, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs(lab), `root@${node.address}`, 'sh -s'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new BenchFailure(`${node.name}: exit ${code}: ${err.trim().split('\n').at(-1) ?? ''}`))));
    child.stdin.end(script);
  });
}

async function onAll(lab: Lab, what: string, script: (n: Node) => string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(lab.nodes.map((n) => onNode(lab, n, script(n))));
  const ms = performance.now() - t0;
  console.log(`  ${what}: ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

function runLab(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'prov.js'), 'lab', ...args], { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function prov(args: string[]): Promise<TimedRun> {
  return timedRun(process.execPath, [join(root, 'bin', 'prov.js'), ...args], { cwd: root });
}

function ansibleEnv(lab: Lab, mitogen: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
    ANSIBLE_SSH_COMMON_ARGS: sshArgs(lab).slice(2).join(' '),
    ANSIBLE_PRIVATE_KEY_FILE: lab.key,
  };
  if (mitogen) {
    env.ANSIBLE_STRATEGY_PLUGINS = MITOGEN_STRATEGIES;
    env.ANSIBLE_STRATEGY = 'mitogen_linear';
  }
  return env;
}

function ansible(lab: Lab, mitogen: boolean): Promise<TimedRun> {
  return timedRun('ansible-playbook', ['-i', INVENTORY, join(ANSIBLE_DIR, 'site.yml')], { cwd: root, env: ansibleEnv(lab, mitogen), rssMarker: CONTROL_DIR });
}

/** Closes the SSH ControlPersist masters Ansible left (each by its socket). */
async function closeMasters(): Promise<void> {
  let sockets: string[] = [];
  try {
    sockets = readdirSync(CONTROL_DIR);
  } catch {
    return;
  }
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          const child = spawn('ssh', ['-o', `ControlPath=${join(CONTROL_DIR, s)}`, '-O', 'exit', 'bench'], { stdio: 'ignore' });
          child.on('close', () => resolve());
        }),
    ),
  );
  rmSync(CONTROL_DIR, { recursive: true, force: true });
}

function tail(r: TimedRun, lines = 25): string {
  return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

/** Fails unless the run exited 0 and, when `noChange`, every node's recap says changed=0. */
function expectRun(what: string, r: TimedRun, lab: Lab, noChange: boolean): void {
  if (r.code !== 0) throw new BenchFailure(`${what} failed (exit ${r.code}):\n${tail(r)}`);
  const counts = recap(r.stdout);
  for (const n of lab.nodes) {
    const c = counts[n.name];
    if (!c) throw new BenchFailure(`${what}: no recap line for ${n.name}:\n${tail(r)}`);
    if (noChange && c.changed !== 0) throw new BenchFailure(`${what}: ${n.name} changed ${c.changed} things:\n${tail(r, 60)}`);
  }
  const changed = lab.nodes.map((n) => counts[n.name]!.changed ?? 0);
  console.log(`  ${what}: ${(r.ms / 1000).toFixed(1)} s, changed ${Math.min(...changed)}-${Math.max(...changed)} per node, load ${r.load}`);
}

/** The mitogen failure's one-line reason (the last error line Ansible printed). */
function mitogenReason(r: TimedRun): string {
  const text = `${r.stdout}\n${r.stderr}`;
  const unpickle = /cannot unpickle [^"'\\\n]*/.exec(text);
  if (unpickle) return `${unpickle[0].trim()} (ansible-mitogen ${mitogenVersion()} with ansible-core 2.14)`;
  const line = text
    .split('\n')
    .reverse()
    .find((l) => /fatal|ERROR|msg/.test(l));
  return (line ?? `exit ${r.code}`).trim().slice(0, 160);
}

function mitogenVersion(): string {
  try {
    return /Version: (\S+)/.exec(readFileSync('/usr/share/doc/ansible-mitogen/changelog.Debian.gz', 'latin1'))?.[1] ?? '0.3.3';
  } catch {
    return '0.3.3';
  }
}

/** After an Ansible apply: prov finds nothing to change, and prov verify passes. */
async function expectConvergedLikeProv(what: string, lab: Lab): Promise<void> {
  const check = await prov(['apply', INVENTORY, PLAYBOOK, '--check']);
  expectRun(`prov --check after ${what}`, check, lab, true);
  const verify = await prov(['verify', INVENTORY]);
  if (verify.code !== 0) throw new BenchFailure(`prov verify after ${what} failed:\n${tail(verify)}`);
  console.log(`  prov verify after ${what}: ok`);
}

function measured(tool: string, phase: Phase, r: TimedRun, hosts: number): Row {
  return { tool, phase, wallMs: r.ms, hosts, peakRssBytes: r.peakRssBytes, load: r.load };
}

async function bench(hostCount: number, rows: Row[]): Promise<void> {
  console.log(`lab ${LAB}: 2 routers + ${hostCount} hosts`);
  if ((await runLab(['up', '--name', LAB, '--hosts', String(hostCount)])) !== 0) throw new BenchFailure('lab up failed');
  const lab = readLab();
  const n = lab.nodes.length;
  const reset = () => onAll(lab, 'reset the configuration', () => resetScript());

  console.log('preparing the nodes (untimed):');
  await onAll(lab, 'install the packages', (node) => installScript([...new Set([...(node.router ? ROUTER_PACKAGES : HOST_PACKAGES), ...ANSIBLE_PACKAGES])]));
  await onAll(lab, 'snapshot the configuration', () => snapshotScript());

  console.log('prov:');
  const first = await prov(['apply', INVENTORY, PLAYBOOK]);
  expectRun('prov first apply', first, lab, false);
  rows.push(measured('prov', 'first apply', first, n));
  const verify = await prov(['verify', INVENTORY]);
  if (verify.code !== 0) throw new BenchFailure(`prov verify after prov's apply failed:\n${tail(verify)}`);
  const noop = await prov(['apply', INVENTORY, PLAYBOOK]);
  expectRun('prov no-op rerun', noop, lab, true);
  rows.push(measured('prov', 'no-op rerun', noop, n));
  const check = await prov(['apply', INVENTORY, PLAYBOOK, '--check']);
  expectRun('prov --check', check, lab, true);
  rows.push(measured('prov', '--check', check, n));

  console.log('ansible-playbook:');
  await reset();
  const aFirst = await ansible(lab, false);
  expectRun('ansible-playbook first apply', aFirst, lab, false);
  rows.push(measured('ansible-playbook', 'first apply', aFirst, n));
  const aNoop = await ansible(lab, false);
  expectRun('ansible-playbook no-op rerun', aNoop, lab, true);
  rows.push(measured('ansible-playbook', 'no-op rerun', aNoop, n));
  await closeMasters();
  await expectConvergedLikeProv('ansible-playbook', lab);

  console.log('ansible-playbook with Mitogen (mitogen_linear):');
  await reset();
  const mFirst = await ansible(lab, true);
  if (mFirst.code !== 0) {
    const reason = mitogenReason(mFirst);
    console.log(`  not measurable: ${reason}`);
    rows.push({ tool: 'ansible+mitogen', phase: 'first apply', reason, load: mFirst.load });
  } else {
    expectRun('mitogen first apply', mFirst, lab, false);
    rows.push(measured('ansible+mitogen', 'first apply', mFirst, n));
    const mNoop = await ansible(lab, true);
    expectRun('mitogen no-op rerun', mNoop, lab, true);
    rows.push(measured('ansible+mitogen', 'no-op rerun', mNoop, n));
    await expectConvergedLikeProv('Mitogen', lab);
  }
  await closeMasters();

  console.log('prov, full first apply with package installs:');
  await reset();
  await onAll(lab, 'purge the installed packages', () => purgeScript());
  const full = await prov(['apply', INVENTORY, PLAYBOOK]);
  expectRun('prov full first apply', full, lab, false);
  rows.push(measured('prov', 'first apply + packages', full, n));
}

const hostCount = countFlag('bench:ansible', 'hosts', 20);
const rows: Row[] = [];
let tornDown = false;
async function teardown(): Promise<void> {
  if (tornDown) return;
  tornDown = true;
  await closeMasters();
  if (process.env.BENCH_KEEP_LAB === '1') return void console.log(`BENCH_KEEP_LAB=1: lab ${LAB} stays up`);
  console.log(`tearing down lab ${LAB}`);
  await runLab(['down', '--name', LAB]);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`bench:ansible: ${signal}, tearing the lab down`);
    void teardown().then(() => process.exit(130));
  });
}

let failed = false;
try {
  await bench(hostCount, rows);
} catch (e) {
  failed = true;
  console.error(`bench:ansible: ${e instanceof BenchFailure ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  await teardown();
}
if (rows.length > 0) {
  console.log(
    `\n2 routers + ${hostCount} hosts, ${rows.length} runs; machine shared with other jobs, read with the load (uptime: ${readFileSync('/proc/loadavg', 'utf8').trim()})`,
  );
  console.log(formatTable(rows));
}
process.exit(failed ? 1 : 0);
