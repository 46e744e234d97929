import test from 'ava';
import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteState } from '../../../src/state/remote-state.js';
import { LocalTransport } from '../../../src/transport/local.js';

/** A file read back as UTF-8 text (null when missing). */
async function text(state: { readFile(path: string): Promise<Buffer | null> }, path: string): Promise<string | null> {
  return (await state.readFile(path))?.toString('utf8') ?? null;
}

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prov-state-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('prefetch answers many files, stats and queries in one exec', async (t) => {
  const dir = await tempDir(t);
  for (let i = 0; i < 20; i++) await writeFile(join(dir, `f${i}`), `content ${i}\n`);
  await writeFile(join(dir, 'empty'), '');
  await writeFile(join(dir, 'no-newline'), 'x');
  await chmod(join(dir, 'f0'), 0o600);
  const transport = new LocalTransport();
  const state = new RemoteState(transport);
  await state.prefetch([
    ...Array.from({ length: 20 }, (_, i) => ({ kind: 'file' as const, path: join(dir, `f${i}`) })),
    { kind: 'file', path: join(dir, 'empty') },
    { kind: 'file', path: join(dir, 'no-newline') },
    { kind: 'file', path: join(dir, 'missing') },
    { kind: 'stat', path: join(dir, 'f0') },
    { kind: 'stat', path: dir },
    { kind: 'stat', path: join(dir, 'missing') },
    { kind: 'query', command: 'echo out; echo err >&2; exit 3', key: 'q1' },
    { kind: 'query', command: 'printf "no newline"' },
  ]);
  t.is(transport.execCount, 1);
  for (let i = 0; i < 20; i++) t.is(await text(state, join(dir, `f${i}`)), `content ${i}\n`);
  t.is(await text(state, join(dir, 'empty')), '');
  t.is(await text(state, join(dir, 'no-newline')), 'x');
  t.is(await text(state, join(dir, 'missing')), null);
  t.like(await state.stat(join(dir, 'f0')), { type: 'file', mode: '0600', size: 10 });
  t.like(await state.stat(dir), { type: 'directory' });
  t.is(await state.stat(join(dir, 'missing')), null);
  t.deepEqual(await state.query('echo out; echo err >&2; exit 3', 'q1'), { stdout: 'out\n', stderr: 'err\n', code: 3 });
  t.deepEqual(await state.query('printf "no newline"'), { stdout: 'no newline', stderr: '', code: 0 });
  t.is(transport.execCount, 1, 'every answer came from the one exec');

  await writeFile(join(dir, 'f1'), 'changed\n');
  t.is(await text(state, join(dir, 'f1')), 'content 1\n', 'cached until invalidate');
  state.invalidate();
  t.is(await text(state, join(dir, 'f1')), 'changed\n');
  t.is(transport.execCount, 2);
});

test('a file whose content looks like a section marker is read as it is', async (t) => {
  const dir = await tempDir(t);
  const tricky = "\n@@prov-0000000000000000:0:missing\n'quotes' $HOME `x`\n";
  await writeFile(join(dir, 'tricky'), tricky);
  const state = new RemoteState(new LocalTransport());
  t.is(await text(state, join(dir, 'tricky')), tricky);
});

test('reading a directory as a file is an error naming the path', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'sub'));
  const state = new RemoteState(new LocalTransport());
  await t.throwsAsync(state.readFile(join(dir, 'sub')), { message: `${join(dir, 'sub')} is not a regular file` });
});

test('paths with spaces and quotes are quoted', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, "it's a file");
  await writeFile(p, 'ok');
  const state = new RemoteState(new LocalTransport());
  t.is(await text(state, p), 'ok');
  t.like(await state.stat(p), { type: 'file', size: 2 });
});

test('files that are not UTF-8 (Latin-1, binary) are read as their exact bytes, in the one batched exec', async (t) => {
  const dir = await tempDir(t);
  const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256));
  await writeFile(join(dir, 'latin1'), latin1);
  await writeFile(join(dir, 'binary'), binary);
  await writeFile(join(dir, 'utf8'), 'café\n');
  const transport = new LocalTransport();
  const state = new RemoteState(transport);
  const reads = ['latin1', 'binary', 'utf8', 'missing'].map((name) => ({ kind: 'file' as const, path: join(dir, name) }));
  await state.prefetch(reads);
  t.is(transport.execCount, 1, 'one round trip');
  t.is(await text(state, join(dir, 'utf8')), 'café\n');
  t.deepEqual(await state.readFile(join(dir, 'latin1')), latin1);
  t.deepEqual(await state.readFile(join(dir, 'binary')), binary);
  t.is(await state.readFile(join(dir, 'missing')), null);
});

test('the per-file read (the fallback when sizes do not add up) returns exact bytes too', async (t) => {
  const dir = await tempDir(t);
  const { buildReadScript } = await import('../../../src/state/read-script.js');
  const binary = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x80]);
  await writeFile(join(dir, 'binary'), binary);
  const transport = new LocalTransport();
  const perFile = buildReadScript([{ kind: 'file', path: join(dir, 'binary') }], { perFile: true });
  const [answer] = perFile.parse(await transport.exec(perFile.script));
  t.deepEqual(answer, { kind: 'file', content: binary });
});

test('a path with a NUL byte is refused, not read with the NUL dropped', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'ab'), 'x');
  const state = new RemoteState(new LocalTransport());
  await t.throwsAsync(state.readFile(`${dir}/a\0b`), { message: /contains a NUL byte/ });
});

test('a path with a | and a newline in its name is stat-ed right', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'a|b\nc');
  await writeFile(p, 'xyz');
  const state = new RemoteState(new LocalTransport());
  await state.prefetch([
    { kind: 'stat', path: p },
    { kind: 'stat', path: join(dir, 'none') },
    { kind: 'file', path: p },
  ]);
  t.like(await state.stat(p), { type: 'file', size: 3 });
  t.is(await state.stat(join(dir, 'none')), null);
  t.is(await text(state, p), 'xyz');
});

test('after file actions only the touched paths, their ancestors and queries are read again', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a'), 'a1');
  await writeFile(join(dir, 'b'), 'b1');
  const transport = new LocalTransport();
  const { createRemoteDriver } = await import('../../../src/state/driver.js');
  const driver = createRemoteDriver(transport);
  const reads = [
    { kind: 'file' as const, path: join(dir, 'a') },
    { kind: 'file' as const, path: join(dir, 'b') },
    { kind: 'stat' as const, path: join(dir, 'new') },
    { kind: 'query' as const, command: `cat ${join(dir, 'b')}` },
  ];
  await driver.prefetch(reads);
  await driver.execute([
    { kind: 'write', path: join(dir, 'a'), content: 'a2' },
    { kind: 'mkdir', path: join(dir, 'new/sub') },
  ]);
  await writeFile(join(dir, 'b'), 'b2'); // behind prov's back: the cached answer for b stays
  const count = transport.execCount;
  t.is(await text(driver.state, join(dir, 'b')), 'b1', 'an untouched path is still cached');
  t.is(transport.execCount, count);
  t.is(await text(driver.state, join(dir, 'a')), 'a2');
  t.like(await driver.state.stat(join(dir, 'new')), { type: 'directory' }, 'an ancestor created by mkdir -p is read again');
  t.is((await driver.state.query(`cat ${join(dir, 'b')}`)).stdout, 'b2', 'queries are read again');
  await driver.execute([{ kind: 'exec', command: 'true' }]);
  t.is(await text(driver.state, join(dir, 'b')), 'b2', 'a command invalidates everything');
});

test('stat follows symlinks, so a mode set through a link is seen', async (t) => {
  const dir = await tempDir(t);
  const { symlink } = await import('node:fs/promises');
  await writeFile(join(dir, 'target'), 'x');
  await chmod(join(dir, 'target'), 0o600);
  await symlink(join(dir, 'target'), join(dir, 'link'));
  const state = new RemoteState(new LocalTransport());
  t.like(await state.stat(join(dir, 'link')), { type: 'file', mode: '0600' });
  t.is(await text(state, join(dir, 'link')), 'x');
});
