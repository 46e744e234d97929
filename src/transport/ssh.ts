/**
 * The SSH transport: node-ssh opens ONE connection per host, checked against known_hosts, and
 * every exec reuses it (no per-command handshake): by default through persistent remote shells
 * on that connection (ssh-shell.ts), or one exec channel per command. Commands run through
 * `sh -c`, under sudo when the inventory asks for become. Failures to connect and a connection
 * lost mid-run are ProvError('unreachable') with one line naming the host; a lost connection is
 * not reopened (the host is unreachable for the rest of the run). Only the connection's setup is
 * retried, when the server dropped it before the handshake (connect-retry.ts); commands never are.
 * A host behind a jump host (ProxyJump) is reached over a channel of one shared bastion
 * connection (bastion-pool.ts); a ProxyCommand's stdio carries the connection (proxy-command.ts).
 */
import { NodeSSH } from 'node-ssh';
import { ProvError, errorMessage } from '../core/errors.js';
import type { Connection } from '../inventory/types.js';
import { jumpCarrier } from './bastion-pool.js';
import { ChannelLimit } from './channel-limit.js';
import { proxyCommandCarrier } from './proxy-command.js';
import { becomeUserFor, refuseNulInCommand, remoteCommand } from './remote-command.js';
import { connectSsh, type Carrier, type ConnectSettings, type SshEndpoint } from './ssh-connect.js';
import type { Client } from 'ssh2';
import { execWithRetry, isChannelOpenFailure, withChannelRetry } from './ssh-channel.js';
import { RemoteShell } from './ssh-shell.js';
import type { ExecOptions, ExecResult, Transport } from '../core/transport.js';

export interface SshTransportOptions {
  /** Record unknown host keys instead of refusing them (--trust-new-host-keys). */
  trustNewHostKeys?: boolean;
  /** TCP connect + SSH handshake + authentication, default 10 s. */
  connectTimeoutMs?: number;
  /** --retries: further setups after one that failed in a way that may pass (setup-retries.ts), default 0. */
  connectRetries?: number;
  /** known_hosts files to check; default ~/.ssh/known_hosts plus conn.knownHostsFile. */
  knownHostsFiles?: string[];
  /**
   * 'shell' (default): commands go to persistent remote shells on the connection (ssh-shell.ts),
   * about 2-4x cheaper per command. 'channel': one SSH exec channel per command.
   */
  execMode?: 'shell' | 'channel';
}

/** sshd refuses channels beyond MaxSessions (default 10) on one connection. */
const maxConcurrentChannels = 8;
const defaultConnectTimeoutMs = 10_000;

export function createSshTransport(host: string, conn: Connection, options: SshTransportOptions = {}): Transport {
  return new SshTransport(host, conn, options);
}

class SshTransport implements Transport {
  private ssh = new NodeSSH();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private lostReason: string | null = null;
  private closed = false;
  private readonly inFlight = new Set<(err: ProvError) => void>();
  private readonly limit = new ChannelLimit(maxConcurrentChannels);
  private readonly becomeUser: string | null;
  private readonly shells: RemoteShell[] = [];
  private carrier: Carrier | undefined;

  constructor(
    readonly host: string,
    private readonly conn: Connection,
    private readonly options: SshTransportOptions,
  ) {
    this.becomeUser = becomeUserFor(conn);
  }

  connect(): Promise<void> {
    if (!this.connecting) {
      this.connecting = this.open().catch((err: unknown) => {
        this.connecting = null; // a later connect() may try again
        throw err;
      });
    }
    return this.connecting;
  }

  private async open(): Promise<void> {
    const { host, conn } = this;
    const settings: ConnectSettings = {
      // --trust-new-host-keys, or this host's `-o StrictHostKeyChecking=accept-new`.
      trustNewHostKeys: (this.options.trustNewHostKeys ?? false) || conn.trustNewHostKeys === true,
      timeoutMs: this.options.connectTimeoutMs ?? defaultConnectTimeoutMs,
      retries: this.options.connectRetries ?? 0,
      ...(this.options.knownHostsFiles ? { knownHostsFiles: this.options.knownHostsFiles } : {}),
    };
    const endpoint: SshEndpoint = {
      address: conn.address,
      port: conn.port,
      user: conn.user,
      ...(conn.privateKeyFile ? { privateKeyFile: conn.privateKeyFile } : {}),
      ...(conn.knownHostsFile ? { knownHostsFile: conn.knownHostsFile } : {}),
    };
    this.carrier?.close();
    this.carrier = carrierFor(host, conn, endpoint, settings);
    try {
      this.ssh = await connectSsh(host, endpoint, settings, this.carrier);
    } catch (err) {
      this.carrier?.close();
      this.carrier = undefined;
      throw err;
    }
    const client = this.ssh.connection!;
    // Each exec is a few small packets; without TCP_NODELAY Nagle holds them for the peer's
    // delayed ACK (~40 ms per command on loopback).
    client.setNoDelay(true);
    client.on('error', (err) => this.markLost(errorMessage(err)));
    client.on('close', () => this.markLost('connection closed'));
    this.client = client;
  }

  private markLost(reason: string): void {
    if (this.closed || this.lostReason !== null) return;
    this.lostReason = reason;
    this.client = null;
    const err = new ProvError('unreachable', `${this.host}: connection lost: ${reason}`);
    for (const fail of this.inFlight) fail(err);
    this.inFlight.clear();
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    refuseNulInCommand(this.host, command, options.cwd);
    await this.connect();
    const line = remoteCommand(command, { cwd: options.cwd, becomeUser: this.becomeUser });
    const run = this.options.execMode === 'channel' ? this.execOnChannel.bind(this) : this.execInShell.bind(this);
    return this.limit.run(() => run(line, options.stdin));
  }

  /** Runs in an idle persistent shell, opening one when none is free (the limit bounds them). */
  private async execInShell(line: string, stdin: string | Buffer | undefined): Promise<ExecResult> {
    const client = this.liveClient();
    for (const dead of this.shells.filter((s) => !s.alive)) this.shells.splice(this.shells.indexOf(dead), 1);
    let shell = this.shells.find((s) => !s.busy);
    if (!shell) {
      try {
        shell = await withChannelRetry(() => RemoteShell.open(client));
      } catch (err) {
        throw this.execError(err);
      }
      this.shells.push(shell);
    }
    try {
      return await shell.run(line, stdin);
    } catch (err) {
      this.shells.splice(this.shells.indexOf(shell), 1);
      await this.settleDelay();
      if (this.lostReason !== null || this.closed) throw this.execError(err);
      // The command killed its shell (as `kill $$` would): report it as killed, like sshd does.
      return { ...shell.partial(), code: 255 };
    }
  }

  private liveClient(): Client {
    if (this.closed) throw new ProvError('internal', `${this.host}: exec after the transport was closed`);
    if (!this.client) throw new ProvError('unreachable', `${this.host}: connection lost: ${this.lostReason ?? 'not connected'}`);
    return this.client;
  }

  private execError(err: unknown): ProvError {
    if (err instanceof ProvError) return err;
    if (this.lostReason !== null) return new ProvError('unreachable', `${this.host}: connection lost: ${this.lostReason}`, { cause: err });
    const what = isChannelOpenFailure(err) ? 'the server refused a new session' : 'connection lost';
    return new ProvError('unreachable', `${this.host}: ${what}: ${errorMessage(err)}`, { cause: err });
  }

  /** One SSH exec channel per command. */
  private execOnChannel(line: string, stdin: string | Buffer | undefined): Promise<ExecResult> {
    const client = this.liveClient();
    return new Promise<ExecResult>((resolve, reject) => {
      this.inFlight.add(reject);
      const settle = () => this.inFlight.delete(reject);
      execWithRetry(client, line, stdin).then(
        async ({ exited, ...result }) => {
          // A channel closed without exit status: killed, or the connection is going away.
          if (!exited) await this.settleDelay();
          settle();
          if (!exited && this.lostReason !== null) reject(this.execError(new Error(this.lostReason)));
          else resolve(result);
        },
        (err: unknown) => {
          settle();
          reject(this.execError(err));
        },
      );
    });
  }

  /** The connection reports its loss a moment after its channels close. */
  private settleDelay(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 50));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const shell of this.shells.splice(0)) shell.close();
    this.client = null;
    this.ssh.dispose();
    this.carrier?.close();
    this.carrier = undefined;
  }
}

/** What carries the connection: TCP (undefined), a jump host's forwarded channel, or a ProxyCommand. */
function carrierFor(host: string, conn: Connection, endpoint: SshEndpoint, settings: ConnectSettings): Carrier | undefined {
  if (conn.proxy?.kind === 'jump') {
    const creds = {
      ...(endpoint.privateKeyFile ? { privateKeyFile: endpoint.privateKeyFile } : {}),
      ...(endpoint.knownHostsFile ? { knownHostsFile: endpoint.knownHostsFile } : {}),
    };
    return jumpCarrier(host, conn.proxy.hops, conn, creds, settings);
  }
  if (conn.proxy?.kind === 'command') return proxyCommandCarrier(conn.proxy.command, endpoint);
  return undefined;
}
