import test from 'ava';
import { FakeMachine } from '../../helpers/fake-machine.js';

test('an unanswered query throws instead of guessing', async (t) => {
  const m = new FakeMachine();
  await t.throwsAsync(m.query('systemctl is-active frr', 'service:frr:active'), { message: /no answer for query/ });
});

test('responders match by key or by command; effects of a successful exec override them', async (t) => {
  const m = new FakeMachine({
    responders: [
      { match: /^uname/, respond: 'Linux\n' },
      { match: 'k', respond: { stdout: 'v', code: 3 } },
    ],
  });
  t.is((await m.query('uname -s')).stdout, 'Linux\n');
  t.like(await m.query('anything', 'k'), { stdout: 'v', code: 3 });
  await m.execute([{ kind: 'exec', command: 'set', effects: { k: 'new' } }]);
  t.like(await m.query('anything', 'k'), { stdout: 'new', code: 0 });
});

test('a write needs its directory and keeps the old mode and owner', async (t) => {
  const m = new FakeMachine({ files: { '/etc/x': { content: 'a', mode: '0600', owner: 'app' } } });
  await t.throwsAsync(m.execute([{ kind: 'write', path: '/nope/x', content: '' }]), { message: '/nope/x: cannot create a temporary file in /nope' });
  await m.execute([{ kind: 'write', path: '/etc/x', content: 'b' }]);
  t.like(m.files.get('/etc/x'), { content: 'b', mode: '0600', owner: 'app' });
});

test('a failing exec that must succeed throws; with mustSucceed false it returns', async (t) => {
  const m = new FakeMachine({ commands: [{ match: /^false/, respond: { code: 1, stderr: 'no\n' } }] });
  await t.throwsAsync(m.execute([{ kind: 'exec', command: 'false' }]), { message: "'false' failed (rc=1): no" });
  t.like((await m.execute([{ kind: 'exec', command: 'false', mustSucceed: false }]))[0], { code: 1 });
});
