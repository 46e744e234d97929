/**
 * Prints how long unifiedDiff takes on large and very different files (no assertion: figures).
 * `npx tsx bench/diff.ts`
 */
import { MAX_DIFF_BYTES, MAX_EDIT_LINES, unifiedDiff } from '../src/report/diff.js';

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i) + '\n').join('');
const long = (i: number): string => `line ${i} ${'x'.repeat(60)}`;

const cases: Array<[string, string, string]> = [
  ['1.5 MB, every other line changed (over the size limit)', lines(21_000, long), lines(21_000, (i) => long(i) + (i % 2 ? ' changed' : ''))],
  ['90 KB, 2 lines changed', lines(1300, long), lines(1300, (i) => long(i) + (i === 10 || i === 1200 ? ' changed' : ''))],
  ['90 KB, 400 lines changed', lines(1300, long), lines(1300, (i) => long(i) + (i % 4 === 0 && i < 1300 ? ' changed' : ''))],
  ['90 KB, every other line changed', lines(1300, long), lines(1300, (i) => long(i) + (i % 2 ? ' changed' : ''))],
  ['90 KB, every line changed', lines(1300, long), lines(1300, (i) => long(i) + ' changed')],
  ['90 KB of 2-byte lines, all different', 'a\n'.repeat(52_000), 'b\n'.repeat(52_000)],
];

console.log(`limits: ${MAX_DIFF_BYTES} bytes per file, ${MAX_EDIT_LINES} changed lines for the minimal diff`);
for (const [label, before, after] of cases) {
  const started = process.hrtime.bigint();
  const out = unifiedDiff({ path: '/f', before, after });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const hunks = out.match(/^@@/gm)?.length ?? 0;
  console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms  ${out.includes('diff skipped') ? 'skipped' : `${hunks} hunk(s)`}`);
}
