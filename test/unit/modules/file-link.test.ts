import test from 'ava';
import { describeKey } from '../../../src/modules/file-link.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';

const at = (path: string, what: string) => ({ [describeKey(path)]: what });

test('state=link creates a symlink, idempotent, check mode truthful', moduleMacro, {
  module: 'file',
  args: { path: '/etc/current', src: '/etc/v1', state: 'link' },
  machine: { files: { '/etc/v1': 'x' }, queries: at('/etc/current', 'absent') },
  expect: { changed: true, msg: 'symlink created' },
  after: (t, m) => t.deepEqual(m.executed, ['ln -s -n -f -- /etc/v1 /etc/current']),
});

test('state=link repoints a symlink to another target without force', moduleMacro, {
  module: 'file',
  args: { path: '/etc/current', src: 'v2', state: 'link' },
  machine: { files: { '/etc/v2': 'x' }, queries: at('/etc/current', 'link /etc/v1') },
  expect: { changed: true, msg: 'symlink replaced (was link)' },
});

test('state=link to the target it already has is no change', moduleMacro, {
  module: 'file',
  args: { path: '/etc/current', src: '/etc/v1', state: 'link' },
  machine: { queries: at('/etc/current', 'link /etc/v1') },
  expect: { changed: false },
});

test('state=link over a file needs force, as in Ansible', async (t) => {
  const machine = () => new FakeMachine({ files: { '/etc/v1': 'x', '/etc/current': 'y' }, queries: at('/etc/current', 'file 1:2') });
  await t.throwsAsync(runModule({ module: 'file', args: { path: '/etc/current', src: '/etc/v1', state: 'link' }, expect: { changed: true } }, machine()), {
    message: 'refusing to convert from file to symlink for /etc/current',
  });
  await t.notThrowsAsync(
    runModule({ module: 'file', args: { path: '/etc/current', src: '/etc/v1', state: 'link', force: 'yes' }, expect: { changed: true } }, machine()),
  );
});

test('state=link to a missing src fails unless forced', async (t) => {
  await t.throwsAsync(
    runModule(
      { module: 'file', args: { path: '/etc/l', src: '/nope', state: 'link' }, expect: { changed: true } },
      new FakeMachine({ queries: at('/etc/l', 'absent') }),
    ),
    {
      message: 'src file does not exist, use "force=yes" if you really want to create the link: /nope',
    },
  );
});

test('state=hard makes a hard link, idempotent (same device and inode), check mode truthful', moduleMacro, {
  module: 'file',
  args: { path: '/srv/h', src: '/srv/f', state: 'hard' },
  machine: { files: { '/srv/f': 'x' }, queries: { ...at('/srv/h', 'absent'), ...at('/srv/f', 'file 8:42') } },
  expect: { changed: true, msg: 'hard link created' },
  after: (t, m) => t.deepEqual(m.executed, ['ln -f -- /srv/f /srv/h']),
});

test('state=hard over another file needs force; a missing src fails', async (t) => {
  const args = { path: '/srv/h', src: '/srv/f', state: 'hard' };
  await t.throwsAsync(
    runModule({ module: 'file', args, expect: { changed: true } }, new FakeMachine({ queries: { ...at('/srv/h', 'file 8:1'), ...at('/srv/f', 'file 8:42') } })),
    {
      message: 'Cannot link because a file exists at destination: /srv/h',
    },
  );
  await t.throwsAsync(
    runModule({ module: 'file', args, expect: { changed: true } }, new FakeMachine({ queries: { ...at('/srv/h', 'absent'), ...at('/srv/f', 'absent') } })),
    {
      message: 'src does not exist: /srv/f',
    },
  );
});
