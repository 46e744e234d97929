import { firstLine, type FactSource } from './fact.js';

/** `hostname` is missing on minimal images; the kernel's value is always there. */
export const hostnameFact: FactSource<string> = {
  name: 'hostname',
  command: 'cat /proc/sys/kernel/hostname 2>/dev/null || hostname',
  parse: firstLine,
};
