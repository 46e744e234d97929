import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProvError } from '../core/errors.js';
import { runCapture } from '../lab/run.js';
import { netnsPrefix } from '../lab/topology.js';
import { parseUdpCounters, type UdpErrorCounters } from './probe-drops.js';

const RECEIVER = join(dirname(fileURLToPath(import.meta.url)), 'receiver.mjs');

export interface Receiver {
  /** The UDP socket's receive buffer as the kernel granted it (capped by net.core.rmem_max). */
  recvBufferBytes: number | null;
  /** UDP error counters of the receiver's namespace (null if unreadable). */
  udpCounters(): Promise<UdpErrorCounters | null>;
  stop(): void;
}

/**
 * Starts receiver.mjs inside lab `lab`'s test-server namespace (the namespace the lab made and
 * that holds 198.51.100.10), so the flows' echoes name the router that carried them.
 */
export async function startLabReceiver(lab: string, port: number, timeoutMs = 10_000): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'prov-chaos-'));
  const ready = join(dir, 'ready');
  const netns = `${netnsPrefix(lab)}server`;
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, RECEIVER, String(port), ready], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(ready)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new ProvError('internal', `chaos: the receiver in ${netns} did not start: ${stderr.trim().split('\n').pop() ?? 'timeout'}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  let recvBufferBytes: number | null = null;
  try {
    recvBufferBytes = Number(JSON.parse(readFileSync(ready, 'utf8')).recvBufferBytes) || null;
  } catch {
    // written by an older receiver, or not yet complete: the size is only informative
  }
  const udpCounters = async () => {
    const r = await runCapture('ip', ['netns', 'exec', netns, 'cat', '/proc/net/snmp']).catch(() => null);
    return r && r.code === 0 ? parseUdpCounters(r.stdout) : null;
  };
  return { recvBufferBytes, udpCounters, stop };
}
