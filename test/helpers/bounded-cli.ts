/**
 * The real `prov` CLI under bounds, for hostile-input tests: a heap of 256 MiB (a file that
 * would blow up memory fails the run instead of the machine), a wall-clock timeout, and at most
 * a few runs at once (the machine is shared). A run that hits the timeout reports code -1.
 */
import { execFile } from 'node:child_process';
import { PROV_BIN, type CliResult } from './cli.js';

const SLOTS = 3;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export interface BoundedResult extends CliResult {
  timedOut: boolean;
}

export function boundedProv(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<BoundedResult> {
  return slot(
    () =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--max-old-space-size=256', PROV_BIN, ...args],
          { cwd: options.cwd, env: { ...process.env, CI: 'true', ...options.env }, timeout: options.timeoutMs ?? 240_000, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const e = err as (NodeJS.ErrnoException & { code?: unknown; killed?: boolean }) | null;
            const timedOut = Boolean(e?.killed);
            const code = e ? (typeof e.code === 'number' ? e.code : timedOut ? -1 : 1) : 0;
            resolve({ code, stdout, stderr, timedOut });
          },
        );
      }),
  );
}
