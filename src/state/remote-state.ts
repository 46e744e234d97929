/**
 * HostState over a Transport. Every answer is cached until invalidate() (the driver invalidates
 * after it executes actions), and prefetch() answers many reads in one exec, so that checking a
 * task that changes nothing costs no round trip of its own.
 */
import { ProvError } from '../core/errors.js';
import type { FileStat, HostState, StateRead } from '../core/contract.js';
import type { ExecResult, Transport } from '../core/transport.js';
import { buildReadScript, SplitError, type ReadAnswer } from './read-script.js';

function cacheKey(read: StateRead): string {
  return read.kind === 'query' ? `query\0${read.command}` : `${read.kind}\0${read.path}`;
}

export class RemoteState implements HostState {
  private cache = new Map<string, ReadAnswer>();

  constructor(private readonly transport: Transport) {}

  /** Answers every read not yet cached in one exec. */
  async prefetch(reads: StateRead[]): Promise<void> {
    const seen = new Set<string>();
    const missing = reads.filter((r) => {
      const key = cacheKey(r);
      if (this.cache.has(key) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (missing.length === 0) return;
    let answers: ReadAnswer[];
    try {
      answers = await this.run(missing, false).catch((err: unknown) => {
        if (err instanceof SplitError) return this.run(missing, true);
        throw err;
      });
    } catch (err) {
      throw new ProvError('failed', `${this.transport.host}: reading the machine's state failed: ${(err as Error).message}`, { cause: err });
    }
    missing.forEach((read, i) => this.cache.set(cacheKey(read), answers[i]!));
  }

  private async run(reads: StateRead[], perFile: boolean): Promise<ReadAnswer[]> {
    const { script, parse } = buildReadScript(reads, { perFile });
    return parse(await this.transport.exec(script));
  }

  /** Forgets every cached answer (the machine may have changed). */
  invalidate(): void {
    this.cache.clear();
  }

  /**
   * After file actions only: forgets the reads of these paths, of anything under them, and of
   * their parent directories, plus every query (a query may read anything). Other files' answers
   * stay, so reads prefetched for later tasks are still used after an earlier task wrote a file.
   * Every ancestor counts as a parent (`mkdir -p` creates them).
   */
  invalidatePaths(paths: string[]): void {
    const touched = paths.map((p) => p.replace(/\/+$/, '') || '/');
    const parents = touched.flatMap((p) => {
      const out: string[] = [];
      for (let i = p.lastIndexOf('/'); i >= 0; i = p.lastIndexOf('/', i - 1)) {
        out.push(i === 0 ? '/' : p.slice(0, i));
        if (i === 0) break;
      }
      return out;
    });
    for (const key of [...this.cache.keys()]) {
      const [kind, target = ''] = key.split('\0', 2);
      if (kind === 'query') {
        this.cache.delete(key);
        continue;
      }
      const path = target.replace(/\/+$/, '') || '/';
      if (touched.some((p) => path === p || path.startsWith(`${p}/`)) || parents.includes(path)) this.cache.delete(key);
    }
  }

  private async read(read: StateRead): Promise<ReadAnswer> {
    const key = cacheKey(read);
    if (!this.cache.has(key)) await this.prefetch([read]);
    return this.cache.get(key)!;
  }

  async readFile(path: string): Promise<Buffer | null> {
    const answer = await this.read({ kind: 'file', path });
    if (answer.kind !== 'file') throw new Error('unreachable');
    if (answer.error) throw new ProvError('failed', answer.error);
    return answer.content;
  }

  async stat(path: string): Promise<FileStat | null> {
    const answer = await this.read({ kind: 'stat', path });
    if (answer.kind !== 'stat') throw new Error('unreachable');
    return answer.stat;
  }

  async query(command: string, key?: string): Promise<ExecResult> {
    const cached = this.cache.get(cacheKey({ kind: 'query', command, key }));
    if (cached?.kind === 'query') return cached.result;
    // An uncached query is a plain exec: no script around it, and its answer is cached too.
    const result = await this.transport.exec(command);
    this.cache.set(cacheKey({ kind: 'query', command, key }), { kind: 'query', result });
    return result;
  }
}
