import test from 'ava';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';

const notInstalled = { stdout: '', code: 1 };
const policy = (v: string) => `frr:\n  Installed: (none)\n  Candidate: ${v}\n  Version table:\n`;

test('installs a missing package; check mode then sees it installed', moduleMacro, {
  module: 'apt',
  args: { name: 'frr', state: 'present' },
  machine: { queries: { 'package:frr': notInstalled, 'package-candidate:frr': policy('8.4.4-1.1~deb12u1') } },
  expect: { changed: true, msg: 'installed frr' },
  after: (t, m) => {
    t.is(m.executed.length, 1);
    t.regex(
      m.executed[0]!,
      /^if \[ -n "\$\(ls -A \/var\/lib\/dpkg\/updates 2>\/dev\/null\)" \]; then .*dpkg .*--configure -a; fi; DEBIAN_FRONTEND=noninteractive apt-get .* install frr$/,
    );
  },
});

test('an installed package is no change and update_cache does not run', moduleMacro, {
  module: 'package',
  args: { name: ['frr', 'frr-pythontools'], update_cache: true },
  machine: { queries: { 'package:frr': 'install ok installed 8.4.4\n', 'package:frr-pythontools': 'install ok installed 8.4.4\n' } },
  expect: { changed: false },
});

test('update_cache runs apt-get update only before an install', moduleMacro, {
  module: 'package',
  args: { name: 'frr,tcpdump', update_cache: 'yes' },
  machine: { queries: { 'package:frr': 'install ok installed 8.4.4\n', 'package:tcpdump': notInstalled, 'package-candidate:tcpdump': policy('4.99') } },
  expect: { changed: true, msg: 'installed tcpdump' },
  after: (t, m) => {
    t.is(m.executed[0], 'apt-get -q update');
    t.regex(m.executed[1]!, / install tcpdump$/);
  },
});

test('latest upgrades when the candidate is newer', moduleMacro, {
  module: 'package',
  args: { name: 'frr', state: 'latest' },
  machine: { queries: { 'package:frr': 'install ok installed 8.4.2\n', 'package-candidate:frr': policy('8.4.4') } },
  expect: { changed: true },
});

test('absent removes an installed package (config-files state counts as removed)', moduleMacro, {
  module: 'package',
  args: { name: ['nano', 'vim'], state: 'absent', purge: true },
  machine: { queries: { 'package:nano': 'install ok installed 7.2\n', 'package:vim': 'deinstall ok config-files 9.0\n' } },
  expect: { changed: true, msg: 'removed nano' },
  after: (t, m) => t.regex(m.executed[0]!, / purge nano$/),
});

test('an unknown package fails without update_cache', async (t) => {
  const m = new FakeMachine({ queries: { 'package:nope': notInstalled, 'package-candidate:nope': '' } });
  await t.throwsAsync(runModule({ module: 'package', args: { name: 'nope' }, expect: { changed: true } }, m), {
    message: "no package matching 'nope' is available",
  });
});

test('bad package names and states are argument errors', async (t) => {
  const m = new FakeMachine();
  await t.throwsAsync(runModule({ module: 'package', args: { name: 'frr; rm -rf /' }, expect: { changed: true } }, m));
  await t.throwsAsync(runModule({ module: 'package', args: { name: 'frr', state: 'newest' }, expect: { changed: true } }, m));
});

test('cache_valid_time: a cache younger than it is not updated before an install', moduleMacro, {
  module: 'apt',
  args: { name: 'tcpdump', cache_valid_time: 3600 },
  machine: { queries: { 'package:tcpdump': notInstalled, 'package-candidate:tcpdump': policy('4.99'), 'apt-cache-age': '120\n' } },
  expect: { changed: true, msg: 'installed tcpdump' },
  after: (t, m) => {
    t.is(m.executed.length, 1);
    t.regex(m.executed[0]!, / install tcpdump$/);
  },
});

test('cache_valid_time sets update_cache: an older cache is updated first (a templated "3600" too)', moduleMacro, {
  module: 'apt',
  args: { name: 'tcpdump', cache_valid_time: '3600' },
  machine: { queries: { 'package:tcpdump': notInstalled, 'package-candidate:tcpdump': policy('4.99'), 'apt-cache-age': '3601\n' } },
  expect: { changed: true, msg: 'installed tcpdump' },
  after: (t, m) => {
    t.is(m.executed[0], 'apt-get -q update');
    t.regex(m.executed[1]!, / install tcpdump$/);
  },
});

test('cache_valid_time with installed packages changes nothing and reads no cache age', moduleMacro, {
  module: 'apt',
  args: { name: ['procps'], update_cache: true, cache_valid_time: 3600 },
  machine: { queries: { 'package:procps': 'install ok installed 2:4.0.2-3\n' } },
  expect: { changed: false },
});

test('cache_valid_time alone updates a stale cache and leaves a fresh one', async (t) => {
  const stale = await runModule(
    { module: 'apt', args: { cache_valid_time: 3600 }, expect: { changed: true } },
    new FakeMachine({ queries: { 'apt-cache-age': '7200\n' } }),
  );
  t.like(stale, { changed: true, msg: 'cache updated', actions: [{ kind: 'exec', command: 'apt-get -q update' }] });
  const fresh = await runModule(
    { module: 'apt', args: { cache_valid_time: 3600 }, expect: { changed: false } },
    new FakeMachine({ queries: { 'apt-cache-age': '60\n' } }),
  );
  t.like(fresh, { changed: false, actions: [] });
});

test('cache_valid_time must be a whole number of seconds', async (t) => {
  const m = new FakeMachine();
  await t.throwsAsync(runModule({ module: 'apt', args: { name: 'frr', cache_valid_time: 'soon' }, expect: { changed: true } }, m));
  await t.throwsAsync(runModule({ module: 'apt', args: { name: 'frr', cache_valid_time: -1 }, expect: { changed: true } }, m));
});
