/** A benchmark's one count flag (`--hosts N`, `--peers N`): a positive whole number, else exit 5 (the options contract). */
import { parseArgs } from 'node:util';

export function countFlag(bench: string, name: string, fallback: number, args: readonly string[] = process.argv.slice(2)): number {
  const { values } = parseArgs({ args: [...args], options: { [name]: { type: 'string' } }, strict: false, allowPositionals: true });
  const raw = values[name];
  const n = raw === undefined ? fallback : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${bench}: --${name} needs a positive whole number, not ${typeof raw === 'string' ? raw : 'nothing'}`);
    process.exit(5);
  }
  return n;
}
