/**
 * Whether a string names a machine to connect to: an IPv4 or IPv6 address, or a host name
 * (RFC 1123 labels of letters, digits, '-' and '_', dot-separated, at most 253 characters).
 * Checked before an address is used in a probe, so that a typo or a hostile value is refused
 * with a clear message instead of being sent anywhere.
 */
import { isIP } from 'node:net';

const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);

export function isHostAddress(value: string): boolean {
  if (isIP(value) !== 0) return true;
  return value.length <= 253 && HOST_NAME.test(value);
}
