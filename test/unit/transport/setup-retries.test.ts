import test from 'ava';
import { prov } from '../../helpers/cli.js';
import type { RetryClock } from '../../../src/transport/connect-retry.js';
import { DEFAULT_SETUP_RETRIES, mayPassLater, setupRetryPolicy, withSetupRetries } from '../../../src/transport/setup-retries.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

/** A clock whose sleeps return at once and are recorded. */
function fakeClock(random = 0.5): RetryClock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    random: () => random,
  };
}

/** An opener that fails with the given errors, one per setup, then succeeds; it counts its setups. */
function fakeOpener(failures: Error[]): { open: (n: number) => Promise<string>; setups: number[] } {
  const setups: number[] = [];
  return {
    setups,
    open: async (n) => {
      setups.push(n);
      const err = failures[n - 1];
      if (err) throw err;
      return `connection ${n}`;
    },
  };
}

test('a refused connection is opened again after a backoff, and the third setup succeeds', async (t) => {
  const clock = fakeClock(0.5);
  const opener = fakeOpener([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]);
  const conn = await withSetupRetries(opener.open, { policy: setupRetryPolicy(2), clock });
  t.is(conn, 'connection 3');
  t.deepEqual(opener.setups, [1, 2, 3]);
  // 1 s then 2 s, times the jitter (0.5 + random/2 = 0.75).
  t.deepEqual(clock.sleeps, [750, 1500]);
});

test('the retries run out: the last failure is thrown with the number of setups', async (t) => {
  const clock = fakeClock(0);
  const opener = fakeOpener([withCode('ETIMEDOUT'), withCode('EHOSTUNREACH'), withCode('ECONNREFUSED', 'the last one')]);
  const err = await t.throwsAsync(withSetupRetries(opener.open, { policy: setupRetryPolicy(2), clock }));
  t.is(err?.message, 'the last one');
  t.is((err as { setups?: number }).setups, 3);
  t.deepEqual(opener.setups, [1, 2, 3]);
  t.deepEqual(clock.sleeps, [500, 1000]);
});

test('the backoff doubles and is capped at 8 s', async (t) => {
  const clock = fakeClock(0.999999);
  const opener = fakeOpener(Array.from({ length: 7 }, () => withCode('ECONNREFUSED')));
  await withSetupRetries(opener.open, { policy: setupRetryPolicy(7), clock });
  t.deepEqual(clock.sleeps, [1000, 2000, 4000, 8000, 8000, 8000, 8000]);
});

test('--retries 0: one setup, no sleep', async (t) => {
  const clock = fakeClock();
  const opener = fakeOpener([withCode('ECONNREFUSED')]);
  const err = await t.throwsAsync(withSetupRetries(opener.open, { policy: setupRetryPolicy(0), clock }));
  t.is((err as { setups?: number }).setups, undefined);
  t.deepEqual(opener.setups, [1]);
  t.deepEqual(clock.sleeps, []);
});

test('a failure that would fail the same way again is final at once', async (t) => {
  for (const final of [new Error('All configured authentication methods failed'), withCode('ENOTFOUND'), new Error('Host denied (verification failed)')]) {
    const clock = fakeClock();
    const opener = fakeOpener([final]);
    const err = await t.throwsAsync(withSetupRetries(opener.open, { policy: setupRetryPolicy(5), clock }));
    t.is(err, final);
    t.deepEqual(opener.setups, [1], final.message);
    t.deepEqual(clock.sleeps, []);
  }
});

test('what may pass later: refused, reset, timed out, no route, dropped before the handshake', (t) => {
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']) t.true(mayPassLater(withCode(code)), code);
  t.true(mayPassLater(new Error('Timed out while waiting for handshake')));
  t.true(mayPassLater(new Error('Connection lost before handshake')));
  t.false(mayPassLater(new Error('All configured authentication methods failed')));
  t.false(mayPassLater(withCode('ENOTFOUND')));
  t.false(mayPassLater(withCode('ENOENT', "ENOENT: no such file or directory, open '/no/key'")));
  t.is(DEFAULT_SETUP_RETRIES, 2);
});

test('--retries takes a whole number; anything else exits 5 naming the flag', async (t) => {
  for (const bad of ['-1', 'two', '1.5']) {
    const r = await prov(['apply', 'inv.yml', '--retries', bad]);
    t.is(r.code, 5, bad);
    t.regex(r.stderr, new RegExp(`option '--retries <n>' argument '${bad.replace('.', '\\.')}' is invalid`));
    t.false(/\n\s+at /.test(r.stderr));
  }
});
