import test from 'ava';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTooLargeError, readBoundedFile, readBoundedFileSync } from '../../../src/core/bounded-read.js';
import { readFailure } from '../../../src/core/errors.js';

test('a file within the bound is read whole, sync and async', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-bounded-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'f'), 'x'.repeat(100));
  t.is((await readBoundedFile(join(dir, 'f'), 100)).length, 100);
  t.is(readBoundedFileSync(join(dir, 'f'), 100).length, 100);
  await t.throwsAsync(readBoundedFile(join(dir, 'f'), 99), { instanceOf: FileTooLargeError });
});

test('/dev/zero is refused after the bound, and the reason is words', async (t) => {
  const err = await t.throwsAsync(readBoundedFile('/dev/zero', 1024));
  t.is(readFailure(err), 'larger than 0 MiB (or endless, like /dev/zero): refused');
  const big = t.throws(() => readBoundedFileSync('/dev/zero'));
  t.is(readFailure(big), 'larger than 16 MiB (or endless, like /dev/zero): refused');
});

test('a symlink loop is ELOOP, in words', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-bounded-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await symlink('loop', join(dir, 'loop'));
  t.is(readFailure(await t.throwsAsync(readBoundedFile(join(dir, 'loop')))), 'a symlink loop');
  t.is(readFailure(await t.throwsAsync(readBoundedFile(dir))), 'is a directory');
});
