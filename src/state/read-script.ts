/**
 * One sh script that answers many reads (file contents, stats, read-only commands) in a single
 * round trip, and the parser of its output. Each answer is a section that starts with a line
 * `\n<boundary>:<index>:<field>\n`; the boundary is random per script, so file contents cannot
 * forge one. Hand-written because no library does "many reads, one exec" over plain sh.
 */
import { randomBytes } from 'node:crypto';
import { shellQuote, type ExecResult } from '../core/transport.js';
import type { FileStat, StateRead } from '../core/contract.js';
import { quotePath } from './remote-path.js';
import { firstLine } from '../core/text.js';

export type ReadAnswer =
  | { kind: 'file'; content: Buffer | null; error?: string }
  | { kind: 'stat'; stat: FileStat | null }
  | { kind: 'query'; result: ExecResult };

/** `stat -c` format parsed by parseStat. */
export const STAT_FORMAT = '%F|%a|%U|%G|%s';

export function parseStat(line: string): FileStat | null {
  const text = line.trim();
  if (text === '') return null;
  const [kind = '', mode = '0', owner = '', group = '', size = '0'] = text.split('|');
  const type: FileStat['type'] = kind.startsWith('regular') ? 'file' : kind === 'directory' ? 'directory' : kind === 'symbolic link' ? 'link' : 'other';
  return { type, mode: mode.padStart(4, '0'), owner, group, size: Number(size) };
}

export interface ReadScript {
  script: string;
  parse(result: ExecResult): ReadAnswer[];
}

/**
 * Few processes per script: one `stat` for every stat read, one `stat -L` and one `cat` for every
 * file read (contents are split by the sizes stat printed), and one subshell per query. File
 * contents travel base64-encoded (`base64`, as the SSH transport's stdin does), so that any bytes
 * come back exactly through a transport whose output is text. When the
 * bytes do not add up (a file changed between stat and cat, or was unreadable), parse() throws
 * SplitError and the caller retries with `perFile`, which reads each file on its own.
 */
export class SplitError extends Error {}

export function buildReadScript(reads: StateRead[], options: { perFile?: boolean } = {}): ReadScript {
  const boundary = `@@prov-${randomBytes(8).toString('hex')}`;
  const mark = (i: number | string, field: string) => `printf '\\n%s\\n' ${shellQuote(`${boundary}:${i}:${field}`)}`;
  const lines: string[] = [];
  if (reads.some((r) => r.kind === 'query')) {
    lines.push('__e=$(mktemp) || exit 125', 'trap \'rm -f "$__e"\' EXIT');
  }
  const statIdx = reads.flatMap((r, i) => (r.kind === 'stat' ? [i] : []));
  const fileIdx = reads.flatMap((r, i) => (r.kind === 'file' ? [i] : []));
  const pathOf = (i: number) => quotePath((reads[i] as { path: string }).path);

  if (statIdx.length > 0) {
    // -L: modules see what a symlink points to (chmod follows links too, so a mode on a link
    // would otherwise never match). NUL ends each record; the name comes last, so '|' in a path does no harm.
    lines.push(`${mark('all', 'stats')}; stat -L --printf '${STAT_FORMAT}|%n\\0' -- ${statIdx.map(pathOf).join(' ')} 2>/dev/null`);
  }
  if (fileIdx.length > 0 && !options.perFile) {
    lines.push(`${mark('all', 'kinds')}; set --`);
    for (const i of fileIdx) {
      const p = pathOf(i);
      lines.push(`if [ -f ${p} ]; then printf 'f'; set -- "$@" ${p}; elif [ -e ${p} ]; then printf 'o'; else printf 'm'; fi`);
    }
    lines.push(`if [ $# -gt 0 ]; then ${mark('all', 'sizes')}; stat -L -c '%s' -- "$@"; ${mark('all', 'contents')}; cat -- "$@" 2>/dev/null | base64; fi`);
  }
  if (fileIdx.length > 0 && options.perFile) {
    for (const i of fileIdx) {
      const p = pathOf(i);
      lines.push(
        `if [ -f ${p} ]; then ${mark(i, 'file')}; base64 -- ${p} 2>/dev/null || ${mark(i, 'unreadable')}; ` +
          `elif [ -e ${p} ]; then ${mark(i, 'notfile')}; else ${mark(i, 'missing')}; fi`,
      );
    }
  }
  reads.forEach((read, i) => {
    if (read.kind !== 'query') return;
    lines.push(`${mark(i, 'out')}; ( ${read.command}\n) </dev/null 2>"$__e"; __rc=$?; ${mark(i, 'rc')}; printf '%d' "$__rc"; ${mark(i, 'err')}; cat "$__e"`);
  });
  lines.push(`${mark(reads.length, 'end')}`);
  const script = lines.join('\n');

  const parse = (result: ExecResult): ReadAnswer[] => {
    const fields = new Map<string, string>();
    const pieces = result.stdout.split(`\n${boundary}:`);
    for (const piece of pieces.slice(1)) {
      const nl = piece.indexOf('\n');
      const head = nl < 0 ? piece : piece.slice(0, nl);
      fields.set(head, nl < 0 ? '' : piece.slice(nl + 1));
    }
    if (!fields.has(`${reads.length}:end`)) {
      throw new Error(`read script did not finish (exit ${result.code}): ${firstLine(result.stderr)}`);
    }
    const stats = new Map<string, FileStat>();
    for (const record of (fields.get('all:stats') ?? '').split('\0')) {
      const parts = record.split('|');
      if (parts.length < 6) continue;
      const st = parseStat(parts.slice(0, 5).join('|'));
      if (st) stats.set(parts.slice(5).join('|'), st);
    }
    const contents = new Map<number, Buffer>();
    if (!options.perFile && fileIdx.length > 0) {
      const kinds = fields.get('all:kinds') ?? '';
      const present = fileIdx.filter((_, k) => kinds[k] === 'f');
      const sizes = (fields.get('all:sizes') ?? '')
        .split('\n')
        .filter((l) => l !== '')
        .map(Number);
      const bytes = Buffer.from(fields.get('all:contents') ?? '', 'base64');
      if (kinds.length !== fileIdx.length || sizes.length !== present.length || sizes.reduce((a, b) => a + b, 0) !== bytes.length) {
        throw new SplitError('file sizes and contents do not add up');
      }
      let offset = 0;
      present.forEach((i, k) => {
        contents.set(i, Buffer.from(bytes.subarray(offset, offset + sizes[k]!)));
        offset += sizes[k]!;
      });
      fileIdx.forEach((i, k) => {
        if (kinds[k] === 'o') fields.set(`${i}:notfile`, '');
      });
    }
    return reads.map((read, i): ReadAnswer => {
      if (read.kind === 'file') {
        if (fields.has(`${i}:unreadable`)) return { kind: 'file', content: null, error: `${read.path}: cannot read` };
        if (fields.has(`${i}:notfile`)) return { kind: 'file', content: null, error: `${read.path} is not a regular file` };
        const perFile = fields.get(`${i}:file`);
        return { kind: 'file', content: contents.get(i) ?? (perFile === undefined ? null : Buffer.from(perFile, 'base64')) };
      }
      if (read.kind === 'stat') return { kind: 'stat', stat: stats.get(read.path) ?? null };
      return {
        kind: 'query',
        result: {
          stdout: fields.get(`${i}:out`) ?? '',
          stderr: fields.get(`${i}:err`) ?? '',
          code: Number(fields.get(`${i}:rc`) ?? 255),
        },
      };
    });
  };
  return { script, parse };
}
