import test from 'ava';
import { ProvError } from '../../../src/core/errors.js';
import { LocalTransport } from '../../../src/transport/local.js';

test('a command or cwd with a NUL byte is refused with a one-line error, and nothing runs', async (t) => {
  const local = new LocalTransport('box');
  for (const run of [() => local.exec('echo a\0b'), () => local.exec('true', { cwd: '/tmp/a\0b' })]) {
    const err = await t.throwsAsync(run());
    t.true(err instanceof ProvError);
    t.is(err!.message, 'box: a command or path contains a NUL byte; refused');
  }
  t.is(local.execCount, 0);
});

test('stdin may carry any bytes, NUL included', async (t) => {
  const bytes = Buffer.from([0, 1, 0xff, 0x0a, 0, 0xe9]);
  const result = await new LocalTransport().exec('od -An -tx1 | tr -s " \\n" " "', { stdin: bytes });
  t.is(result.stdout.trim(), '00 01 ff 0a 00 e9');
});
