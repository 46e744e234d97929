/**
 * Transport for the controller itself (`ansible_connection: local`, and tests of the state layer
 * against real files): every command runs through `sh -c` in a child process.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ProvError } from '../core/errors.js';
import { refuseNulInCommand } from './remote-command.js';
import type { ExecOptions, ExecResult, Transport } from '../core/transport.js';

export class LocalTransport implements Transport {
  /** Number of commands run so far (tests use it to count round trips). */
  execCount = 0;

  constructor(readonly host: string = 'localhost') {}

  async connect(): Promise<void> {}

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    refuseNulInCommand(this.host, command, options.cwd);
    this.execCount++;
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', command], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => reject(new ProvError('unreachable', `${this.host}: cannot run sh: ${e.message}`, { cause: e })));
      child.on('close', (code, signal) => {
        const signo = signal ? (constants.signals[signal] ?? 127) : 0;
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          code: code ?? 128 + signo,
        });
      });
      // A command that does not read its input closes the pipe early; that is not an error.
      child.stdin.on('error', () => {});
      child.stdin.end(options.stdin ?? '');
    });
  }

  async close(): Promise<void> {}
}
