/** One short reason for a failed SSH connection attempt, from ssh2/net error codes and messages. */
export function describeConnectError(err: unknown, timeoutMs: number): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
  // node-ssh rejects a connection closed before it was ready with code ETIMEDOUT: not a timeout.
  if (/no response from server|connection lost before handshake/i.test(message)) return 'connection closed by the server before the handshake finished';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'cannot resolve host name';
    case 'EHOSTUNREACH':
      return 'no route to host';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ECONNRESET':
      return 'connection reset by peer';
    case 'ETIMEDOUT':
      return `timed out after ${timeoutMs} ms`;
  }
  if (/timed out/i.test(message)) return `timed out after ${timeoutMs} ms`;
  if (/authentication methods failed/i.test(message)) return 'authentication failed';
  return message;
}
