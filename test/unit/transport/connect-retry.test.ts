import test from 'ava';
import { describeConnectError } from '../../../src/transport/connect-error.js';
import { backoffDelayMs, defaultConnectRetry, isTransientSetupFailure, withConnectRetry, type RetryClock } from '../../../src/transport/connect-retry.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

/** A clock that sleeps instantly, records the sleeps, and lets an attempt take time. */
function fakeClock(random = 0.5): RetryClock & { sleeps: number[]; advance(ms: number): void } {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    random: () => random,
    advance: (ms) => (t += ms),
  };
}

test('only a connection dropped before the handshake is transient', (t) => {
  t.true(isTransientSetupFailure(withCode('ECONNRESET', 'read ECONNRESET')));
  t.true(isTransientSetupFailure(withCode('EPIPE')));
  t.true(isTransientSetupFailure(new Error('Connection lost before handshake')));
  t.true(isTransientSetupFailure(withCode('ETIMEDOUT', 'No response from server')));
  t.false(isTransientSetupFailure(new Error('All configured authentication methods failed')));
  t.false(isTransientSetupFailure(new Error('Timed out while waiting for handshake')));
  t.false(isTransientSetupFailure(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')));
  t.false(isTransientSetupFailure(withCode('ENOTFOUND')));
  t.false(isTransientSetupFailure(new Error('Host denied (verification failed)')));
  t.is(describeConnectError(withCode('ETIMEDOUT', 'No response from server'), 1000), 'connection closed by the server before the handshake finished');
  t.is(describeConnectError(new Error('Connection lost before handshake'), 1000), 'connection closed by the server before the handshake finished');
});

test('backoff doubles from the base, is capped, and jitters within [half, full)', (t) => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 500 };
  t.deepEqual(
    [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 0)),
    [50, 100, 200, 250, 250],
  );
  t.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 0.999999)),
    [100, 200, 400, 500],
  );
});

test('a transient failure is retried with backoff until the attempt succeeds', async (t) => {
  const clock = fakeClock(0);
  const remaining: number[] = [];
  let calls = 0;
  const result = await withConnectRetry(
    async (remainingMs) => {
      remaining.push(remainingMs);
      if (++calls < 3) throw withCode('ECONNRESET');
      return 'up';
    },
    { timeoutMs: 10_000, clock, policy: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2000 } },
  );
  t.is(result, 'up');
  t.is(calls, 3);
  t.deepEqual(clock.sleeps, [100, 200]);
  // Each attempt gets what is left of the one connect timeout.
  t.deepEqual(remaining, [10_000, 9_900, 9_700]);
});

test('a final failure is never retried', async (t) => {
  for (const err of [new Error('All configured authentication methods failed'), withCode('ECONNREFUSED'), new Error('Timed out while waiting for handshake')]) {
    const clock = fakeClock();
    let calls = 0;
    const thrown = await t.throwsAsync(
      withConnectRetry(
        async () => {
          calls++;
          throw err;
        },
        { timeoutMs: 10_000, clock },
      ),
    );
    t.is(thrown, err);
    t.is(calls, 1);
    t.deepEqual(clock.sleeps, []);
    t.is((thrown as { attempts?: number }).attempts, undefined);
  }
});

test('retries stop after maxAttempts and report how many were made', async (t) => {
  const clock = fakeClock();
  let calls = 0;
  const thrown = await t.throwsAsync(
    withConnectRetry(
      async () => {
        calls++;
        throw new Error('Connection lost before handshake');
      },
      { timeoutMs: 60_000, clock },
    ),
  );
  t.is(calls, defaultConnectRetry.maxAttempts);
  t.is(clock.sleeps.length, defaultConnectRetry.maxAttempts - 1);
  t.is((thrown as { attempts?: number }).attempts, defaultConnectRetry.maxAttempts);
});

test('no retry starts when the backoff would end after the connect timeout', async (t) => {
  const clock = fakeClock(0);
  let calls = 0;
  await t.throwsAsync(
    withConnectRetry(
      async () => {
        calls++;
        clock.advance(900); // each attempt takes 900 ms of a 2 s timeout
        throw withCode('ECONNRESET');
      },
      { timeoutMs: 2_000, clock, policy: { maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 5000 } },
    ),
  );
  // 900 + 200 (sleep) + 900 = 2000: the deadline; no third attempt.
  t.is(calls, 2);
  t.deepEqual(clock.sleeps, [200]);
});

test('a custom retryable predicate can veto a retry (a refused host key)', async (t) => {
  const clock = fakeClock();
  let calls = 0;
  await t.throwsAsync(
    withConnectRetry(
      async () => {
        calls++;
        throw withCode('ECONNRESET');
      },
      { timeoutMs: 10_000, clock, retryable: () => false },
    ),
  );
  t.is(calls, 1);
});
