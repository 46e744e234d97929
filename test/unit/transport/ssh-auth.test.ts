import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvError } from '../../../src/core/errors.js';
import { planAuth } from '../../../src/transport/ssh-auth.js';

const home = mkdtempSync(join(tmpdir(), 'prov-auth-'));
test.after.always(() => rmSync(home, { recursive: true, force: true }));
mkdirSync(join(home, '.ssh'));
const keygen = (file: string, passphrase = '') => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', file]);
keygen(join(home, '.ssh', 'id_ed25519'));
keygen(join(home, 'deploy_key'));
keygen(join(home, 'locked_key'), 'secret');
writeFileSync(join(home, 'not_a_key'), 'hello\n');

test('an inventory key file comes first, then the agent; default keys are not added', async (t) => {
  const plan = await planAuth('r1', 'admin', join(home, 'deploy_key'), { SSH_AUTH_SOCK: '/run/agent.sock' }, home);
  t.deepEqual(plan.described, [`key ${join(home, 'deploy_key')}`, 'ssh-agent']);
  t.deepEqual(
    plan.attempts.map((a) => [a.type, a.username]),
    [
      ['publickey', 'admin'],
      ['agent', 'admin'],
    ],
  );
});

test('without a key file: the agent, then ~/.ssh/id_ed25519', async (t) => {
  t.deepEqual((await planAuth('r1', 'root', undefined, { SSH_AUTH_SOCK: '/a' }, home)).described, ['ssh-agent', `key ${join(home, '.ssh', 'id_ed25519')}`]);
  t.deepEqual((await planAuth('r1', 'root', undefined, {}, home)).described, [`key ${join(home, '.ssh', 'id_ed25519')}`]);
});

test('unusable credentials are one-line unreachable errors naming host and file', async (t) => {
  const missing = await t.throwsAsync(planAuth('r1', 'root', join(home, 'nope'), {}, home), { instanceOf: ProvError });
  t.is(missing?.message, `r1: private key ${join(home, 'nope')} does not exist`);
  const locked = await t.throwsAsync(planAuth('r1', 'root', join(home, 'locked_key'), {}, home), { instanceOf: ProvError });
  t.regex(locked?.message ?? '', /^r1: cannot use private key .*locked_key \(passphrase-protected or not a private key\); load it into ssh-agent$/);
  await t.throwsAsync(planAuth('r1', 'root', join(home, 'not_a_key'), {}, home), { instanceOf: ProvError });
  // With an agent the locked key is left to the agent.
  t.deepEqual((await planAuth('r1', 'root', join(home, 'locked_key'), { SSH_AUTH_SOCK: '/a' }, home)).described, ['ssh-agent']);
  const none = await t.throwsAsync(planAuth('r1', 'root', undefined, {}, join(home, 'empty')), { instanceOf: ProvError });
  t.is((none as ProvError).kind, 'unreachable');
});

test('a public key given as the private key is named as such, with or without an agent', async (t) => {
  const pub = join(home, 'deploy_key.pub');
  for (const env of [{}, { SSH_AUTH_SOCK: '/a' }]) {
    const err = await t.throwsAsync(planAuth('r1', 'root', pub, env, home), { instanceOf: ProvError });
    t.is(err?.message, `r1: ${pub} is a public key; ansible_ssh_private_key_file needs the private key`);
    t.is((err as ProvError).kind, 'unreachable');
  }
});
