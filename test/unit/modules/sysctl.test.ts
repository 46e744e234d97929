import test from 'ava';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { editSysctlFile, sysctlModule } from '../../../src/modules/sysctl.js';

const FILE = '/etc/sysctl.d/90-prov.conf';

test('sets the runtime value and the persistent file', moduleMacro, {
  module: 'sysctl',
  args: { name: 'net.ipv4.ip_forward', value: 1, sysctl_file: FILE },
  machine: { dirs: ['/etc/sysctl.d'], queries: { 'sysctl:net.ipv4.ip_forward': '0\n' } },
  expect: { changed: true, msg: `${FILE} updated, value 0 -> 1`, diff: { before: '', after: 'net.ipv4.ip_forward=1\n' }, finish: { failed: false } },
  after: (t, m) => {
    t.is(m.files.get(FILE)?.content, 'net.ipv4.ip_forward=1\n');
    t.deepEqual(m.executed, ['sysctl -w net.ipv4.ip_forward=1']);
  },
});

test('a value already right in the file and at run time is no change', moduleMacro, {
  module: 'ansible.posix.sysctl',
  args: { name: 'net.ipv4.fib_multipath_hash_policy', value: '1', sysctl_file: FILE },
  machine: { files: { [FILE]: '# prov\nnet.ipv4.fib_multipath_hash_policy = 1\n' }, queries: { 'sysctl:net.ipv4.fib_multipath_hash_policy': '1\n' } },
  expect: { changed: false },
});

test('only the runtime differs: sysctl -w, file untouched', moduleMacro, {
  module: 'sysctl',
  args: { name: 'net.ipv4.ip_forward', value: true, sysctl_file: FILE },
  machine: { files: { [FILE]: 'net.ipv4.ip_forward=1\n' }, queries: { 'sysctl:net.ipv4.ip_forward': '0' } },
  expect: { changed: true, msg: 'value 0 -> 1', diff: null },
});

test('sysctl -w exiting 0 with an error on stderr fails the task', moduleMacro, {
  module: 'sysctl',
  args: { name: 'net.ipv4.ip_forward', value: 1, sysctl_file: FILE, reload: true },
  machine: {
    files: { [FILE]: 'net.ipv4.ip_forward=1\n' },
    queries: { 'sysctl:net.ipv4.ip_forward': '0' },
    commands: [{ match: /^sysctl -w /, respond: { code: 0, stderr: 'sysctl: permission denied on key "net.ipv4.ip_forward"\n' } }],
  },
  expect: { changed: true, finish: { failed: true, msg: 'setting net.ipv4.ip_forward failed: sysctl: permission denied on key "net.ipv4.ip_forward"' } },
  idempotent: false,
});

test('reload=false and sysctl_set=false touch only the file and never read the runtime value', moduleMacro, {
  module: 'sysctl',
  args: { name: 'net.core.optmem_max', value: 81920, sysctl_file: FILE, reload: false },
  machine: { files: { [FILE]: 'a.b=1\nnet.core.optmem_max=20480\nnet.core.optmem_max=1\n' } },
  expect: { changed: true, diff: { before: 'a.b=1\nnet.core.optmem_max=20480\nnet.core.optmem_max=1\n', after: 'a.b=1\nnet.core.optmem_max=81920\n' } },
});

test('state=absent removes the key from the file', moduleMacro, {
  module: 'sysctl',
  args: { name: 'net.ipv4.ip_forward', state: 'absent', sysctl_file: FILE },
  machine: { files: { [FILE]: 'x.y=2\nnet.ipv4.ip_forward = 1\n' } },
  expect: { changed: true, diff: { before: 'x.y=2\nnet.ipv4.ip_forward = 1\n', after: 'x.y=2\n' } },
});

test('an unknown key fails when the runtime value cannot be read', async (t) => {
  const m = new FakeMachine({
    dirs: ['/etc/sysctl.d'],
    queries: { 'sysctl:net.bogus': { code: 255, stderr: 'sysctl: cannot stat /proc/sys/net/bogus: No such file or directory\n' } },
  });
  await t.throwsAsync(runModule({ module: 'sysctl', args: { name: 'net.bogus', value: 1, sysctl_file: FILE }, expect: { changed: true } }, m), {
    message: 'sysctl net.bogus: cannot read the running value: sysctl: cannot stat /proc/sys/net/bogus: No such file or directory',
  });
});

test('values are normalised as Ansible does; Ansible default file', (t) => {
  t.is(editSysctlFile('', 'net.ipv4.ip_local_port_range', '1024 65000'), 'net.ipv4.ip_local_port_range=1024 65000\n');
  t.is(editSysctlFile('# c\n; c\nnet/ipv4/ip_forward=0', 'net.ipv4.ip_forward', '1'), '# c\n; c\nnet.ipv4.ip_forward=1\n');
  const parsed = sysctlModule.schema.parse({ name: 'a.b', value: 'x' });
  t.is(parsed.sysctl_file, '/etc/sysctl.conf');
  t.true(parsed.reload);
  t.false(sysctlModule.schema.safeParse({ name: 'a.b' }).success, 'value is required');
  t.false(sysctlModule.schema.safeParse({ name: 'a b', value: 1 }).success);
});

test('whitespace in runtime values does not count as a difference', moduleMacro, {
  module: 'sysctl',
  args: { name: 'net.ipv4.ip_local_port_range', value: '1024   65000', sysctl_file: FILE },
  machine: { files: { [FILE]: 'net.ipv4.ip_local_port_range=1024 65000\n' }, queries: { 'sysctl:net.ipv4.ip_local_port_range': '1024\t65000\n' } },
  expect: { changed: false },
});
