/**
 * `-o ProxyCommand=…` as ssh runs it: the command, its %h (the host's address), %p (port),
 * %r (remote user), %n (the host as given, the address here too) and %% expanded, is run by
 * `/bin/sh -c 'exec …'` on the controller, and the SSH connection is its stdin and stdout. Its
 * stderr is kept, so that a failed connection says why the command failed. The command is run
 * again for each connection attempt and killed when the transport closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { Carrier, CarrierStream, SshEndpoint } from './ssh-connect.js';

/** Expands ssh's % tokens (the parser, src/inventory/ssh-args.ts, has refused any other). */
export function expandProxyCommand(command: string, endpoint: Pick<SshEndpoint, 'address' | 'port' | 'user'>): string {
  const values: Record<string, string> = { h: endpoint.address, n: endpoint.address, p: String(endpoint.port), r: endpoint.user, '%': '%' };
  return command.replace(/%(.)/gs, (token, key: string) => values[key] ?? token);
}

const STDERR_KEPT = 4096;

/** How long a failed attempt waits for the command's exit status, to report it. */
const EXIT_WAIT_MS = 500;

export function proxyCommandCarrier(command: string, endpoint: SshEndpoint): Carrier {
  const expanded = expandProxyCommand(command, endpoint);
  const children = new Set<ChildProcess>();
  return {
    retryable: false,
    async open(): Promise<CarrierStream> {
      const child = spawn('/bin/sh', ['-c', `exec ${expanded}`], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(child);
      let stderr = '';
      let exit: string | undefined;
      let spawnError: string | undefined;
      let exited: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (exited = resolve));
      child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)));
      child.once('error', (err) => (spawnError = err.message));
      child.once('exit', (code, signal) => {
        children.delete(child);
        exit = signal ? `killed by ${signal}` : `exited with status ${code}`;
        exited();
      });
      const sock = Duplex.from({ readable: child.stdout!, writable: child.stdin! });
      sock.once('close', () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      });
      return {
        sock,
        async failure() {
          await Promise.race([done, new Promise((resolve) => setTimeout(resolve, EXIT_WAIT_MS).unref())]);
          if (spawnError) return `proxy command '${expanded}' could not start: ${spawnError}`;
          if (exit === undefined) return undefined;
          const last = stderr.trim().split('\n').pop();
          return `proxy command '${expanded}' ${exit}${last ? `: ${last}` : ''}`;
        },
      };
    },
    /** Kills every command still running. */
    close() {
      for (const child of children) child.kill('SIGTERM');
      children.clear();
    },
  };
}
