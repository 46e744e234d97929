/**
 * Runs the real `prov` CLI in a real pseudo-terminal, as a person at a terminal would: util-linux
 * `script` allocates the pty, `stty` fixes its size, and CI is unset so prov picks its interactive
 * reporter. A run that does not end within the timeout is killed and reported as hung, so a test
 * can tell "ended with code N" from "never ended".
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROV_BIN } from './cli.js';

export interface PtyRun {
  /** The command's exit code, or undefined when it hung and was killed. */
  code: number | undefined;
  hung: boolean;
  /** Everything the terminal received, escape sequences included. */
  raw: string;
  /** The same with ANSI escape sequences and carriage returns removed. */
  text: string;
  ms: number;
}

function sh(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Removes CSI/OSC escape sequences and carriage returns: what a reader sees, line by line. */
export function stripAnsi(raw: string): string {
  return raw
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07]*(\x07|\x1b\\)/g, '')
    .replace(/\x1b[()][0-9A-B]/g, '')
    .replace(/\r/g, '');
}

export async function provInPty(
  args: string[],
  o: { cols?: number; rows?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<PtyRun> {
  const dir = await mkdtemp(join(tmpdir(), 'prov-pty-'));
  const pidFile = join(dir, 'pid');
  const command = [
    `stty cols ${o.cols ?? 160} rows ${o.rows ?? 50}`,
    `echo $$ > ${sh(pidFile)}`,
    `exec ${[process.execPath, PROV_BIN, ...args].map(sh).join(' ')}`,
  ].join('; ');
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...o.env };
  delete env.CI;
  const started = Date.now();
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: o.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout.on('data', (c) => (raw += c));
  child.stderr.on('data', (c) => (raw += c));
  let hung = false;
  const timer = setTimeout(async () => {
    hung = true;
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    child.kill('SIGKILL');
  }, o.timeoutMs ?? 120_000);
  const code = await new Promise<number | undefined>((done) => child.on('close', (c) => done(c ?? undefined)));
  clearTimeout(timer);
  await rm(dir, { recursive: true, force: true });
  return { code: hung ? undefined : code, hung, raw, text: stripAnsi(raw), ms: Date.now() - started };
}
