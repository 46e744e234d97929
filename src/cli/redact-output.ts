/**
 * Every byte prov writes to stdout and stderr goes through redactSecrets (src/core/secrets.ts):
 * the plain and terminal reporters, --diff, --json, warnings and error messages alike, so a
 * secret that reaches any of them by a path nobody thought of is still not printed.
 */
import { redactSecrets } from '../core/secrets.js';

function wrap(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') return write(redactSecrets(chunk), ...rest);
    if (chunk instanceof Uint8Array) return write(redactSecrets(Buffer.from(chunk).toString('utf8')), ...rest);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

export function redactProcessOutput(): void {
  wrap(process.stdout);
  wrap(process.stderr);
}
