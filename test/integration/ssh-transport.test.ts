import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { hostname, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ProvError } from '../../src/core/errors.js';
import { gatherFacts } from '../../src/facts/gather.js';
import type { Connection } from '../../src/inventory/types.js';
import { createSshTransport, type SshTransportOptions } from '../../src/transport/ssh.js';
import type { Transport } from '../../src/core/transport.js';
import { freePort, startSshd, type Sshd } from '../helpers/sshd.js';

const run = promisify(execFile);
let sshd: Sshd;
let scratch: string;
const open: Transport[] = [];

/**
 * sudo is not installed on the build machine, so the sessions' PATH starts with a stand-in
 * `sudo` that accepts exactly what the transport sends (`-n -H -u USER -- sh -c CMD`), logs each
 * call, and switches user with util-linux runuser. The become tests check the command line, the
 * user switch, stdin and cwd through it; they do not test sudo's own policy.
 */
async function writeFakeSudo(dir: string): Promise<void> {
  const script = [
    '#!/bin/sh',
    `echo "$*" >> ${join(dir, 'sudo.log')}`,
    '[ "$1" = -n ] && [ "$2" = -H ] && [ "$3" = -u ] && [ "$5" = -- ] || { echo "fake sudo: unexpected arguments: $*" >&2; exit 1; }',
    'user=$4; shift 5',
    'exec runuser -u "$user" -- "$@"',
    '',
  ].join('\n');
  await writeFile(join(dir, 'sudo'), script, { mode: 0o755 });
}

test.before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'prov-ssh-test-'));
  await writeFakeSudo(scratch);
  sshd = await startSshd({ pathPrefix: [scratch] });
});

test.after.always(async () => {
  await Promise.all(open.map((t) => t.close()));
  await sshd?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    address: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    privateKeyFile: sshd.keyFile,
    become: false,
    becomeUser: 'root',
    knownHostsFile: sshd.knownHostsFile,
    kind: 'ssh',
    ...overrides,
  };
}

function transport(conn: Connection = connection(), options: SshTransportOptions = {}): Transport {
  const t = createSshTransport('h1', conn, { knownHostsFiles: conn.knownHostsFile ? [conn.knownHostsFile] : [], ...options });
  open.push(t);
  return t;
}

async function provError(t: { throwsAsync: (p: Promise<unknown>) => Promise<unknown> }, promise: Promise<unknown>): Promise<ProvError> {
  const err = await t.throwsAsync(promise);
  if (!(err instanceof ProvError)) throw new Error(`expected a ProvError, got ${String(err)}`);
  return err;
}

/** Prints the pid of the sshd session process that serves this command's connection. */
const sessionPid = `p=$PPID; while [ "$(cat /proc/$p/comm)" != sshd ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done; echo $p`;

async function establishedTo(port: number): Promise<number> {
  const { stdout } = await run('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`]);
  return stdout.split('\n').filter((line) => line.trim() !== '').length;
}

for (const execMode of ['shell', 'channel'] as const) {
  const modeTransport = () => transport(connection(), { execMode });

  test.serial(`[${execMode}] exec returns stdout, stderr and the exit code without throwing`, async (t) => {
    const ssh = modeTransport();
    t.deepEqual(await ssh.exec('echo out; echo err >&2; exit 3'), { stdout: 'out\n', stderr: 'err\n', code: 3 });
    t.deepEqual(await ssh.exec('printf "no newline"'), { stdout: 'no newline', stderr: '', code: 0 });
  });

  test.serial(`[${execMode}] exec passes stdin through and honours cwd`, async (t) => {
    const ssh = modeTransport();
    const piped = await ssh.exec('cat; printf "|%s" "$(pwd)"', { stdin: 'line one\nline two', cwd: '/tmp' });
    t.deepEqual(piped, { stdout: 'line one\nline two|/tmp', stderr: '', code: 0 });
    t.not((await ssh.exec('true', { cwd: '/does/not/exist' })).code, 0);
    t.is((await ssh.exec('cat')).stdout, '', 'without stdin a command reads an empty input');
    const big = 'x'.repeat(1_000_000) + 'é\n';
    t.is((await ssh.exec('wc -c')).stdout.trim(), '0');
    t.is((await ssh.exec('wc -c', { stdin: big })).stdout.trim(), String(Buffer.byteLength(big)));
  });

  test.serial(`[${execMode}] multi-byte output survives chunking and is not trimmed`, async (t) => {
    const ssh = modeTransport();
    const result = await ssh.exec(`i=0; while [ $i -lt 20000 ]; do printf 'é'; i=$((i+1)); done; printf '\\n\\n'`);
    t.is(result.stdout, `${'é'.repeat(20000)}\n\n`);
  });

  test.serial(`[${execMode}] syntax errors, exit and cd in a command do not affect the next one`, async (t) => {
    const ssh = modeTransport();
    t.is((await ssh.exec(`echo 'unbalanced`)).code, 2);
    t.is((await ssh.exec('cd /tmp; exit 7')).code, 7);
    t.deepEqual(await ssh.exec('pwd; echo "[$FOO]"', { cwd: '/' }), { stdout: '/\n[]\n', stderr: '', code: 0 });
    t.is((await ssh.exec('FOO=1; set -e; false')).code, 1);
    t.is((await ssh.exec('echo "[$FOO]"')).stdout, '[]\n');
  });

  test.serial(`[${execMode}] every exec reuses one connection`, async (t) => {
    const before = await establishedTo(sshd.port);
    const ssh = modeTransport();
    const sessions = new Set<string>();
    for (let i = 0; i < 20; i++) sessions.add((await ssh.exec(sessionPid)).stdout.trim());
    const parallel = await Promise.all(Array.from({ length: 20 }, () => ssh.exec(sessionPid)));
    for (const r of parallel) sessions.add(r.stdout.trim());
    t.is(sessions.size, 1);
    t.regex([...sessions][0]!, /^\d+$/);
    t.is(await establishedTo(sshd.port), before + 1);
    const other = transport();
    t.not((await other.exec(sessionPid)).stdout.trim(), [...sessions][0]);
  });

  test.serial(`[${execMode}] a connection lost mid-command rejects that exec and later ones as unreachable`, async (t) => {
    const ssh = modeTransport();
    await ssh.connect();
    // Kill this connection's sshd session process from inside it: the TCP connection drops.
    const err = await provError(t, ssh.exec(`sleep 0.2; kill -9 $(${sessionPid}); sleep 5`));
    t.is(err.kind, 'unreachable');
    t.regex(err.message, /^h1: connection lost: /);
    const next = await provError(t, ssh.exec('true'));
    t.regex(next.message, /^h1: connection lost: /);
  });

  test.serial(`[${execMode}] become runs the command as the become user through sudo, with stdin and cwd`, async (t) => {
    await rm(join(scratch, 'sudo.log'), { force: true });
    const ssh = transport(connection({ become: true, becomeUser: 'nobody' }), { execMode });
    const result = await ssh.exec('id -un; cat; pwd', { stdin: 'from stdin\n', cwd: '/' });
    t.deepEqual(result, { stdout: 'nobody\nfrom stdin\n/\n', stderr: '', code: 0 });
    t.is((await ssh.exec('exit 4')).code, 4);
    const calls = (await readFile(join(scratch, 'sudo.log'), 'utf8')).trim().split('\n');
    t.deepEqual(calls, [`-n -H -u nobody -- sh -c cd -- / && id -un; cat; pwd`, '-n -H -u nobody -- sh -c exit 4']);
  });

  test.serial(`[${execMode}] become is not applied when the login user is the become user`, async (t) => {
    await rm(join(scratch, 'sudo.log'), { force: true });
    const ssh = transport(connection({ become: true, becomeUser: 'root' }), { execMode });
    t.is((await ssh.exec('id -un')).stdout, 'root\n');
    t.false(
      await readFile(join(scratch, 'sudo.log'), 'utf8').then(
        () => true,
        () => false,
      ),
    );
  });
}

test.serial('[shell] a command that kills its persistent shell reads as killed; the next exec works', async (t) => {
  const ssh = transport();
  const killed = await ssh.exec('echo before; kill -9 $PPID; sleep 1');
  t.deepEqual(killed, { stdout: 'before\n', stderr: '', code: 255 });
  t.is((await ssh.exec('echo after')).stdout, 'after\n');
});

test.serial('a wrong host key in known_hosts is refused with a clear message', async (t) => {
  const keyFile = join(scratch, 'other_host_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  const [type, key] = (await readFile(`${keyFile}.pub`, 'utf8')).split(' ');
  const knownHostsFile = join(scratch, 'wrong_known_hosts');
  await writeFile(knownHostsFile, `# a comment\n[127.0.0.1]:${sshd.port} ${type} ${key}\n`);
  const err = await provError(t, transport(connection({ knownHostsFile })).connect());
  t.is(err.kind, 'unreachable');
  t.is(
    err.message,
    `h1: host key for [127.0.0.1]:${sshd.port} does not match ${knownHostsFile}:2 (possible man-in-the-middle); remove the old entry if the key changed on purpose`,
  );
});

test.serial('an unknown host key is refused, then recorded with trustNewHostKeys', async (t) => {
  const knownHostsFile = join(scratch, 'new_known_hosts');
  await writeFile(knownHostsFile, '');
  const refused = await provError(t, transport(connection({ knownHostsFile })).connect());
  t.is(refused.kind, 'unreachable');
  t.regex(refused.message, /^h1: host key for \[127\.0\.0\.1\]:\d+ is not known \(ssh-ed25519 SHA256:\S+\); .*--trust-new-host-keys$/);

  await transport(connection({ knownHostsFile }), { trustNewHostKeys: true }).connect();
  const hostPub = (await readFile(`${sshd.hostKeyFile}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
  t.is(await readFile(knownHostsFile, 'utf8'), `[127.0.0.1]:${sshd.port} ${hostPub}\n`);

  const again = transport(connection({ knownHostsFile }));
  t.is((await again.exec('echo ok')).stdout, 'ok\n');
});

test.serial('a closed port is unreachable at once, naming host and address', async (t) => {
  const port = await freePort();
  const started = Date.now();
  const err = await provError(t, transport(connection({ port })).connect());
  t.true(Date.now() - started < 2000);
  t.is(err.kind, 'unreachable');
  t.is(err.message, `h1: cannot connect to 127.0.0.1:${port}: connection refused`);
  t.is(err.exitCode, 3);
});

test.serial('a server that never answers times out after connectTimeoutMs', async (t) => {
  const silent: Server = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => silent.close());
  const address = silent.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const started = Date.now();
  const err = await provError(t, transport(connection({ port }), { connectTimeoutMs: 300 }).connect());
  t.true(Date.now() - started < 3000);
  t.is(err.message, `h1: cannot connect to 127.0.0.1:${port}: timed out after 300 ms`);
});

test.serial('a key the server does not accept fails authentication, naming what was tried', async (t) => {
  const keyFile = join(scratch, 'stranger_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  const err = await provError(t, transport(connection({ privateKeyFile: keyFile })).connect());
  t.is(err.kind, 'unreachable');
  t.regex(err.message, new RegExp(`^h1: cannot connect to 127\\.0\\.0\\.1:${sshd.port}: authentication failed for user root \\(tried key ${keyFile}`));
});

test.serial('facts are gathered over SSH in one exec', async (t) => {
  const ssh = transport();
  await ssh.connect();
  let calls = 0;
  const facts = await gatherFacts((command) => {
    calls++;
    return ssh.exec(command);
  });
  t.is(calls, 1);
  t.is(facts.kernel, release()); // the sshd runs on this machine
  t.is(facts.hostname, hostname());
  t.true(facts.interfaces.some((i) => i.name === 'lo'));
});
