/** Runs one benchmarked command: wall time, the peak RSS of its process tree, the load when it started. */
import { spawn } from 'node:child_process';
import { loadAverage, sampleTreeRss } from './proc-rss.js';

export interface TimedRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssBytes: number;
  load: string;
}

export interface TimedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Processes outside the tree whose command line holds this string count too (SSH masters). */
  rssMarker?: string;
}

export function timedRun(cmd: string, args: string[], opts: TimedOptions = {}): Promise<TimedRun> {
  const load = loadAverage();
  const started = performance.now();
  return new Promise((done) => {
    // Its own session, so that the sampler finds every fork the tool makes.
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = sampleTreeRss(child.pid!, 100, opts.rssMarker);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      done({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms, peakRssBytes: sampler.stop(), load });
    });
  });
}

/** The recap's counters per host (`r1 : ok=12 changed=3 unreachable=0 failed=0 …`), Ansible's and prov's alike. */
export function recap(stdout: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const m of stdout.matchAll(/^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$/gm)) {
    out[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((p) => [p[1]!, Number(p[2])]));
  }
  return out;
}
