import test from 'ava';
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForModule, waitScript } from '../../../src/modules/wait-for.js';
import { LocalTransport } from '../../../src/transport/local.js';

const run = (args: unknown) => new LocalTransport().exec(waitScript(waitForModule.schema.parse(args)));

test('waits for a listening port on loopback and times out on a closed one', async (t) => {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  t.teardown(() => server.close());
  const port = (server.address() as { port: number }).port;
  t.is((await run({ port, timeout: 5 })).code, 0);
  server.close();
  await new Promise((r) => setTimeout(r, 50));
  t.is((await run({ port, timeout: 5, state: 'stopped' })).code, 0);
  const started = Date.now();
  t.is((await run({ port, timeout: 1 })).code, 1);
  t.true(Date.now() - started < 4000, 'the loop is bounded by the timeout');
});

test('waits for a path and for a regexp in it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-wait-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const p = join(dir, 'ready');
  t.is((await run({ path: p, timeout: 1 })).code, 1);
  t.is((await run({ path: p, state: 'absent', timeout: 1 })).code, 0);
  await writeFile(p, 'status: up\n');
  t.is((await run({ path: p, timeout: 1 })).code, 0);
  t.is((await run({ path: p, search_regex: 'status: (up|ok)', timeout: 1 })).code, 0);
  t.is((await run({ path: p, search_regex: 'down', timeout: 1 })).code, 1);
});
