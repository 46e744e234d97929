import test from 'ava';
import { applyPatch } from 'diff';
import { MAX_DIFF_BYTES, MAX_EDIT_LINES, unifiedDiff } from '../../../src/report/diff.js';

/** Diffs of changed files: Ansible's size limit, and linear time past MAX_EDIT_LINES changed lines. */
const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i) + '\n').join('');
const SKIPPED = "diff skipped: file larger than 104448 bytes (102 KiB, as Ansible's max_diff_size)";

test("the limit is Ansible's max_diff_size default, 104448 bytes", (t) => {
  t.is(MAX_DIFF_BYTES, 104_448);
});

test('a 1.5 MB changed file is not diffed: the diff says so, at once', (t) => {
  const before = lines(21_000, (i) => `line ${i} ${'x'.repeat(60)}`);
  const after = lines(21_000, (i) => `line ${i} ${'x'.repeat(60)}${i % 2 ? ' changed' : ''}`);
  t.true(before.length > 1_400_000);
  const started = Date.now();
  const out = unifiedDiff({ path: '/etc/big.conf', before, after });
  t.true(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  t.is(out, `--- before: /etc/big.conf\n+++ after: /etc/big.conf\n${SKIPPED}\n`);
});

test('the limit counts bytes, before or after, as Ansible does', (t) => {
  const exact = 'a'.repeat(MAX_DIFF_BYTES - 1) + '\n';
  t.true(unifiedDiff({ path: '/f', before: exact, after: 'b\n' }).includes('-' + 'a'.repeat(MAX_DIFF_BYTES - 1)));
  t.true(unifiedDiff({ path: '/f', before: 'b\n', after: exact + 'x' }).includes(SKIPPED));
  // 60,000 characters but 120,000 bytes of UTF-8.
  t.true(unifiedDiff({ path: '/f', before: 'é'.repeat(60_000), after: '' }).includes(SKIPPED));
});

test('a 90 KB changed file still gets a real, minimal diff', (t) => {
  const before = lines(1400, (i) => `option_${i} = ${'v'.repeat(55)}`);
  const after = before.replace('option_10 = ', 'option_10 = new').replace('option_1200 = ', 'option_1200 = new');
  t.true(before.length > 90_000 && before.length < MAX_DIFF_BYTES);
  const out = unifiedDiff({ path: '/etc/app.conf', before, after });
  t.true(out.startsWith('--- before: /etc/app.conf\n+++ after: /etc/app.conf\n@@ -8,7 +8,7 @@\n'), out.slice(0, 200));
  t.is(out.split('\n').filter((l) => /^[-+][^-+]/.test(l)).length, 4, 'two lines removed, two added');
  t.is(out.match(/^@@/gm)?.length, 2);
  t.is(applyPatch(before, out), after);
});

test(`more than ${MAX_EDIT_LINES} changed lines: one replacement hunk, correct, without the quadratic search`, (t) => {
  const cases: Array<[string, string]> = [
    [lines(3000, (i) => `a${i}`), lines(3000, (i) => `b${i}`)],
    [
      'keep 1\nkeep 2\nkeep 3\nkeep 4\n' + lines(1500, (i) => `old ${i}`) + 'end 1\nend 2\nend 3\nend 4',
      'keep 1\nkeep 2\nkeep 3\nkeep 4\n' + lines(1600, (i) => `new ${i}`) + 'end 1\nend 2\nend 3\nend 4',
    ],
    ['', lines(2000, (i) => `new ${i}`)],
    [lines(2000, (i) => `old ${i}`), 'no newline at the end'],
    ['a\n'.repeat(50_000), 'b\n'.repeat(50_000)],
  ];
  for (const [before, after] of cases) {
    const out = unifiedDiff({ path: '/f', before, after });
    t.is(out.match(/^@@/gm)?.length, 1);
    t.is(applyPatch(before, out), after);
  }
  const second = unifiedDiff({ path: '/f', before: cases[1]![0], after: cases[1]![1] });
  t.true(second.includes('@@ -2,1506 +2,1606 @@\n keep 2\n keep 3\n keep 4\n-old 0\n'), second.slice(0, 200));
  t.true(second.endsWith('+new 1599\n end 1\n end 2\n end 3\n'), second.slice(-100));
});
