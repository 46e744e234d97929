/**
 * How prov quotes a command's output in a one-line message: its first line. One helper, so that
 * every "X failed: why" reads the same way.
 */
import type { ExecResult } from './transport.js';

/** The first line of `text`, trimmed (empty when there is none). */
export function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').trim();
}

/** Why a command failed, in one line: the first line of its stderr, else of its stdout, else its exit code. */
export function failureReason(r: Pick<ExecResult, 'code' | 'stderr' | 'stdout'>): string {
  return firstLine(r.stderr) || firstLine(r.stdout) || `exit ${r.code}`;
}
