import { ProvError, errorMessage } from '../core/errors.js';
import { gatherFacts } from '../facts/gather.js';
import { connectionOf, type ConnectionDefaults } from '../inventory/connection.js';
import type { Vars } from '../inventory/types.js';
import { createRemoteDriver } from '../state/driver.js';
import { createTransport, type TransportOptions } from '../transport/create.js';
import type { Transport } from '../core/transport.js';
import type { HostOpener } from './types.js';

export type OpenOptions = TransportOptions & { connectionDefaults?: ConnectionDefaults };

/**
 * The one way prov reaches an inventory host (apply, verify, chaos): the transport its variables
 * ask for (`ansible_connection: local`, else SSH with its host, port, user and key), not yet
 * connected (an SSH transport connects on its first command).
 */
export function hostTransport(host: string, vars: Vars, o: OpenOptions): Transport {
  return createTransport(host, connectionOf(vars, host, { defaults: o.connectionDefaults }), o);
}

/** hostTransport, connected. Throws ProvError('unreachable') when it cannot connect. */
export async function openTransport(host: string, vars: Vars, o: OpenOptions): Promise<Transport> {
  const transport = hostTransport(host, vars, o);
  await transport.connect();
  return transport;
}

/** The real way to open a host for a playbook: a transport, one round trip of facts, a driver. */
export function transportOpener(o: OpenOptions): HostOpener {
  return async (host, vars) => {
    const transport = await openTransport(host, vars, o);
    try {
      const facts = await gatherFacts((cmd) => transport.exec(cmd));
      return { driver: createRemoteDriver(transport), facts };
    } catch (err) {
      await transport.close().catch(() => undefined);
      if (err instanceof ProvError) throw err;
      throw new ProvError('unreachable', `${host}: gathering facts failed: ${errorMessage(err)}`, { cause: err });
    }
  };
}
