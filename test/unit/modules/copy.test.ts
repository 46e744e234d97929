import test from 'ava';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { copyModule } from '../../../src/modules/copy.js';

test('copy content creates a new file', moduleMacro, {
  module: 'copy',
  args: { content: 'hello\n', dest: '/etc/motd', mode: '0600' },
  machine: { dirs: ['/etc'] },
  expect: { changed: true, msg: 'created', diff: { before: '', after: 'hello\n' } },
  after: (t, m) => {
    t.is(m.files.get('/etc/motd')?.content, 'hello\n');
    t.is(m.files.get('/etc/motd')?.mode, '0600');
  },
});

test('copy keeps the mode and owner of a file it rewrites', moduleMacro, {
  module: 'ansible.builtin.copy',
  args: { content: 'new\n', dest: '/etc/app.conf' },
  machine: { files: { '/etc/app.conf': { content: 'old\n', mode: '0640', owner: 'app', group: 'adm' } } },
  expect: { changed: true, msg: 'content changed', diff: { before: 'old\n', after: 'new\n' } },
  after: (t, m) => t.like(m.files.get('/etc/app.conf'), { content: 'new\n', mode: '0640', owner: 'app', group: 'adm' }),
});

test('copy changes only the mode, shown as before -> after', moduleMacro, {
  module: 'copy',
  args: { content: 'same\n', dest: '/etc/app.conf', mode: '0600' },
  machine: { files: { '/etc/app.conf': { content: 'same\n', mode: '0644' } } },
  expect: { changed: true, msg: 'mode: 0644 -> 0600', diff: null },
  after: (t, m) => t.is(m.files.get('/etc/app.conf')?.mode, '0600'),
});

test('copy reads an int mode as its value, as Ansible: 420 (YAML 1.1 reads `mode: 0644` so) is 0644', moduleMacro, {
  module: 'copy',
  args: { content: 'x', dest: '/etc/x', mode: 420 },
  machine: { files: { '/etc/x': { content: 'x', mode: '0600' } } },
  expect: { changed: true, msg: 'mode: 0600 -> 0644' },
});

test('copy reads an unquoted decimal mode 644 as Ansible does: the int 644 is 0o1204', moduleMacro, {
  module: 'copy',
  args: { content: 'x', dest: '/etc/x', mode: 644 },
  machine: { files: { '/etc/x': { content: 'x', mode: '0600' } } },
  expect: { changed: true, msg: 'mode: 0600 -> 1204' },
});

test('copy with identical content changes nothing', moduleMacro, {
  module: 'copy',
  args: { content: 'same\n', dest: '/etc/app.conf' },
  machine: { files: { '/etc/app.conf': 'same\n' } },
  expect: { changed: false, diff: null },
});

test('copy src into a directory dest writes the file inside it', moduleMacro, {
  module: 'copy',
  args: { src: 'daemons', dest: '/etc/frr/' },
  machine: { dirs: ['/etc/frr'] },
  controllerFiles: { daemons: 'bgpd=yes\n' },
  expect: { changed: true },
  after: (t, m) => t.is(m.files.get('/etc/frr/daemons')?.content, 'bgpd=yes\n'),
});

test('copy with backup keeps a backup of the old file', moduleMacro, {
  module: 'copy',
  args: { content: 'b\n', dest: '/etc/x.conf', backup: true },
  machine: { files: { '/etc/x.conf': 'a\n' } },
  expect: { changed: true },
  after: (t, m) => t.is(m.files.get('/etc/x.conf.backup~')?.content, 'a\n'),
});

test('copy into a missing directory fails with the directory named', async (t) => {
  const m = new FakeMachine({ dirs: ['/etc'] });
  await t.throwsAsync(runModule({ module: 'copy', args: { content: 'x', dest: '/etc/nope/x' }, expect: { changed: true } }, m), {
    message: 'destination directory /etc/nope does not exist',
  });
});

test('copy refuses unknown arguments and needs content or src', (t) => {
  const schema = copyModule.schema;
  t.false(schema.safeParse({ content: 'x', dest: '/x', bogus: 1 }).success);
  t.false(schema.safeParse({ dest: '/x' }).success);
  t.false(schema.safeParse({ content: 'x', src: 'y', dest: '/x' }).success);
  t.false(schema.safeParse({ content: 'x', dest: '/x', mode: 'u=rw' }).success);
  t.true(schema.safeParse({ content: 'x', dest: '/x', mode: '0644', backup: 'yes' }).success);
});

test('copy content that is not a string is written as Ansible writes it: 42, True, JSON for lists and dicts', (t) => {
  const content = (v: unknown) => copyModule.schema.parse({ dest: '/a', content: v }).content;
  t.is(content(42), '42');
  t.is(content(true), 'True');
  t.is(content([1, 'a', { b: null }]), '[1, "a", {"b": null}]');
  t.is(content({ n: 2, on: [true] }), '{"n": 2, "on": [true]}');
  t.is(content('text'), 'text');
});
