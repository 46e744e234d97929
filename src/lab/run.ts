import { spawn } from 'node:child_process';
import { ProvError } from '../core/errors.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  /** Called with each output line (stdout and stderr), for progress display. */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command without a shell and collects its output; never throws on a non-zero exit. */
export function runCapture(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const feed = (chunk: string) => {
      if (!opts.onLine) return;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onLine(line);
    };
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      feed(c);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      feed(c);
    });
    child.on('error', (err) => reject(new ProvError('internal', `lab: cannot run ${cmd}: ${err.message}`, { cause: err })));
    child.on('close', (code, signal) => {
      if (partial && opts.onLine) opts.onLine(partial);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the child may exit before reading all input
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command and throws a one-line ProvError naming `what` if it fails. */
export async function run(cmd: string, args: string[], what: string, opts: RunOptions = {}): Promise<string> {
  const r = await runCapture(cmd, args, opts);
  if (r.code !== 0) {
    const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0] ?? '';
    throw new ProvError('internal', `lab: ${what} failed: ${detail || `${cmd} exited ${r.code}`}`);
  }
  return r.stdout;
}

/** Runs `ip [-n NS] -batch -` with one command per line; one process for many changes. */
export async function ipBatch(lines: string[], what: string, netns?: string): Promise<void> {
  if (lines.length === 0) return;
  const args = netns ? ['-n', netns, '-batch', '-'] : ['-batch', '-'];
  await run('ip', args, what, { input: lines.join('\n') + '\n' });
}

/** Like ipBatch but keeps going past errors (`-force`); for teardown. */
export async function ipBatchForce(lines: string[], netns?: string): Promise<void> {
  if (lines.length === 0) return;
  const args = netns ? ['-n', netns, '-force', '-batch', '-'] : ['-force', '-batch', '-'];
  await runCapture('ip', args, { input: lines.join('\n') + '\n' });
}
