/**
 * Bastions in the SSH transport, against the real loopback sshd of test/helpers/sshd.ts: ProxyJump
 * through that sshd to itself (a channel forwarded by sshd, one bastion connection shared by
 * every host), host keys checked on both hops, and ProxyCommand with real OpenSSH `ssh -W` and a
 * node script as the command.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ProvError } from '../../src/core/errors.js';
import type { Transport } from '../../src/core/transport.js';
import { connectionOf } from '../../src/inventory/connection.js';
import type { Connection, JumpHost } from '../../src/inventory/types.js';
import { openBastionCount } from '../../src/transport/bastion-pool.js';
import { createSshTransport, type SshTransportOptions } from '../../src/transport/ssh.js';
import { freePort, startSshd, type Sshd } from '../helpers/sshd.js';

const run = promisify(execFile);
let sshd: Sshd;
let scratch: string;
const open: Transport[] = [];

test.before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'prov-ssh-proxy-'));
  sshd = await startSshd();
});

test.after.always(async () => {
  await Promise.all(open.map((t) => t.close()));
  await sshd?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function jump(overrides: Partial<JumpHost> = {}): Connection['proxy'] {
  return { kind: 'jump', hops: [{ user: 'root', address: '127.0.0.1', port: sshd.port, ...overrides }] };
}

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

function transport(name: string, conn: Connection, options: SshTransportOptions = {}): Transport {
  const t = createSshTransport(name, conn, { knownHostsFiles: conn.knownHostsFile ? [conn.knownHostsFile] : [], ...options });
  open.push(t);
  return t;
}

async function provError(t: { throwsAsync: (p: Promise<unknown>) => Promise<unknown> }, promise: Promise<unknown>): Promise<ProvError> {
  const err = await t.throwsAsync(promise);
  if (!(err instanceof ProvError)) throw new Error(`expected a ProvError, got ${String(err)}`);
  return err;
}

/** TCP connections this test process has open to the sshd (the forwarded ones are sshd's own). */
async function ownConnectionsToSshd(): Promise<number> {
  const { stdout } = await run('ss', ['-tnpH', 'state', 'established', `( dport = :${sshd.port} )`]);
  return stdout.split('\n').filter((line) => line.includes(`pid=${process.pid},`)).length;
}

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test.serial('ProxyJump: hosts behind one bastion share ONE connection to it, closed with the last host', async (t) => {
  const a = transport('a', connection({ proxy: jump() }));
  const b = transport('b', connection({ proxy: jump() }));
  const [ra, rb] = await Promise.all([a.exec('echo a; echo "$SSH_CONNECTION"'), b.exec('echo b')]);
  t.is(ra.stdout.split('\n')[0], 'a');
  t.is(rb.stdout, 'b\n');
  // The target sees a client that is sshd's forwarded connection, not this process.
  t.is(await ownConnectionsToSshd(), 1);
  t.is(openBastionCount(), 1);
  await a.close();
  t.is((await b.exec('echo still')).stdout, 'still\n', 'the bastion stays while a host uses it');
  await b.close();
  t.true(await eventually(async () => (await ownConnectionsToSshd()) === 0));
  t.is(openBastionCount(), 0);
});

test.serial('ProxyJump from the inventory: -J and -o ProxyJump in ansible_ssh_common_args', async (t) => {
  for (const args of [`-J root@127.0.0.1:${sshd.port}`, `-o ProxyJump=ssh://root@127.0.0.1:${sshd.port}`]) {
    const vars = {
      ansible_host: '127.0.0.1',
      ansible_port: sshd.port,
      ansible_user: 'root',
      ansible_ssh_private_key_file: sshd.keyFile,
      prov_known_hosts_file: sshd.knownHostsFile,
      ansible_ssh_common_args: args,
    };
    const h = transport('h', connectionOf(vars, 'h'));
    t.is((await h.exec('echo via')).stdout, 'via\n', args);
    t.is(await ownConnectionsToSshd(), 1, 'one connection: the bastion');
    await h.close();
  }
});

test.serial("ProxyJump checks the bastion's host key", async (t) => {
  // known_hosts names the server [127.0.0.1]:port only; as "localhost" its key is unknown.
  const err = await provError(t, transport('h1', connection({ proxy: jump({ address: 'localhost' }) })).connect());
  t.is(err.kind, 'unreachable');
  t.regex(err.message, new RegExp(`^h1: bastion root@localhost:${sshd.port}: host key for \\[localhost\\]:${sshd.port} is not known \\(ssh-ed25519 SHA256:`));
});

test.serial("ProxyJump checks the target's host key at the end of the channel", async (t) => {
  const err = await provError(t, transport('h1', connection({ address: 'localhost', proxy: jump() })).connect());
  t.regex(err.message, new RegExp(`^h1: host key for \\[localhost\\]:${sshd.port} is not known`));
});

test.serial('ProxyJump with --trust-new-host-keys records both hops in the known_hosts file', async (t) => {
  const knownHostsFile = join(scratch, 'kh-trust');
  await writeFile(knownHostsFile, '');
  const conn = connection({ address: 'localhost', knownHostsFile, proxy: jump({ address: 'localhost', port: sshd.port }) });
  const h = transport('h1', { ...conn, proxy: { kind: 'jump', hops: [{ user: 'root', address: '127.0.0.1', port: sshd.port }] } }, { trustNewHostKeys: true });
  t.is((await h.exec('echo ok')).stdout, 'ok\n');
  await h.close();
  const recorded = await readFile(knownHostsFile, 'utf8');
  t.regex(recorded, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `, 'm'), 'the bastion');
  t.regex(recorded, new RegExp(`^\\[localhost\\]:${sshd.port} ssh-ed25519 `, 'm'), 'the host');
});

test.serial('ProxyJump: a bastion that refuses the connection, and one that cannot reach the host', async (t) => {
  const closed = await freePort();
  const refused = await provError(t, transport('h1', connection({ proxy: jump({ port: closed }) })).connect());
  t.is(refused.message, `h1: bastion root@127.0.0.1:${closed}: cannot connect to 127.0.0.1:${closed}: connection refused`);
  const unreachable = await provError(t, transport('h2', connection({ port: closed, proxy: jump() })).connect());
  t.regex(unreachable.message, new RegExp(`^h2: bastion root@127\\.0\\.0\\.1:${sshd.port} cannot reach 127\\.0\\.0\\.1:${closed}: `));
  t.true(await eventually(async () => openBastionCount() === 0 && (await ownConnectionsToSshd()) === 0));
});

test.serial('ProxyCommand: OpenSSH `ssh -W %h:%p` carries the connection', async (t) => {
  const command =
    `ssh -q -W %h:%p -l %r -p ${sshd.port} -i ${sshd.keyFile} -o BatchMode=yes -o StrictHostKeyChecking=yes ` +
    `-o UserKnownHostsFile=${sshd.knownHostsFile} -o GlobalKnownHostsFile=/dev/null 127.0.0.1`;
  const h = transport('h1', connection({ proxy: { kind: 'command', command } }));
  t.is((await h.exec('echo through')).stdout, 'through\n');
  t.is(await ownConnectionsToSshd(), 0, 'the only TCP connection is the ssh process');
  await h.close();
});

test.serial('ProxyCommand: %h %p %r %% are expanded, the command runs through sh, and is killed on close', async (t) => {
  const script = join(scratch, 'pipe.mjs');
  const log = join(scratch, 'pipe.log');
  await writeFile(
    script,
    [
      "import { connect } from 'node:net';",
      "import { appendFileSync } from 'node:fs';",
      `appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(' ') + ' ' + process.pid + '\\n');`,
      'const s = connect(Number(process.argv[3]), process.argv[2]);',
      'process.stdin.pipe(s); s.pipe(process.stdout);',
      's.on("close", () => process.exit(0));',
      '',
    ].join('\n'),
  );
  const command = `${process.execPath} ${script} %h %p %r 100%%`;
  const conn = connectionOf(
    {
      ansible_host: '127.0.0.1',
      ansible_port: sshd.port,
      ansible_user: 'root',
      ansible_ssh_private_key_file: sshd.keyFile,
      prov_known_hosts_file: sshd.knownHostsFile,
      ansible_ssh_common_args: `-o 'ProxyCommand=${command}' -o ProxyJump=root@ignored.example`,
    },
    'h1',
  );
  const h = transport('h1', conn);
  t.is((await h.exec('echo piped')).stdout, 'piped\n');
  const [args, pid] = (await readFile(log, 'utf8')).trim().split(/ (?=\d+$)/);
  t.is(args, `127.0.0.1 ${sshd.port} root 100%`);
  await h.close();
  t.true(
    await eventually(async () => {
      try {
        process.kill(Number(pid), 0);
        return false;
      } catch {
        return true;
      }
    }),
    'the command is gone after close',
  );
});

test.serial('ProxyCommand that fails: its exit status and last stderr line in one line', async (t) => {
  const err = await provError(
    t,
    transport('h1', connection({ proxy: { kind: 'command', command: `sh -c 'echo "no route to bastion" >&2; exit 3'` } })).connect(),
  );
  t.is(err.kind, 'unreachable');
  t.regex(err.message, new RegExp(`^h1: cannot connect to 127\\.0\\.0\\.1:${sshd.port}: proxy command '.*' exited with status 3: no route to bastion$`));
});
