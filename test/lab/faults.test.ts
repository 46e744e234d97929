/**
 * Faults during an apply, on a real lab of 2 routers and 2 hosts (docs/safety.md): dpkg killed
 * while FRR installs, prov's SSH session killed mid-command, the node powered off between a
 * file's temporary and its rename, a full disk under a file's directory. Each time the faulty
 * host (host2) is reported failed or unreachable, naming the task, the other nodes complete, no
 * file is half-written, no temporary is left after the rerun, the command is not run again, and
 * a rerun after the fault converges to changed=0. One lab, the cases one after another.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodePids, powerOff, powerOn } from '../../src/chaos/lab-power.js';
import { lab, repoRoot, ssh, type Run } from '../helpers/lab.js';
import { assertConverged, inventoryPath, onNode, prov, readInventory, type LabInventory } from './roles-support.js';

const NAME = process.env.PROV_TEST_LAB_NAME ?? 'fl';
const INV = inventoryPath(NAME);
const NODES = ['r1', 'r2', 'host', 'host2'];
const OTHERS = ['r1', 'r2', 'host'];
const FAULTY = 'host2';
const MID_RUN = 'test/fixtures/faults/mid-run.yml';
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--hosts', '2']);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

/** A path inside a node, seen from outside through its overlay (no SSH needed). */
const onDisk = (node: string, path: string) => join('/run/prov', NAME, 'nodes', node, 'root', path);

/** The node's processes whose command line matches. */
function processes(node: string, pattern: RegExp): number[] {
  return nodePids(NAME, node).filter((pid) => {
    try {
      return pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      return false;
    }
  });
}

/** Sends a signal to a node's process; one that exited since it was listed is no error. */
function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** `prov ARGS…` started now; `until` is polled every 50 ms and `fault` runs once it holds. */
async function applyWithFault(args: string[], until: () => boolean, fault: () => Promise<void> | void): Promise<Run & { injected: boolean }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), ...args], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number>((done) => child.on('close', (code) => done(code ?? 1)));
  let running = true;
  void exited.then(() => (running = false));
  let injected = false;
  while (running && !injected) {
    if (until()) {
      try {
        await fault();
      } catch (err) {
        // Never leave the apply running into the next case.
        child.kill('SIGKILL');
        await exited;
        throw err;
      }
      injected = true;
    } else {
      await sleep(50);
    }
  }
  const code = await exited;
  return { code, stdout, stderr, ms: Date.now() - started, injected };
}

interface JsonRun {
  plays: { tasks: { task: string; hosts: Record<string, { status: string; msg: string | null }> }[] }[];
  stats: Record<string, Record<string, number>>;
}

/** The faulty host's status and message in the task that met the fault; the others' stats. */
function assertFaultReported(t: ExecutionContext, r: Run, task: string, status: 'failed' | 'unreachable', message: RegExp): void {
  const doc = JSON.parse(r.stdout) as JsonRun;
  const met = doc.plays.flatMap((p) => p.tasks).find((x) => x.task === task || x.task.endsWith(` : ${task}`));
  t.truthy(met, `no task '${task}' in the run`);
  t.is(met?.hosts[FAULTY]?.status, status, JSON.stringify(met));
  t.regex(met?.hosts[FAULTY]?.msg ?? '', message);
  t.is(doc.stats[FAULTY]?.[status], 1, JSON.stringify(doc.stats));
  for (const node of OTHERS) {
    t.is(doc.stats[node]?.failed, 0, `${node} completes: ${JSON.stringify(doc.stats[node])}`);
    t.is(doc.stats[node]?.unreachable, 0, `${node} completes`);
  }
}

/** The rerun after the fault succeeds, and the one after it changes nothing anywhere. */
async function assertRerunConverges(t: ExecutionContext, args: string[], what: string): Promise<void> {
  const rerun = await prov(args);
  t.is(rerun.code, 0, `${what}, rerun: ${rerun.stdout.slice(-3000)}`);
  assertConverged(t, await prov(args), NODES, `${what}, second rerun`);
}

/** prov's temporaries in a directory of a node: none may be left. */
function temporaries(node: string, dir: string): string[] {
  const d = onDisk(node, dir);
  return existsSync(d) ? readdirSync(d).filter((f) => f.startsWith('.prov.')) : [];
}

test.serial('dpkg killed while FRR installs: that host fails at "install FRR", the others complete, a rerun finishes the install', async (t) => {
  let killed = 0;
  const r = await applyWithFault(
    ['apply', INV, '--json'],
    () => processes(FAULTY, /^\/usr\/bin\/dpkg .*--(unpack|configure)/).length > 0,
    async () => {
      // Let it write a little of the packages first.
      await sleep(300);
      for (const pid of processes(FAULTY, /dpkg/)) if (signal(pid, 'SIGKILL')) killed++;
    },
  );
  t.log(`first apply with dpkg killed on ${FAULTY}: ${r.ms} ms, exit ${r.code}, ${killed} processes killed`);
  t.true(killed > 0, 'dpkg was seen and killed');
  t.is(r.code, 2, r.stderr.slice(-2000));
  assertFaultReported(t, r, 'install FRR', 'failed', /apt-get .* install frr frr-pythontools' failed \(rc=\d+\)/);
  const state = await onNode(t, inv, FAULTY, "ls /var/lib/dpkg/updates | wc -l; dpkg-query -W -f='${Status}\\n' frr frr-pythontools 2>&1; true");
  t.log(`after the kill: ${state.replace(/\n/g, ' | ')}`);
  await assertRerunConverges(t, ['apply', INV], 'dpkg killed');
  t.regex(
    await onNode(t, inv, FAULTY, "dpkg-query -W -f='${Status}' frr frr-pythontools; dpkg --audit; ls -A /var/lib/dpkg/updates"),
    /^install ok installedinstall ok installed$/,
  );
});

test.serial('the SSH session killed mid-command: that host is unreachable at that task, the command is not run again, the others complete', async (t) => {
  const args = ['apply', INV, MID_RUN, '-e', 'fault_content=one'];
  const runs = onDisk(FAULTY, '/var/lib/prov-fault-runs');
  const hold = onDisk(FAULTY, '/var/lib/prov-fault-hold-command');
  rmSync(runs, { force: true });
  writeFileSync(hold, '');
  let sessions = 0;
  const r = await applyWithFault(
    [...args, '--json'],
    () => existsSync(runs),
    () => {
      // sshd's per-connection process of prov's session (not the listener).
      for (const pid of processes(FAULTY, /^sshd: root@/)) if (signal(pid, 'SIGKILL')) sessions++;
    },
  );
  t.log(`apply with ${FAULTY}'s SSH session killed: ${r.ms} ms, exit ${r.code}`);
  t.is(sessions, 1, "prov's one connection to the host");
  rmSync(hold, { force: true });
  t.is(r.code, 3, r.stderr.slice(-2000));
  assertFaultReported(t, r, 'record a run, then wait while the command fault is injected', 'unreachable', new RegExp(`^${FAULTY}: connection lost`));
  await sleep(1500);
  t.is(readFileSync(runs, 'utf8'), 'run\n', 'the command ran once: prov did not run it again on a new connection');
  t.false(existsSync(onDisk(FAULTY, '/etc/prov-fault/fault.conf')), 'no later task ran on the host');
  for (const node of OTHERS) t.is(await onNode(t, inv, node, 'cat /etc/prov-fault/fault.conf'), 'one\n');
  await assertRerunConverges(t, args, 'SSH session killed');
  t.is(readFileSync(onDisk(FAULTY, '/etc/prov-fault/fault.conf'), 'utf8'), 'one\n');
});

test.serial('the node powered off between the temporary file and the rename: the old file stays, the rerun removes the temporary', async (t) => {
  const args = ['apply', INV, MID_RUN, '-e', 'fault_content=two'];
  const hold = onDisk(FAULTY, '/var/lib/prov-fault-hold-write');
  writeFileSync(hold, '');
  const r = await applyWithFault(
    [...args, '--json'],
    () => temporaries(FAULTY, '/etc/prov-fault').length > 0,
    async () => {
      await powerOff(NAME, FAULTY);
    },
  );
  t.log(`apply with ${FAULTY} powered off mid-write: ${r.ms} ms, exit ${r.code}`);
  t.true(r.injected);
  t.is(r.code, 3, r.stderr.slice(-2000));
  assertFaultReported(t, r, 'write the fault file', 'unreachable', new RegExp(`^${FAULTY}: connection lost`));
  // The disk as the power-off left it: the old file whole, the new content only in the temporary.
  t.is(readFileSync(onDisk(FAULTY, '/etc/prov-fault/fault.conf'), 'utf8'), 'one\n');
  t.is(temporaries(FAULTY, '/etc/prov-fault').length, 1, 'the crash came between the temporary and the rename');
  for (const node of OTHERS) t.is(await onNode(t, inv, node, 'cat /etc/prov-fault/fault.conf'), 'two\n');
  rmSync(hold, { force: true });
  await powerOn(NAME, FAULTY);
  let up = false;
  for (let i = 0; i < 90 && !up; i++) {
    await sleep(1000);
    up = (await ssh(inv, inv.hosts[FAULTY]!.ansible_host, 'systemctl is-system-running --wait >/dev/null; true')).code === 0;
  }
  t.true(up, `${FAULTY} answers SSH after the power cycle`);
  await assertRerunConverges(t, args, 'power off');
  t.is(readFileSync(onDisk(FAULTY, '/etc/prov-fault/fault.conf'), 'utf8'), 'two\n');
  t.deepEqual(temporaries(FAULTY, '/etc/prov-fault'), [], 'the rerun removed the stray temporary');
});

test.serial('a full disk under the file: that host fails naming the file, the old file stays, no temporary is left', async (t) => {
  const args = ['apply', INV, MID_RUN, '-e', 'fault_content=three'];
  // A tiny tmpfs over the directory, holding a copy of its files, filled to the last block.
  await onNode(
    t,
    inv,
    FAULTY,
    'cp -a /etc/prov-fault /root/prov-fault-copy && mount -t tmpfs -o size=16k tmpfs /etc/prov-fault && cp -a /root/prov-fault-copy/. /etc/prov-fault/ && { dd if=/dev/zero of=/etc/prov-fault/filler bs=1k 2>/dev/null; true; }',
  );
  const r = await prov([...args, '--json']);
  t.log(`apply with a full disk on ${FAULTY}: ${r.ms} ms, exit ${r.code}`);
  t.is(r.code, 2, r.stderr.slice(-2000));
  assertFaultReported(
    t,
    r,
    'write the fault file',
    'failed',
    /^\/etc\/prov-fault\/fault\.conf: writing the temporary file failed \(.*No space left on device\)/,
  );
  t.is(await onNode(t, inv, FAULTY, 'cat /etc/prov-fault/fault.conf; ls -A /etc/prov-fault'), 'two\nfault.conf\nfiller\n', 'the old file, and no temporary');
  for (const node of OTHERS) t.is(await onNode(t, inv, node, 'cat /etc/prov-fault/fault.conf'), 'three\n');
  await onNode(t, inv, FAULTY, 'umount /etc/prov-fault && rm -rf /root/prov-fault-copy');
  await assertRerunConverges(t, args, 'full disk');
  t.is(await onNode(t, inv, FAULTY, 'cat /etc/prov-fault/fault.conf'), 'three\n');
  t.deepEqual(temporaries(FAULTY, '/etc/prov-fault'), []);
});
