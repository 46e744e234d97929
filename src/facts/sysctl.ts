import { shellQuote } from '../core/transport.js';
import type { FactSource } from './fact.js';

/**
 * The sysctls that modules and roles read. Extend this list (or pass `sysctls` to gatherFacts)
 * when a role starts to touch another key.
 */
export const sysctlNames: string[] = [
  'net.ipv4.ip_forward',
  'net.ipv4.fib_multipath_hash_policy',
  'net.ipv4.fib_multipath_use_neigh',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.default.rp_filter',
  'net.ipv6.conf.all.forwarding',
  'net.core.optmem_max',
];

/**
 * One `grep -H` over /proc/sys/<name with dots as slashes> instead of one `sysctl -n` process
 * per key: the same values, one fork. (The shell's `read` builtin is no substitute: it reads
 * byte by byte, and /proc/sys handlers answer a read at a non-zero offset with EOF.) Missing or
 * write-only keys only print to stderr and so stay absent. Output: `/proc/sys/path:value` lines.
 */
export function sysctlCommand(names: string[]): string {
  const files = names.map((name) => shellQuote(`/proc/sys/${name.replace(/\./g, '/')}`)).join(' ');
  return `grep -H '' ${files} /dev/null`;
}

export function parseSysctls(output: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^\/proc\/sys\/([^:]+):(.*)$/.exec(line);
    if (!match) continue;
    const name = match[1]!.replace(/\//g, '.');
    const value = match[2]!.trim();
    values[name] = name in values ? `${values[name]}\n${value}` : value;
  }
  return values;
}

export function sysctlFact(names: string[] = sysctlNames): FactSource<Record<string, string>> {
  return { name: 'sysctl', command: sysctlCommand(names), parse: parseSysctls };
}
