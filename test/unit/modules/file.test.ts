import test from 'ava';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';

test('state=directory creates it with parents and a mode', moduleMacro, {
  module: 'file',
  args: { path: '/etc/frr/conf.d', state: 'directory', mode: '0750', owner: 'frr' },
  machine: { dirs: ['/etc'] },
  expect: { changed: true, msg: 'directory created' },
  after: (t, m) => {
    t.like(m.dirs.get('/etc/frr/conf.d'), { mode: '0750', owner: 'frr' });
    t.true(m.dirs.has('/etc/frr'));
  },
});

test('an existing directory with another mode gets the mode', moduleMacro, {
  module: 'file',
  args: { path: '/srv', state: 'directory', mode: '0700' },
  machine: { dirs: { '/srv': { mode: '0755' } } },
  expect: { changed: true, msg: 'mode: 0755 -> 0700' },
});

test('state=absent removes a file, a tree, and is a no-op when gone', moduleMacro, {
  module: 'file',
  args: { dest: '/etc/old', state: 'absent' },
  machine: { files: { '/etc/old/a': 'x', '/etc/old/b/c': 'y' } },
  expect: { changed: true, msg: 'removed directory' },
  after: (t, m) => {
    t.false(m.dirs.has('/etc/old'));
    t.false(m.files.has('/etc/old/b/c'));
  },
});

test('state=file on a missing path fails as in Ansible', async (t) => {
  await t.throwsAsync(runModule({ module: 'file', args: { path: '/nope', state: 'file', mode: '0600' }, expect: { changed: true } }, new FakeMachine()), {
    message: 'file (/nope) is absent, cannot continue',
  });
});

test('default state of an existing file only fixes attributes', moduleMacro, {
  module: 'file',
  args: { path: '/etc/shadow', owner: 'root', group: 'shadow', mode: '0640' },
  machine: { files: { '/etc/shadow': { content: 's', mode: '0640', owner: 'root', group: 'root' } } },
  expect: { changed: true, msg: 'group: root -> shadow' },
});

test('touch creates a missing file', moduleMacro, {
  module: 'file',
  args: { path: '/var/lib/prov/stamp', state: 'touch' },
  machine: { dirs: ['/var/lib/prov'] },
  expect: { changed: true, msg: 'file created' },
  idempotent: false, // touching an existing file changes its times, so Ansible always reports a change
});

test('a directory where a file is wanted, and a file where a directory is wanted, fail', async (t) => {
  const m = new FakeMachine({ files: { '/etc/f': 'x' }, dirs: ['/etc/d'] });
  await t.throwsAsync(runModule({ module: 'file', args: { path: '/etc/f', state: 'directory' }, expect: { changed: true } }, m), {
    message: '/etc/f exists and is not a directory',
  });
  await t.throwsAsync(runModule({ module: 'file', args: { path: '/etc/d', state: 'file' }, expect: { changed: true } }, m), {
    message: 'file (/etc/d) is a directory, cannot continue',
  });
});

test("the registered result names the path and its state afterwards, as Ansible's does", async (t) => {
  const machine = () => new FakeMachine({ files: { '/etc/environment': 'A=1\n' }, dirs: ['/srv'] });
  t.like(await runModule({ module: 'file', args: { path: '/etc/environment', state: 'touch' }, expect: { changed: true } }, machine()), {
    result: { dest: '/etc/environment', state: 'file' },
  });
  t.like(await runModule({ module: 'file', args: { path: '/etc/environment' }, expect: { changed: false } }, machine()), {
    result: { path: '/etc/environment', state: 'file' },
  });
  t.like(await runModule({ module: 'file', args: { path: '/srv', state: 'directory', mode: '0700' }, expect: { changed: true } }, machine()), {
    result: { path: '/srv', state: 'directory' },
  });
  t.like(await runModule({ module: 'file', args: { path: '/gone', state: 'absent' }, expect: { changed: false } }, machine()), {
    result: { path: '/gone', state: 'absent' },
  });
});
