import test from 'ava';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeActions } from '../../../src/state/executor.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { ProvError } from '../../../src/core/errors.js';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prov-exec-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
const modeOf = async (p: string) => ((await stat(p)).mode & 0o7777).toString(8).padStart(4, '0');

test('a write keeps the mode of the file it replaces and replaces it by rename', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'app.conf');
  await writeFile(p, 'old\n');
  await chmod(p, 0o640);
  const inodeBefore = (await stat(p)).ino;
  await executeActions(new LocalTransport(), [{ kind: 'write', path: p, content: 'new\n' }]);
  t.is(await readFile(p, 'utf8'), 'new\n');
  t.is(await modeOf(p), '0640');
  t.not((await stat(p)).ino, inodeBefore, 'a new inode: written aside, then renamed');
  t.deepEqual(await readdir(dir), ['app.conf'], 'no temporary file left behind');
});

test('a new file gets the umask default mode, or the mode given', async (t) => {
  const dir = await tempDir(t);
  await executeActions(new LocalTransport(), [
    { kind: 'write', path: join(dir, 'plain'), content: 'a' },
    { kind: 'write', path: join(dir, 'secret'), content: 'b', mode: '0600' },
  ]);
  const umask = process.umask();
  t.is(await modeOf(join(dir, 'plain')), (0o666 & ~umask).toString(8).padStart(4, '0'));
  t.is(await modeOf(join(dir, 'secret')), '0600');
});

test('consecutive file actions share one exec; each exec action is its own', async (t) => {
  const dir = await tempDir(t);
  const transport = new LocalTransport();
  const results = await executeActions(transport, [
    { kind: 'mkdir', path: join(dir, 'a/b'), mode: '0750' },
    { kind: 'write', path: join(dir, 'a/b/one'), content: 'one\n' },
    { kind: 'write', path: join(dir, 'a/b/two'), content: 'twö\n' },
    { kind: 'write', path: join(dir, 'a/b/three'), content: '' },
    { kind: 'exec', command: 'cat one two', cwd: join(dir, 'a/b') },
    { kind: 'attrs', path: join(dir, 'a/b/one'), mode: '0600' },
    { kind: 'remove', path: join(dir, 'a/b/three') },
  ]);
  t.is(transport.execCount, 3);
  t.deepEqual(results, [{ stdout: 'one\ntwö\n', stderr: '', code: 0 }]);
  t.is(await modeOf(join(dir, 'a/b')), '0750');
  t.is(await modeOf(join(dir, 'a/b/one')), '0600');
  t.deepEqual((await readdir(join(dir, 'a/b'))).sort(), ['one', 'two']);
});

test('validate failure leaves the live file untouched and names the command and its output', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'sshd_config');
  await writeFile(p, 'good\n');
  const err = await t.throwsAsync(
    executeActions(new LocalTransport(), [
      { kind: 'write', path: p, content: 'bad\n', validate: 'sh -c \'grep -q good "$1" || { echo "line 1: bad keyword" >&2; exit 1; }\' - %s' },
    ]),
    { instanceOf: ProvError },
  );
  t.is(err?.kind, 'failed');
  t.regex(err?.message ?? '', /validate 'sh -c .*' failed: line 1: bad keyword/);
  t.false(err?.message.includes('\n'));
  t.is(await readFile(p, 'utf8'), 'good\n');
  t.deepEqual(await readdir(dir), ['sshd_config'], 'the candidate was removed');
});

test('validate success writes; %s is the candidate in the same directory', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'conf');
  await executeActions(new LocalTransport(), [
    { kind: 'write', path: p, content: 'ok\n', validate: `sh -c 'case "$1" in ${dir}/.prov.*) grep -q ok "$1";; *) exit 1;; esac' - %s` },
  ]);
  t.is(await readFile(p, 'utf8'), 'ok\n');
});

test('backup copies the old file to path.<timestamp>~ keeping its mode', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'conf');
  await writeFile(p, 'v1\n');
  await chmod(p, 0o604);
  await executeActions(new LocalTransport(), [{ kind: 'write', path: p, content: 'v2\n', backup: true }]);
  const names = await readdir(dir);
  const backup = names.find((n) => /^conf\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/.test(n));
  t.truthy(backup, names.join(','));
  t.is(await readFile(join(dir, backup!), 'utf8'), 'v1\n');
  t.is(await modeOf(join(dir, backup!)), '0604');
  t.is(await readFile(p, 'utf8'), 'v2\n');
});

test('a write into a missing directory fails naming the path', async (t) => {
  const dir = await tempDir(t);
  await t.throwsAsync(executeActions(new LocalTransport(), [{ kind: 'write', path: join(dir, 'no/such/file'), content: 'x' }]), {
    message: (m: string) =>
      m.startsWith(`${join(dir, 'no/such/file')}: cannot create a temporary file in ${join(dir, 'no/such')} (mktemp: `) && !m.includes('\n'),
  });
});

test('an exec that must succeed throws one line with its stderr; otherwise its result is returned', async (t) => {
  const transport = new LocalTransport();
  await t.throwsAsync(executeActions(transport, [{ kind: 'exec', command: 'echo first >&2; echo second >&2; exit 4' }]), {
    message: "'echo first >&2; echo second >&2; exit 4' failed (rc=4): first",
  });
  await t.throwsAsync(executeActions(transport, [{ kind: 'exec', command: 'echo s3cret; exit 1', display: 'set password' }]), {
    message: "'set password' failed (rc=1): s3cret",
  });
  const results = await executeActions(transport, [{ kind: 'exec', command: 'cat; exit 2', stdin: 'in', mustSucceed: false }]);
  t.deepEqual(results, [{ stdout: 'in', stderr: '', code: 2 }]);
});

test('writes carry bytes exactly: binary and text contents in one script', async (t) => {
  const dir = await tempDir(t);
  const { randomBytes } = await import('node:crypto');
  const binary = randomBytes(4096);
  await executeActions(new LocalTransport(), [
    { kind: 'write', path: join(dir, 'bin'), content: binary },
    { kind: 'write', path: join(dir, 'text'), content: 'twö\n' },
    { kind: 'write', path: join(dir, 'latin1'), content: Buffer.from([0x63, 0xe9, 0x0a]) },
  ]);
  t.deepEqual(await readFile(join(dir, 'bin')), binary);
  t.is(await readFile(join(dir, 'text'), 'utf8'), 'twö\n');
  t.deepEqual(await readFile(join(dir, 'latin1')), Buffer.from([0x63, 0xe9, 0x0a]));
});

test('a file action on a path with a NUL byte is refused before anything runs', async (t) => {
  const dir = await tempDir(t);
  const transport = new LocalTransport();
  await t.throwsAsync(executeActions(transport, [{ kind: 'write', path: `${dir}/a\0b`, content: 'x' }]), {
    instanceOf: ProvError,
    message: /contains a NUL byte/,
  });
  t.is(transport.execCount, 0);
  t.deepEqual(await readdir(dir), []);
});

test('a temporary file left by a run that died before the rename is removed by the next write of that file', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'frr.conf');
  await writeFile(p, 'old\n');
  // What a power-off between mktemp and mv leaves: the old file and a half-written temporary.
  await writeFile(join(dir, '.prov.frr.conf.Ab3dE6gH'), 'ne');
  await writeFile(join(dir, '.prov.daemons.Zz9yX8wV'), 'other');
  await executeActions(new LocalTransport(), [{ kind: 'write', path: p, content: 'new\n' }]);
  t.is(await readFile(p, 'utf8'), 'new\n');
  t.deepEqual((await readdir(dir)).sort(), ['.prov.daemons.Zz9yX8wV', 'frr.conf'], "the stray of frr.conf is gone; another file's is left to its own write");
});

test('content cut short on the way (a connection lost while stdin streamed) is never renamed into place', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'app.conf');
  await writeFile(p, 'old\n');
  const local = new LocalTransport();
  const cutting = Object.assign(Object.create(local) as LocalTransport, {
    exec: (command: string, o: { stdin?: string | Buffer } = {}) => local.exec(command, { ...o, stdin: Buffer.from(o.stdin ?? '').subarray(0, 3) }),
  });
  const err = await t.throwsAsync(executeActions(cutting, [{ kind: 'write', path: p, content: 'new content\n' }]));
  t.is(err?.message, `${p}: the content arrived incomplete`);
  t.is(await readFile(p, 'utf8'), 'old\n');
  t.deepEqual(await readdir(dir), ['app.conf'], 'no temporary file left behind');
});
