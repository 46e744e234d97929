/**
 * A throw-away OpenSSH server for integration tests: Debian's /usr/sbin/sshd on 127.0.0.1 on a
 * free port, with its own ed25519 host key, its own client key in AuthorizedKeysFile, and a
 * known_hosts file that trusts exactly that host key. Run as a child process (`-D -e`); stop()
 * kills it and removes the directory. Call stop() from t.teardown / test.after.always.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dump } from 'js-yaml';

const run = promisify(execFile);
const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Sshd {
  port: number;
  user: 'root';
  /** Client private key accepted by this server. */
  keyFile: string;
  /** known_hosts with this server's host key as `[127.0.0.1]:port ssh-ed25519 …`. */
  knownHostsFile: string;
  /** The host's private key (its `.pub` beside it). */
  hostKeyFile: string;
  dir: string;
  /** sshd's pid (the listener; each connection forks children of it). */
  pid: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function keygen(file: string, comment: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

export interface SshdOptions {
  /** Directories put in front of the sessions' PATH (e.g. a stand-in sudo). */
  pathPrefix?: string[];
  /** More sshd_config lines (e.g. `MaxStartups 2:100:2`). */
  config?: string[];
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'prov-sshd-'));
  const hostKeyFile = join(dir, 'host_ed25519');
  const keyFile = join(dir, 'client_ed25519');
  await Promise.all([keygen(hostKeyFile, 'prov-test-host'), keygen(keyFile, 'prov-test-client')]);
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${keyFile}.pub`));
  const [hostKeyType, hostKey] = (await readFile(`${hostKeyFile}.pub`, 'utf8')).trim().split(/\s+/);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    await writeFile(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKeyFile}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'StrictModes no',
        'UsePAM no',
        'MaxSessions 10',
        'LogLevel ERROR',
        'Subsystem sftp internal-sftp',
        ...(options.config ?? []),
        // sshd runs each command through the login shell, and Debian's bash then reads ~/.bashrc
        // (it does so when run by sshd at SHLVL < 2). A heavy root .bashrc (pyenv init: ~100
        // processes, ~1 s) would be measured as transport latency; SHLVL=1 skips it.
        // (sshd takes only the first SetEnv line, so every variable goes on this one.)
        `SetEnv SHLVL=1${options.pathPrefix ? ` PATH=${[...options.pathPrefix, defaultPath].join(':')}` : ''}`,
        '',
      ].join('\n'),
    );
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));

    const deadline = Date.now() + 10_000;
    while (!exited && Date.now() < deadline && !(await portAccepts(port))) {
      await new Promise((r) => setTimeout(r, 25));
    }
    if (exited || Date.now() >= deadline) {
      child.kill('SIGKILL');
      if (attempt < 3) continue; // the free port may have been taken meanwhile
      await rm(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start on 127.0.0.1:${port}: ${stderr.trim()}`);
    }
    const knownHostsFile = join(dir, 'known_hosts');
    await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${hostKeyType} ${hostKey}\n`);

    const stop = async () => {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
        if (!exited) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    };
    return { port, user: 'root', keyFile, knownHostsFile, hostKeyFile, dir, pid: child.pid ?? 0, stop };
  }
}

/** A test file's target: one sshd and one temp work directory (the only place tests write). */
export interface SshdTarget {
  sshd: Sshd;
  work: string;
}

export async function startSshdTarget(prefix: string, options?: SshdOptions): Promise<SshdTarget> {
  const sshd = await startSshd(options);
  return { sshd, work: await mkdtemp(join(tmpdir(), prefix)) };
}

/** Stops the sshd and removes the work directory; safe when start failed half-way. */
export async function stopSshdTarget(target: Partial<SshdTarget> | undefined): Promise<void> {
  await target?.sshd?.stop();
  if (target?.work) await rm(target.work, { recursive: true, force: true });
}

type Scalar = string | number | boolean;

/**
 * A one-host inventory whose host `box` reaches this sshd as root with its client key and trusts
 * exactly its host key (prov_known_hosts_file). `host` adds or overrides host variables (undefined
 * drops one); `vars` go under all.vars.
 */
export function loopbackInventory(sshd: Sshd, opts: { host?: Record<string, Scalar | undefined>; vars?: Record<string, Scalar> } = {}): string {
  const box: Record<string, Scalar | undefined> = {
    ansible_host: '127.0.0.1',
    ansible_port: sshd.port,
    ansible_user: 'root',
    ansible_ssh_private_key_file: sshd.keyFile,
    prov_known_hosts_file: sshd.knownHostsFile,
    ...opts.host,
  };
  for (const [key, value] of Object.entries(box)) if (value === undefined) delete box[key];
  return dump({ all: { hosts: { box }, ...(opts.vars ? { vars: opts.vars } : {}) } }, { lineWidth: -1 });
}
