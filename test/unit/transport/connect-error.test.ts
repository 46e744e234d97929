import test from 'ava';
import { ChannelLimit } from '../../../src/transport/channel-limit.js';
import { describeConnectError } from '../../../src/transport/connect-error.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

test('connection failures read as one short reason', (t) => {
  t.is(describeConnectError(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 5000), 'connection refused');
  t.is(describeConnectError(withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND r9.invalid'), 5000), 'cannot resolve host name');
  t.is(describeConnectError(withCode('EHOSTUNREACH'), 5000), 'no route to host');
  t.is(describeConnectError(new Error('Timed out while waiting for handshake'), 2500), 'timed out after 2500 ms');
  t.is(describeConnectError(new Error('All configured authentication methods failed'), 1), 'authentication failed');
  t.is(describeConnectError(new Error('first line\nsecond line'), 1), 'first line');
});

test('ChannelLimit never runs more than its maximum at once and runs everything', async (t) => {
  const limit = new ChannelLimit(3);
  let running = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      limit.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return i;
      }),
    ),
  );
  t.is(peak, 3);
  t.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await t.throwsAsync(
    limit.run(async () => Promise.reject(new Error('boom'))),
    { message: 'boom' },
  );
  t.is(await limit.run(async () => 'still works'), 'still works');
});
