/**
 * The traffic check's probe: many short TCP connections from a host to address:port with bash's
 * /dev/tcp (no tools needed on the host); each gets its own source port, so the L4 hash spreads
 * them over routers. Address and port come from inventory variables (verify_internet_target,
 * verify_peer_target): they are validated and reach bash as positional arguments, never as
 * script text.
 */
import { isHostAddress } from '../transport/host-address.js';
import { shellQuote } from '../core/transport.js';

export interface TcpTarget {
  address: string;
  port: number;
}

/** `address:port` (or `[v6]:port`) with a host name or IP address and a port 1-65535. */
export function parseTarget(value: string): TcpTarget | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  if (!m) return undefined;
  const address = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (!isHostAddress(address) || port < 1 || port > 65535) return undefined;
  return { address, port };
}

const ONE_CONNECTION = 'exec 3<>"/dev/tcp/$1/$2" && echo prov-verify >&3 && head -c 1 <&3 >/dev/null';

/** A bash script (fed on stdin to `bash -s`) that prints one `ok` per answered connection. */
export function connectionsScript(target: TcpTarget, count: number): string {
  if (!Number.isInteger(target.port) || !Number.isInteger(count)) throw new Error('connectionsScript: port and count must be integers');
  const one = `timeout 3 bash -c ${shellQuote(ONE_CONNECTION)} prov-verify ${shellQuote(target.address)} ${target.port} && echo ok`;
  return `for i in $(seq 1 ${count}); do ( ${one} ) & done; wait\n`;
}
