/** Bad input: each a one-line error with exit code 5 (bad options), and nothing left behind. */
import test from 'ava';
import { mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lab, leftovers, repoRoot, run } from '../helpers/lab.js';
import { labId } from '../../src/lab/topology.js';

const NAME = 'lab-topts';

function oneLineError(t: import('ava').ExecutionContext, r: { code: number; stderr: string }, pattern: RegExp): void {
  t.is(r.code, 5, r.stderr);
  const lines = r.stderr.trim().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0]!, pattern);
  t.deepEqual(leftovers(NAME, labId(NAME)), { netns: [], mounts: [], processes: [], links: [], files: [], cgroups: [] });
}

test('an unknown release', async (t) => {
  oneLineError(t, await lab(['up', '--name', NAME, '--release', 'buster']), /unknown release "buster"/);
});

test('--hosts 0', async (t) => {
  oneLineError(t, await lab(['up', '--name', NAME, '--hosts', '0']), /--hosts must be a whole number of at least 1/);
});

test('more hosts than the subnet holds', async (t) => {
  oneLineError(t, await lab(['up', '--name', NAME, '--hosts', '200']), /more than the subnet holds/);
});

test('a lab name that cannot make interface names', async (t) => {
  oneLineError(t, await lab(['up', '--name', 'Bad_Name']), /invalid lab name/);
});

test('not running as root', async (t) => {
  const r = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/lab-main.ts'), 'lab', 'up', '--name', NAME], {
    uid: 65534,
    gid: 65534,
    env: { ...process.env, HOME: tmpdir() },
  });
  oneLineError(t, r, /must run as root/);
});

test('a missing Debian tool', async (t) => {
  // A PATH holding node only: systemd-nspawn (in /usr/bin) cannot be found.
  const bin = join(tmpdir(), `prov-lab-nopath-${process.pid}`);
  mkdirSync(bin, { recursive: true });
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  symlinkSync(process.execPath, join(bin, 'node'));
  const r = await lab(['up', '--name', NAME], { ...process.env, PATH: bin });
  oneLineError(t, r, /systemd-nspawn not found: install the Debian package systemd-container/);
});

test('ssh/exec on a lab that is not running', async (t) => {
  oneLineError(t, await lab(['exec', '--name', NAME, 'r1', '--', 'true']), /lab-topts is not running/);
});
