import type { Connection } from '../inventory/types.js';
import { LocalTransport } from './local.js';
import { createSshTransport } from './ssh.js';
import type { Transport } from '../core/transport.js';

export interface TransportOptions {
  trustNewHostKeys: boolean;
  connectTimeoutMs: number;
  /** SSH only: --retries, further connection setups after one that failed in a way that may pass. */
  connectRetries?: number;
  /** SSH only: run each command on its own exec channel instead of one shell session. */
  execMode?: 'shell' | 'channel';
}

/** The transport an inventory host asks for: `ansible_connection: local`, else SSH. */
export function createTransport(host: string, conn: Connection, o: TransportOptions): Transport {
  return conn.kind === 'local'
    ? new LocalTransport(host)
    : createSshTransport(host, conn, {
        trustNewHostKeys: o.trustNewHostKeys,
        connectTimeoutMs: o.connectTimeoutMs,
        connectRetries: o.connectRetries,
        execMode: o.execMode,
      });
}
