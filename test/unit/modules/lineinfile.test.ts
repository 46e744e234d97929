import test from 'ava';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { linePresent } from '../../../src/modules/lineinfile-edit.js';
import { splitKeepNewlines } from '../../../src/modules/common/lines.js';

const conf = '# comment\nPermitRootLogin yes\nPort 22\n';

test('regexp replaces the matching line', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/ssh/sshd_config', regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' },
  machine: { files: { '/etc/ssh/sshd_config': conf } },
  expect: { changed: true, msg: 'line replaced', diff: { before: conf, after: '# comment\nPermitRootLogin no\nPort 22\n' } },
});

test('regexp replaces the last match, firstmatch the first', (t) => {
  const lines = splitKeepNewlines('a=1\na=2\n');
  t.is(linePresent(lines, { regexp: '^a=', line: 'a=9' }).lines.join(''), 'a=1\na=9\n');
  t.is(linePresent(lines, { regexp: '^a=', line: 'a=9', firstmatch: true }).lines.join(''), 'a=9\na=2\n');
});

test('without a match the line goes to EOF, adding a missing final newline first', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/x', line: 'new' },
  machine: { files: { '/etc/x': 'a\nb' } },
  expect: { changed: true, msg: 'line added', diff: { before: 'a\nb', after: 'a\nb\nnew\n' } },
});

test('an identical line present already is no change, even when regexp does not match', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/x', regexp: '^nomatch', line: 'b' },
  machine: { files: { '/etc/x': 'a\nb\n' } },
  expect: { changed: false, diff: null },
});

test('insertafter a regexp inserts after its last match', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/x', line: 'inserted', insertafter: '^\\[main\\]' },
  machine: { files: { '/etc/x': '[main]\nkey=1\n[main]\nkey=2\n' } },
  expect: { changed: true, diff: { before: '[main]\nkey=1\n[main]\nkey=2\n', after: '[main]\nkey=1\n[main]\ninserted\nkey=2\n' } },
});

test('insertbefore a regexp, and BOF', (t) => {
  const lines = splitKeepNewlines('a\nmark\nb\n');
  t.is(linePresent(lines, { line: 'x', insertbefore: '^mark' }).lines.join(''), 'a\nx\nmark\nb\n');
  t.is(linePresent(lines, { line: 'x', insertbefore: 'BOF' }).lines.join(''), 'x\na\nmark\nb\n');
  t.is(linePresent(lines, { line: 'x', insertafter: 'BOF' }).lines.join(''), 'x\na\nmark\nb\n');
  t.is(linePresent(lines, { line: 'x', insertafter: 'EOF' }).lines.join(''), 'a\nmark\nb\nx\n');
  t.is(linePresent(lines, { line: 'x', insertafter: '^nothing' }).lines.join(''), 'a\nmark\nb\nx\n', 'no anchor match: EOF');
});

test('insertafter when the anchor is the last line without a newline', (t) => {
  const edit = linePresent(splitKeepNewlines('a\nmark'), { line: 'x', insertafter: '^mark' });
  t.is(edit.lines.join(''), 'a\nmark\nx\n');
  t.false(linePresent(splitKeepNewlines('mark\nx\n'), { line: 'x', insertafter: '^mark' }).changed);
});

test('backrefs fill groups from the match, and do nothing without a match', (t) => {
  const lines = splitKeepNewlines('ListenAddress 0.0.0.0:22\n');
  t.is(
    linePresent(lines, { regexp: '^ListenAddress ([0-9.]+):(\\d+)$', line: 'ListenAddress \\1:\\g<2>2', backrefs: true }).lines.join(''),
    'ListenAddress 0.0.0.0:222\n',
  );
  const none = linePresent(lines, { regexp: '^Nope (.*)', line: 'Nope \\1', backrefs: true });
  t.false(none.changed);
});

test('backrefs with a regexp that excludes the result is idempotent', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/default/grub', regexp: '^(GRUB_CMDLINE_LINUX="(?!.*net\\.ifnames)[^"]*)"$', line: '\\1 net.ifnames=0"', backrefs: true },
  machine: { files: { '/etc/default/grub': 'GRUB_CMDLINE_LINUX="quiet"\n' } },
  expect: { changed: true, diff: { before: 'GRUB_CMDLINE_LINUX="quiet"\n', after: 'GRUB_CMDLINE_LINUX="quiet net.ifnames=0"\n' } },
});

test('state=absent removes every matching line', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/dhcp/dhclient.conf', regexp: 'routers', state: 'absent' },
  machine: { files: { '/etc/dhcp/dhclient.conf': 'a\nrequest routers;\nb\n  routers, x\n' } },
  expect: { changed: true, msg: '2 line(s) removed', diff: { before: 'a\nrequest routers;\nb\n  routers, x\n', after: 'a\nb\n' } },
});

test('state=absent by exact line, and on a missing file', async (t) => {
  const m = new FakeMachine({ files: { '/etc/x': 'keep\ndrop\n' } });
  const plan = await runModule({ module: 'lineinfile', args: { path: '/etc/x', line: 'drop', state: 'absent' }, expect: { changed: true } }, m);
  t.is(plan.diffs[0]?.after, 'keep\n');
  const none = await runModule({ module: 'lineinfile', args: { path: '/etc/none', line: 'drop', state: 'absent' }, expect: { changed: false } }, m);
  t.false(none.changed);
  t.is(none.msg, 'file not present');
});

test('create=true makes the file and its missing directory', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/new/dir/file', line: 'hello', create: true, mode: '0600' },
  machine: { dirs: ['/etc'] },
  expect: { changed: true, diff: { before: '', after: 'hello\n' } },
  after: (t, m) => {
    t.like(m.files.get('/etc/new/dir/file'), { content: 'hello\n', mode: '0600' });
    t.true(m.dirs.has('/etc/new/dir'));
  },
});

test('a missing file without create fails', async (t) => {
  const m = new FakeMachine({ dirs: ['/etc'] });
  await t.throwsAsync(runModule({ module: 'lineinfile', args: { path: '/etc/none', line: 'x' }, expect: { changed: true } }, m), {
    message: 'destination /etc/none does not exist',
  });
});

test('search_string matches a literal substring', moduleMacro, {
  module: 'lineinfile',
  args: { path: '/etc/x', search_string: 'a.b(', line: 'replaced' },
  machine: { files: { '/etc/x': 'axb(\na.b( here\n' } },
  expect: { changed: true, diff: { before: 'axb(\na.b( here\n', after: 'axb(\nreplaced\n' } },
});

test('argument errors: both insertafter and insertbefore, no line, backrefs without regexp', async (t) => {
  const m = new FakeMachine();
  for (const args of [
    { path: '/x', line: 'a', insertafter: 'EOF', insertbefore: 'BOF' },
    { path: '/x' },
    { path: '/x', line: 'a', backrefs: true },
    { path: '/x', line: 'a', bogus: 1 },
  ]) {
    await t.throwsAsync(runModule({ module: 'lineinfile', args, expect: { changed: false } }, m), undefined, JSON.stringify(args));
  }
});
