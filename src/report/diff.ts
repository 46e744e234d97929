import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../modules/contract.js';

/** A unified diff of one file, with Ansible's before/after headers. */
export function unifiedDiff(d: FileDiff): string {
  if (d.binary) return binaryDiff(d);
  const patch = createTwoFilesPatch(
    d.beforeHeader && d.beforeHeader !== d.path ? d.beforeHeader : `before: ${d.path}`,
    d.afterHeader && d.afterHeader !== d.path ? d.afterHeader : `after: ${d.path}`,
    d.before,
    d.after,
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff may start with "Index:" and "===" lines; a unified diff starts at its "---" header.
  const lines = patch.split('\n');
  return lines.slice(Math.max(0, lines.findIndex((l) => l.startsWith('--- ')))).join('\n');
}

/** As diff(1) says it: no line diff of a binary (or non-UTF-8) file. */
function binaryDiff(d: FileDiff): string {
  const before = d.beforeHeader && d.beforeHeader !== d.path ? d.beforeHeader : `before: ${d.path}`;
  const after = d.afterHeader && d.afterHeader !== d.path ? d.afterHeader : `after: ${d.path}`;
  return `Binary files ${before} and ${after} differ\n`;
}
