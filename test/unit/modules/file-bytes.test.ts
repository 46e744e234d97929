/**
 * Files move as bytes: copy of a binary file, lineinfile/blockinfile on a Latin-1 file, the diff
 * of a binary file, and a NUL in a path (issue 10, item 6).
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { formatArgsError } from '../../../src/modules/args-error.js';
import { getModule } from '../../../src/modules/registry.js';
import { unifiedDiff } from '../../../src/report/diff.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';

const binary = randomBytes(4096);
/** Latin-1 bytes: "# café\n" "old=1\n" "# naïve\n" */
const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nold=1\n# na'), Buffer.from([0xef]), Buffer.from('ve\n')]);

test('copy of a random 4 KB binary file writes exactly its bytes, and a second check changes nothing', moduleMacro, {
  module: 'copy',
  args: { src: 'file.bin', dest: '/srv/file.bin' },
  machine: { dirs: ['/srv'] },
  controllerFiles: { 'file.bin': binary },
  expect: { changed: true, msg: 'created' },
  after: (t, m) => {
    const written = m.files.get('/srv/file.bin')?.bytes;
    t.true(Buffer.isBuffer(written));
    t.is(written!.length, 4096);
    t.true(written!.equals(binary), 'written bytes identical');
  },
});

test('copy of a binary file that is already there changes nothing', moduleMacro, {
  module: 'copy',
  args: { src: 'file.bin', dest: '/srv/file.bin' },
  machine: { files: { '/srv/file.bin': binary } },
  controllerFiles: { 'file.bin': binary },
  expect: { changed: false, diff: null },
});

test('the diff of a changed binary file says "Binary files ... differ", not a garbled line diff', async (t) => {
  const other = Buffer.from(binary);
  other[100] = other[100]! ^ 0xff;
  const m = new FakeMachine({ files: { '/srv/file.bin': other } });
  const plan = await runModule(
    { module: 'copy', args: { src: 'file.bin', dest: '/srv/file.bin' }, controllerFiles: { 'file.bin': binary }, expect: { changed: true } },
    m,
  );
  t.true(plan.changed);
  t.is(plan.diffs.length, 1);
  t.true(plan.diffs[0]!.binary);
  t.is(unifiedDiff(plan.diffs[0]!), 'Binary files before: /srv/file.bin and after: /srv/file.bin differ\n');
});

test('a text file replaced by a binary one, and a new binary file, are binary diffs too', async (t) => {
  const text = new FakeMachine({ files: { '/srv/f': 'text\n' } });
  const plan = await runModule(
    { module: 'copy', args: { src: 'f', dest: '/srv/f' }, controllerFiles: { f: Buffer.from([0x61, 0x00, 0x62]) }, expect: { changed: true } },
    text,
  );
  t.is(unifiedDiff(plan.diffs[0]!), 'Binary files before: /srv/f and after: /srv/f differ\n');
  const fresh = new FakeMachine({ dirs: ['/srv'] });
  const created = await runModule({ module: 'copy', args: { src: 'f', dest: '/srv/new' }, controllerFiles: { f: binary }, expect: { changed: true } }, fresh);
  t.is(unifiedDiff(created.diffs[0]!), 'Binary files /srv/new (absent) and after: /srv/new differ\n');
});

test('a UTF-8 text file still gets a unified diff', async (t) => {
  const m = new FakeMachine({ files: { '/etc/motd': 'café\n' } });
  const plan = await runModule({ module: 'copy', args: { content: 'thé\n', dest: '/etc/motd' }, expect: { changed: true } }, m);
  t.falsy(plan.diffs[0]!.binary);
  t.regex(unifiedDiff(plan.diffs[0]!), /^-café\n\+thé$/m);
});

test('lineinfile on a Latin-1 file keeps the other lines byte for byte', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/app.conf', regexp: '^old=', line: 'new=2' },
  machine: { files: { '/etc/app.conf': latin1 } },
  expect: { changed: true, msg: 'line replaced' },
  after: (t, m) => {
    const expected = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nnew=2\n# na'), Buffer.from([0xef]), Buffer.from('ve\n')]);
    t.deepEqual(m.files.get('/etc/app.conf')?.bytes, expected);
  },
});

test('lineinfile on a Latin-1 file: a UTF-8 line from the task is written as UTF-8, matched again as bytes', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/app.conf', line: 'name=thé' },
  machine: { files: { '/etc/app.conf': latin1 } },
  expect: { changed: true, msg: 'line added' },
  after: (t, m) => t.deepEqual(m.files.get('/etc/app.conf')?.bytes, Buffer.concat([latin1, Buffer.from('name=thé\n', 'utf8')])),
});

test("lineinfile: a regexp's . matches one byte of a Latin-1 line, as Ansible's byte regexps do", moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/app.conf', regexp: '^# na.ve$', state: 'absent' },
  machine: { files: { '/etc/app.conf': latin1 } },
  expect: { changed: true, msg: '1 line(s) removed' },
  after: (t, m) => t.deepEqual(m.files.get('/etc/app.conf')?.bytes, latin1.subarray(0, latin1.length - 8)),
});

test('blockinfile on a Latin-1 file keeps the other lines byte for byte', moduleMacro, {
  module: 'blockinfile',
  args: { path: '/etc/app.conf', block: 'a=1' },
  machine: { files: { '/etc/app.conf': latin1 } },
  expect: { changed: true, msg: 'block inserted' },
  after: (t, m) =>
    t.deepEqual(m.files.get('/etc/app.conf')?.bytes, Buffer.concat([latin1, Buffer.from('# BEGIN ANSIBLE MANAGED BLOCK\na=1\n# END ANSIBLE MANAGED BLOCK\n')])),
});

test('the diff of a lineinfile edit on a Latin-1 file is a binary one (no U+FFFD in the output)', async (t) => {
  const m = new FakeMachine({ files: { '/etc/app.conf': latin1 } });
  const plan = await runModule({ module: 'lineinfile', args: { path: '/etc/app.conf', regexp: '^old=', line: 'new=2' }, expect: { changed: true } }, m);
  t.is(unifiedDiff(plan.diffs[0]!), 'Binary files before: /etc/app.conf and after: /etc/app.conf differ\n');
});

const nulCases: [string, Record<string, unknown>, string][] = [
  ['copy', { content: 'x', dest: '/tmp/a\0b' }, 'dest'],
  ['copy', { src: 'a\0b', dest: '/tmp/x' }, 'src'],
  ['template', { src: 't', dest: '/etc/a\0b' }, 'dest'],
  ['lineinfile', { path: '/etc/a\0b', line: 'x' }, 'path'],
  ['blockinfile', { dest: '/etc/a\0b', block: 'x' }, 'path'],
  ['file', { path: '/etc/a\0b', state: 'touch' }, 'path'],
  ['sysctl', { name: 'net.ipv4.ip_forward', value: 1, sysctl_file: '/etc/a\0b' }, 'sysctl_file'],
];

for (const [name, args, field] of nulCases) {
  test(`${name}: a NUL in ${field} is refused with a task error naming the argument`, (t) => {
    const module = getModule(name)!;
    const parsed = module.schema.safeParse(args);
    t.false(parsed.success);
    if (parsed.success) return;
    t.is(formatArgsError(module.name, parsed.error), `${module.name}: '${field}': must not contain a NUL byte`);
  });
}

test('a write to a path with a NUL byte is refused by the fake machine, not written with the NUL dropped', async (t) => {
  const m = new FakeMachine({ dirs: ['/etc'] });
  await t.throwsAsync(m.execute([{ kind: 'write', path: '/etc/a\0b', content: 'x' }]), { message: /contains a NUL byte/ });
  t.false(m.files.has('/etc/ab'));
  t.false(m.files.has('/etc/a\0b'));
});
