/**
 * One command on one SSH channel of an open ssh2 connection. node-ssh's execCommand is avoided
 * here on purpose: it decodes each chunk separately (splitting multi-byte UTF-8 characters), trims
 * the output by default and adds an 'error' listener per call. ssh2's `exec` is used directly.
 */
import type { Client } from 'ssh2';
import type { ExecResult } from '../core/transport.js';

/** ssh2's error when the server refuses a new channel (e.g. MaxSessions reached for a moment). */
export function isChannelOpenFailure(err: unknown): boolean {
  return err instanceof Error && /channel open failure/i.test(err.message);
}

/**
 * Runs `command` on a new channel, retrying briefly while the server refuses new channels: sshd
 * frees a session slot only after both sides have closed the previous channel, so a new channel
 * can race the last one's teardown. Resolves with output and exit code (255 when killed).
 */
export function execWithRetry(client: Client, command: string, stdin?: string | Buffer): Promise<ChannelResult> {
  return withChannelRetry(() => execOnChannel(client, command, stdin));
}

/** Retries `open` while it fails with a channel-open failure (20 tries, 5 ms more each time). */
export async function withChannelRetry<T>(open: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (err) {
      if (!isChannelOpenFailure(err) || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
    }
  }
}

export interface ChannelResult extends ExecResult {
  /** False when the channel closed without an exit status (killed, or the connection dropped). */
  exited: boolean;
}

/** Runs `command` on a new channel; resolves with its output and exit code (255 when killed). */
export function execOnChannel(client: Client, command: string, stdin?: string | Buffer): Promise<ChannelResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code = 255;
      let exited = false;
      channel.on('data', (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      channel.on('exit', (exitCode) => {
        exited = typeof exitCode === 'number';
        code = exited ? (exitCode as number) : 255;
      });
      channel.on('close', () => resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code, exited }));
      if (stdin !== undefined) channel.end(stdin);
      else channel.end();
    });
  });
}
