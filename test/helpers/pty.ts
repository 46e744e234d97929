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
  /** What the terminal shows at the end, scrollback included: the lines after cursor moves and erases. */
  screen: string[];
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

/**
 * Replays what a terminal does with the output: printable characters at the cursor (wrapping at
 * cols), CR, LF, cursor up/down/column (CSI A, B, G), erase line (CSI K, 2K); colours and other
 * sequences change nothing visible. Enough for log-update's live region over permanent lines.
 */
export function screenOf(raw: string, cols: number): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = () => (lines[row] ??= []);
  const re = /\x1b\[([0-9;?]*)([ -/]*[@-~])|\x1b\][^\x07]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\r|\n|[^\x1b\r\n]/gu;
  for (const m of raw.matchAll(re)) {
    const [all, params, final] = m;
    if (all === '\r') col = 0;
    else if (all === '\n') {
      row += 1;
      col = 0;
      line();
    } else if (final !== undefined) {
      const n = Number(params || '1') || 1;
      if (final === 'A') row = Math.max(0, row - n);
      else if (final === 'B') {
        row += n;
        line();
      } else if (final === 'G') col = n - 1;
      else if (final === 'K') {
        if (params === '2') lines[row] = [];
        else if (params === '1') line().fill(' ', 0, col + 1);
        else line().length = Math.min(line().length, col);
      }
    } else if (all.length > 0 && !all.startsWith('\x1b')) {
      if (col >= cols) {
        row += 1;
        col = 0;
      }
      const l = line();
      while (l.length < col) l.push(' ');
      l[col] = all;
      col += 1;
    }
  }
  return lines.map((l) => l.join('').trimEnd());
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
    if (pid)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    child.kill('SIGKILL');
  }, o.timeoutMs ?? 120_000);
  const code = await new Promise<number | undefined>((done) => child.on('close', (c) => done(c ?? undefined)));
  clearTimeout(timer);
  await rm(dir, { recursive: true, force: true });
  return { code: hung ? undefined : code, hung, raw, text: stripAnsi(raw), screen: screenOf(raw, o.cols ?? 160), ms: Date.now() - started };
}
