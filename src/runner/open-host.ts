import { ProvError, errorMessage } from '../errors.js';
import { gatherFacts } from '../facts/gather.js';
import { connectionOf, type ConnectionDefaults } from '../inventory/connection.js';
import { createRemoteDriver } from '../state/driver.js';
import { createTransport, type TransportOptions } from '../transport/create.js';
import type { HostOpener } from './types.js';

export type OpenOptions = TransportOptions & { connectionDefaults?: ConnectionDefaults };

/** The real way to open a host: SSH (or local) transport, one round trip of facts, a driver. */
export function transportOpener(o: OpenOptions): HostOpener {
  return async (host, vars) => {
    const conn = connectionOf(vars, host, { defaults: o.connectionDefaults });
    const transport = createTransport(host, conn, o);
    await transport.connect();
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
