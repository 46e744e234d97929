import test from 'ava';
import { moduleMacro } from '../../helpers/module-macro.js';
import { commandModule, shellModule } from '../../../src/modules/command.js';
import { FakeFile } from '../../helpers/fake-machine.js';

test('a command always changes and finish() reports rc and output', moduleMacro, {
  module: 'command',
  args: { cmd: 'vtysh -c "show bgp summary"' },
  machine: { commands: [{ match: /^vtysh/, respond: { stdout: 'line1\nline2\n' } }] },
  expect: { changed: true, skipInCheck: false, finish: { failed: false } },
  after: (t, m, results) => {
    t.deepEqual(m.executed, ["vtysh -c 'show bgp summary'"], 'split into words as Ansible does, each quoted');
    const fin = commandModule.finish!(commandModule.schema.parse({ cmd: 'x' }), { changed: true, actions: [], diffs: [] }, results);
    t.like(fin.result, { rc: 0, stdout: 'line1\nline2', stdout_lines: ['line1', 'line2'] });
  },
  idempotent: false,
});

test('a non-zero exit fails the task in finish()', moduleMacro, {
  module: 'shell',
  args: { _raw_params: 'false' },
  machine: { commands: [{ match: 'false', respond: { code: 1, stderr: 'boom\n' } }] },
  expect: { changed: true, finish: { failed: true, msg: 'non-zero return code 1: boom' } },
  idempotent: false,
});

test('creates: runs once, then the file says it is done', moduleMacro, {
  module: 'command',
  args: { _raw_params: 'ssh-keygen -A creates=/etc/ssh/ssh_host_ed25519_key' },
  machine: {
    dirs: ['/etc/ssh'],
    commands: [{ match: /^ssh-keygen -A$/, respond: (_cmd, m) => void m.files.set('/etc/ssh/ssh_host_ed25519_key', new FakeFile('k', { mode: '0600' })) }],
  },
  expect: { changed: true },
  after: (t, m) => t.deepEqual(m.executed, ['ssh-keygen -A']),
  simulate: false, // the simulator cannot know what an arbitrary command creates
});

test('removes: skipped when the path is gone', moduleMacro, {
  module: 'shell',
  args: { cmd: 'rm /tmp/flag', removes: '/tmp/flag' },
  machine: { dirs: ['/tmp'] },
  expect: { changed: false, msg: 'skipped, since /tmp/flag does not exist' },
});

test('in check mode a command without creates/removes is skipped, with them it is predicted', moduleMacro, {
  module: 'command',
  args: { cmd: 'make install' },
  checkMode: true,
  expect: { changed: true, skipInCheck: true },
  idempotent: false,
});

test('in check mode creates decides: changed, not skipped', moduleMacro, {
  module: 'command',
  args: { cmd: 'make install', creates: '/usr/local/bin/x', chdir: '/src' },
  checkMode: true,
  expect: { changed: true, skipInCheck: false, msg: 'command would have run' },
  idempotent: false,
});

test('argv is quoted word by word; chdir and stdin reach the action', async (t) => {
  const { FakeMachine } = await import('../../helpers/fake-machine.js');
  const { runModule } = await import('../../helpers/module-macro.js');
  const plan = await runModule(
    { module: 'command', args: { argv: ['echo', 'a b', "it's"], chdir: '/tmp', stdin: 'x' }, expect: { changed: true } },
    new FakeMachine(),
  );
  t.deepEqual(plan.actions, [{ kind: 'exec', command: "echo 'a b' 'it'\\''s'", mustSucceed: false, cwd: '/tmp', stdin: 'x\n' }]);
});

test('schemas: exactly one command form; shell has executable, command has argv', (t) => {
  t.false(commandModule.schema.safeParse({}).success);
  t.false(commandModule.schema.safeParse({ cmd: 'a', _raw_params: 'b' }).success);
  t.false(commandModule.schema.safeParse({ cmd: 'a', executable: '/bin/bash' }).success);
  t.true(shellModule.schema.safeParse({ cmd: 'a', executable: '/bin/bash' }).success);
  t.false(shellModule.schema.safeParse({ argv: ['a'] }).success);
  t.like(commandModule.schema.parse({ _raw_params: "echo  'x  y' chdir=/tmp" }), { _raw_params: "echo  'x  y'", chdir: '/tmp' });
});

test('command is not run by a shell: ${Version}, ; and > reach the program as written (as in Ansible)', async (t) => {
  const { FakeMachine } = await import('../../helpers/fake-machine.js');
  const { runModule } = await import('../../helpers/module-macro.js');
  const plan = await runModule(
    { module: 'command', args: { _raw_params: 'dpkg-query -W -f=${Version} frr; rm -rf / > x' }, expect: { changed: true } },
    new FakeMachine(),
  );
  t.like(plan.actions[0], { command: "dpkg-query -W '-f=${Version}' 'frr;' rm -rf / '>' x" });
  t.false(commandModule.schema.safeParse({ cmd: "echo 'unbalanced" }).success, 'an unclosed quote is an argument error');
});
