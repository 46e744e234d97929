/**
 * A path on the target, quoted for the state layer's sh scripts. A NUL byte cannot be passed to
 * a program (sh drops it, so another path would be used): it is refused, never dropped.
 */
import { ProvError } from '../core/errors.js';
import { shellQuote } from '../core/transport.js';

export function refuseNul(path: string): string {
  if (path.includes('\0')) throw new ProvError('failed', `path ${JSON.stringify(path)} contains a NUL byte`);
  return path;
}

export function quotePath(path: string): string {
  return shellQuote(refuseNul(path));
}
