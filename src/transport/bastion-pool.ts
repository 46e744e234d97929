/**
 * Jump hosts (ProxyJump / -J): a host behind a bastion is reached over a channel the bastion's
 * sshd forwards to it (a direct-tcpip channel, node-ssh's forwardOut), never a second TCP
 * connection from the controller. ONE connection per bastion is shared by every host that goes
 * through it (same hop chain, user, key and known_hosts files), opened on the first host's
 * connect and closed when the last host using it closes. Its host key is checked as a direct
 * host's is (the same known_hosts files, the same --trust-new-host-keys), and so is the host's
 * own key at the end of the channel. A chain `a,b` reaches b through a, then the host through b.
 */
import type { NodeSSH } from 'node-ssh';
import type { ClientChannel } from 'ssh2';
import { ProvError, errorMessage } from '../core/errors.js';
import type { JumpHost } from '../inventory/types.js';
import { connectSsh, type Carrier, type CarrierStream, type ConnectSettings, type SshEndpoint } from './ssh-connect.js';

/** What a hop's connection is authenticated and checked with: the host's key and known_hosts. */
export interface HopCredentials {
  privateKeyFile?: string;
  knownHostsFile?: string;
}

interface Bastion {
  refs: number;
  ready: Promise<NodeSSH>;
  /** The carrier of this hop's own connection (the previous hop), released with it. */
  via: Carrier | undefined;
}

const bastions = new Map<string, Bastion>();

/** How many bastion connections are open or opening (for tests and diagnostics). */
export function openBastionCount(): number {
  return bastions.size;
}

function hopLabel(hop: JumpHost): string {
  return `bastion ${hop.user}@${hop.address}:${hop.port}`;
}

function poolKey(hops: JumpHost[], creds: HopCredentials, settings: ConnectSettings): string {
  return JSON.stringify([hops, creds.privateKeyFile ?? null, creds.knownHostsFile ?? null, settings.knownHostsFiles ?? null]);
}

function release(key: string, bastion: Bastion): void {
  if (--bastion.refs > 0) return;
  if (bastions.get(key) === bastion) bastions.delete(key);
  bastion.ready.then(
    (ssh) => ssh.dispose(),
    () => undefined,
  );
  bastion.via?.close();
}

/** A share of the connection to the last hop of `hops`, opening it (and the hops before it) if needed. */
async function acquire(host: string, hops: JumpHost[], creds: HopCredentials, settings: ConnectSettings): Promise<{ ssh: NodeSSH; release(): void }> {
  const key = poolKey(hops, creds, settings);
  let bastion = bastions.get(key);
  if (!bastion) {
    const hop = hops[hops.length - 1]!;
    const via = hops.length > 1 ? jumpCarrier(host, hops.slice(0, -1), hop, creds, settings) : undefined;
    const endpoint: SshEndpoint = { address: hop.address, port: hop.port, user: hop.user };
    if (creds.privateKeyFile) endpoint.privateKeyFile = creds.privateKeyFile;
    if (creds.knownHostsFile) endpoint.knownHostsFile = creds.knownHostsFile;
    const created: Bastion = { refs: 0, via, ready: connectSsh(hopLabel(hop), endpoint, settings, via) };
    bastion = created;
    bastions.set(key, created);
    created.ready.then(
      (ssh) => {
        const client = ssh.connection!;
        client.setNoDelay(true);
        // A lost bastion is not reused: the next host to need it opens a new one.
        const forget = () => {
          if (bastions.get(key) === created) bastions.delete(key);
        };
        client.on('close', forget);
        client.on('error', forget);
      },
      () => {
        if (bastions.get(key) === created) bastions.delete(key);
      },
    );
  }
  bastion.refs++;
  const share = bastion;
  try {
    return { ssh: await share.ready, release: () => release(key, share) };
  } catch (err) {
    release(key, share);
    // The same failure reaches every host waiting for this bastion, each with its own name.
    const message = err instanceof ProvError ? err.message : errorMessage(err);
    throw new ProvError('unreachable', `${host}: ${message}`, { cause: err });
  }
}

function forward(ssh: NodeSSH, address: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    ssh.connection!.forwardOut('127.0.0.1', 0, address, port, (err, channel) => (err ? reject(err) : resolve(channel)));
  });
}

/** The carrier of a connection to `target` through `hops`: a channel forwarded by the last hop, per attempt. */
export function jumpCarrier(
  host: string,
  hops: JumpHost[],
  target: { address: string; port: number },
  creds: HopCredentials,
  settings: ConnectSettings,
): Carrier {
  let share: { ssh: NodeSSH; release(): void } | undefined;
  const last = hops[hops.length - 1]!;
  return {
    retryable: true,
    async open(): Promise<CarrierStream> {
      share ??= await acquire(host, hops, creds, settings);
      try {
        const channel = await forward(share.ssh, target.address, target.port);
        return { sock: channel, failure: async () => undefined };
      } catch (err) {
        throw new ProvError('unreachable', `${host}: ${hopLabel(last)} cannot reach ${target.address}:${target.port}: ${errorMessage(err)}`, {
          cause: err,
        });
      }
    },
    close() {
      share?.release();
      share = undefined;
    },
  };
}
