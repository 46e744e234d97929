import test from 'ava';
import { execFileSync } from 'node:child_process';
import { becomeUserFor, remoteCommand } from '../../../src/transport/remote-command.js';

test('plain commands run through sh -c', (t) => {
  t.is(remoteCommand("echo 'a b'"), `sh -c 'echo '\\''a b'\\'''`);
});

test('cwd is entered first and the command only runs if that works', (t) => {
  t.is(remoteCommand('ls', { cwd: '/srv/my dir' }), `sh -c 'cd -- '\\''/srv/my dir'\\'' && ls'`);
});

test('become wraps in non-interactive sudo', (t) => {
  t.is(remoteCommand('id -u', { becomeUser: 'root' }), `sudo -n -H -u root -- sh -c 'id -u'`);
});

test('the wrapped command line means the same thing to a real shell', (t) => {
  const line = remoteCommand(`printf '%s|' "$0" 'it'"'"'s'; pwd`, { cwd: '/tmp' });
  t.is(execFileSync('sh', ['-c', line], { encoding: 'utf8' }), "sh|it's|/tmp\n");
});

test('become applies only when asked and the login user differs', (t) => {
  t.is(becomeUserFor({ user: 'admin', become: true, becomeUser: 'root' }), 'root');
  t.is(becomeUserFor({ user: 'root', become: true, becomeUser: 'root' }), null);
  t.is(becomeUserFor({ user: 'admin', become: false, becomeUser: 'root' }), null);
});
