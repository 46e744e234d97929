import type { FactSource } from './fact.js';
import type { Facts } from '../core/facts.js';

/** systemd when PID 1 is systemd or /run/systemd/system exists (sd_booted(3)'s test). */
export function parseInitSystem(output: string): Facts['initSystem'] {
  const lines = output.split('\n').map((line) => line.trim());
  return lines[0] === 'systemd' || lines.includes('/run/systemd/system') ? 'systemd' : 'other';
}

export const initSystemFact: FactSource<Facts['initSystem']> = {
  name: 'init-system',
  command: 'cat /proc/1/comm; [ -d /run/systemd/system ] && echo /run/systemd/system',
  parse: parseInitSystem,
};
