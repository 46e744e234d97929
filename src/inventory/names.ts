/**
 * Names prov refuses, and why.
 *
 * Host and group names become file names: group_vars/<name>, host_vars/<name> (Ansible's
 * host_group_vars plugin). Ansible's own rules are loose (ansible.inventory.group only warns about
 * characters that are not valid in a variable name, and host_group_vars skips names that start
 * with '/'), so an inventory could name a host `../../../etc/shadow` and have that file read as
 * its vars. prov refuses every name that could leave group_vars/ or host_vars/ or corrupt a
 * one-line message: empty, '.' or '..', a '/' or '\' anywhere, a leading '~', a NUL or any other
 * control character. Other characters Ansible merely warns about (`web-servers`) stay accepted,
 * so an existing inventory loads as it is.
 *
 * `__proto__` is JavaScript's prototype key: an object cannot hold it as an ordinary entry, so
 * a variable, host or group with that name would be dropped or, worse, change the prototype of
 * the variables around it. It is refused by name wherever variables are read.
 */
import { excerpt } from '../core/errors.js';

export const PROTO_KEY = '__proto__';

/** Why `name` cannot be a host or group name, or undefined when it can. */
export function inventoryNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name === '.' || name === '..') return `'${name}' is a directory, not a name`;
  if (name.includes('/') || name.includes('\\')) return 'it contains a path separator';
  if (name.startsWith('~')) return "it starts with '~'";
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  if (name === PROTO_KEY) return `'${PROTO_KEY}' is reserved`;
  return undefined;
}

/** The one-line refusal of a host or group name (the caller adds the file and line). */
export function badInventoryName(kind: 'host' | 'group', name: string): string | undefined {
  const problem = inventoryNameProblem(name);
  if (problem === undefined) return undefined;
  return `${kind} ${excerpt(name)} is not a valid ${kind} name: ${problem} (names are looked up as files in ${kind}_vars/)`;
}

/** True when a mapping of variables has an own `__proto__` key (YAML and JSON parsers create one). */
export function hasProtoKey(vars: unknown): boolean {
  return typeof vars === 'object' && vars !== null && Object.hasOwn(vars, PROTO_KEY);
}

/** The refusal of a variable named `__proto__`. */
export const PROTO_VARIABLE = `variable name '${PROTO_KEY}' is not allowed (it is JavaScript's prototype key and cannot be held as a variable)`;
