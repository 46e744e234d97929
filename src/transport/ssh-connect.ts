/**
 * Opens one authenticated SSH connection with node-ssh, its host key checked against known_hosts
 * (host-key-verifier.ts), its setup retried when the server dropped it before the handshake
 * (connect-retry.ts): used for a host itself and for each jump host on the way to it
 * (bastion-pool.ts). The connection is carried by TCP, or by a stream the caller opens for each
 * attempt (a channel forwarded by a jump host, a ProxyCommand's stdio). Failures are one line,
 * ProvError('unreachable'), starting with `label`.
 */
import type { Duplex } from 'node:stream';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NodeSSH } from 'node-ssh';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { ProvError, errorMessage } from '../core/errors.js';
import { describeConnectError } from './connect-error.js';
import { isTransientSetupFailure, withConnectRetry } from './connect-retry.js';
import { createHostVerifier } from './host-key-verifier.js';
import { hostLookupName, loadKnownHosts, preferredHostKeyAlgorithms, type KnownHostEntry } from './known-hosts.js';
import { mayPassLater, setupRetryPolicy, withSetupRetries } from './setup-retries.js';
import { planAuth } from './ssh-auth.js';

export interface SshEndpoint {
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string;
  /** Extra known_hosts file of the inventory; new keys are recorded there when trusted. */
  knownHostsFile?: string;
}

export interface ConnectSettings {
  trustNewHostKeys: boolean;
  timeoutMs: number;
  /** Setups after a first one that failed in a way that may pass (setup-retries.ts); default 0. */
  retries?: number;
  /** known_hosts files to check; default ~/.ssh/known_hosts plus the endpoint's knownHostsFile. */
  knownHostsFiles?: string[];
}

/** A stream carrying one connection attempt, and what to say when the attempt failed because of it. */
export interface CarrierStream {
  sock: Duplex;
  /** Why the carrier failed (a proxy command's exit and stderr), if it did. */
  failure(): Promise<string | undefined>;
}

export interface Carrier {
  /** Opens the stream for one attempt. Throws ProvError('unreachable') when it cannot. */
  open(): Promise<CarrierStream>;
  /** Whether an attempt that the server dropped before the handshake may be retried over a new stream. */
  retryable: boolean;
  /** Ends what the carrier holds (a running command, its share of a jump host's connection). */
  close(): void;
}

export function userKnownHostsFile(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

async function knownHostEntries(label: string, files: string[]): Promise<KnownHostEntry[]> {
  try {
    return await loadKnownHosts(files);
  } catch (err) {
    throw new ProvError('unreachable', `${label}: cannot read known_hosts: ${errorMessage(err)}`, { cause: err });
  }
}

/** Connects `ssh` to the endpoint (over `carrier` when given); returns it ready, or throws. */
export async function connectSsh(label: string, endpoint: SshEndpoint, settings: ConnectSettings, carrier?: Carrier): Promise<NodeSSH> {
  const { timeoutMs } = settings;
  const recordFile = endpoint.knownHostsFile ?? userKnownHostsFile();
  const files = settings.knownHostsFiles ?? [userKnownHostsFile(), ...(endpoint.knownHostsFile ? [endpoint.knownHostsFile] : [])];
  const entries = await knownHostEntries(label, files);
  const name = hostLookupName(endpoint.address, endpoint.port);
  const verifier = createHostVerifier({ host: label, name, entries, trustNewHostKeys: settings.trustNewHostKeys, recordFile });
  const auth = await planAuth(label, endpoint.user, endpoint.privateKeyFile);
  const serverHostKey = preferredHostKeyAlgorithms(entries, name);
  let ssh = new NodeSSH();
  let stream: CarrierStream | undefined;
  const attempt = async (remainingMs: number) => {
    ssh = new NodeSSH();
    stream = carrier ? await carrier.open() : undefined;
    try {
      await ssh.connect({
        ...(stream ? { sock: stream.sock } : { host: endpoint.address, port: endpoint.port }),
        username: endpoint.user,
        authHandler: auth.attempts,
        hostVerifier: (blob: Buffer, done: (ok: boolean) => void) => verifier.verify(blob, done),
        readyTimeout: remainingMs,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 3,
        ...(serverHostKey ? { algorithms: { serverHostKey: serverHostKey as ServerHostKeyAlgorithm[] } } : {}),
      });
    } catch (err) {
      ssh.dispose();
      stream?.sock.destroy();
      throw err;
    }
  };
  const mayRetry = (err: unknown) => !verifier.refusal() && (carrier?.retryable ?? true) && !(err instanceof ProvError) && isTransientSetupFailure(err);
  const mayPass = (err: unknown) => !verifier.refusal() && !(err instanceof ProvError) && mayPassLater(err);
  try {
    // Only the setup is retried (a server that dropped it before the handshake, then --retries
    // whole setups after a failure that may pass); never a command.
    await withSetupRetries(() => withConnectRetry(attempt, { timeoutMs, retryable: mayRetry }), {
      policy: setupRetryPolicy(settings.retries ?? 0),
      retryable: mayPass,
    });
  } catch (err) {
    const refusal = verifier.refusal();
    if (refusal) throw new ProvError('unreachable', refusal, { cause: err });
    if (err instanceof ProvError) throw err;
    let reason = (await stream?.failure()) ?? describeConnectError(err, timeoutMs);
    if (reason === 'authentication failed') reason = `authentication failed for user ${endpoint.user} (tried ${auth.described.join(', ')})`;
    const { attempts, setups } = (err ?? {}) as { attempts?: number; setups?: number };
    if (setups) reason += ` (${setups} attempts, --retries ${setups - 1})`;
    else if (attempts) reason += ` (${attempts} attempts)`;
    throw new ProvError('unreachable', `${label}: cannot connect to ${endpoint.address}:${endpoint.port}: ${reason}`, { cause: err });
  }
  return ssh;
}
