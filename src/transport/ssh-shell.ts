/**
 * A persistent remote `sh` on one SSH channel that runs commands one after another.
 *
 * Why: every SSH exec channel costs the server a fork of its session process plus the user's
 * login shell (measured 18-30 ms on a loaded 2-core box), which dwarfs the work of a typical
 * check command. Feeding commands to one long-lived shell costs one fork of `sh -c` and a round trip.
 *
 * Protocol, per command (M is a random marker, fixed per shell):
 *   <line> </dev/null            or   printf %s <base64 of stdin> | base64 -d | <line>
 *   printf '\nM %d\n' "$?"; printf '\nM\n' >&2
 * `line` MUST be one well-formed simple command; the transport always passes
 * `sh -c <quoted>` (remote-command.ts), so a syntax error, `cd`, `exit` or `set -e` in the user's
 * command stays inside that child shell and can never desynchronise this one. stdin is never the
 * shell's own script stream. The reader strips the newline it adds before each marker, so output
 * is returned byte for byte.
 */
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../core/transport.js';
import type { Client, ClientChannel } from 'ssh2';

interface Pending {
  resolve: (result: ExecResult) => void;
  reject: (err: Error) => void;
}

/** Collects one stream; finds a needle searching only data not scanned before. */
class StreamBuffer {
  private chunks: Buffer[] = [];
  private length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Absolute index of `needle`, searching only data after `from` (minus the needle's length). */
  find(needle: Buffer, from: number): number {
    const start = Math.max(0, from - needle.length);
    if (start >= this.length) return -1;
    const all = this.join();
    return all.indexOf(needle, start);
  }

  join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Removes and returns the first `end` bytes, dropping `skip` more after them. */
  take(end: number, skip: number): Buffer {
    const all = this.join();
    const head = Buffer.from(all.subarray(0, end));
    const rest = all.subarray(end + skip);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return head;
  }

  get size(): number {
    return this.length;
  }
}

export class RemoteShell {
  private readonly marker = `__prov_${randomBytes(8).toString('hex')}__`;
  private readonly stdoutNeedle = Buffer.from(`\n${this.marker} `);
  private readonly stderrNeedle = Buffer.from(`\n${this.marker}\n`);
  private readonly stdout = new StreamBuffer();
  private readonly stderr = new StreamBuffer();
  private stdoutScanned = 0;
  private stderrScanned = 0;
  private current: Pending | null = null;
  private result: { stdout: Buffer; code: number } | null = null;
  private stderrDone: Buffer | null = null;
  private dead: Error | null = null;

  private constructor(private readonly channel: ClientChannel) {
    channel.on('data', (chunk: Buffer) => {
      this.stdout.push(chunk);
      this.scan();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk);
      this.scan();
    });
    channel.on('close', () => this.fail(new Error('remote shell exited')));
  }

  /** Opens a channel running `sh` (its stdin is the command stream). */
  static open(client: Client): Promise<RemoteShell> {
    return new Promise((resolve, reject) => {
      client.exec('exec sh', (err, channel) => {
        if (err) return reject(err);
        resolve(new RemoteShell(channel));
      });
    });
  }

  get alive(): boolean {
    return this.dead === null;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Runs one well-formed simple command line (see the protocol above). */
  run(line: string, stdin?: string | Buffer): Promise<ExecResult> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.current) return Promise.reject(new Error('remote shell is busy'));
    const m = this.marker;
    const feed = stdin === undefined ? `${line} </dev/null` : `printf %s '${Buffer.from(stdin).toString('base64')}' | base64 -d | ${line}`;
    const script = `${feed}\nprintf '\\n${m} %d\\n' "$?"; printf '\\n${m}\\n' >&2\n`;
    return new Promise<ExecResult>((resolve, reject) => {
      this.current = { resolve, reject };
      this.channel.write(script);
    });
  }

  /** Output received so far for the running command (used when the shell dies under it). */
  partial(): { stdout: string; stderr: string } {
    return { stdout: this.stdout.join().toString('utf8'), stderr: this.stderr.join().toString('utf8') };
  }

  close(): void {
    this.fail(new Error('remote shell closed'));
    this.channel.end();
  }

  private scan(): void {
    if (!this.current) return;
    if (!this.result) {
      const at = this.stdout.find(this.stdoutNeedle, this.stdoutScanned);
      const all = this.stdout.join();
      const eol = at >= 0 ? all.indexOf(0x0a, at + this.stdoutNeedle.length) : -1;
      if (eol >= 0) {
        const code = Number(all.subarray(at + this.stdoutNeedle.length, eol).toString('latin1'));
        this.result = { stdout: this.stdout.take(at, eol + 1 - at), code };
        this.stdoutScanned = 0;
      } else {
        this.stdoutScanned = at >= 0 ? at : this.stdout.size;
      }
    }
    if (!this.stderrDone) {
      const at = this.stderr.find(this.stderrNeedle, this.stderrScanned);
      if (at >= 0) {
        this.stderrDone = this.stderr.take(at, this.stderrNeedle.length);
        this.stderrScanned = 0;
      } else {
        this.stderrScanned = this.stderr.size;
      }
    }
    if (this.result && this.stderrDone) {
      const done = this.current;
      const output = { stdout: this.result.stdout.toString('utf8'), stderr: this.stderrDone.toString('utf8'), code: this.result.code };
      this.current = null;
      this.result = null;
      this.stderrDone = null;
      done.resolve(output);
    }
  }

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    const pending = this.current;
    this.current = null;
    pending?.reject(err);
  }
}
