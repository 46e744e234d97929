import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../modules/contract.js';

/** A unified diff of one file, with Ansible's before/after headers. */
export function unifiedDiff(d: FileDiff): string {
  const patch = createTwoFilesPatch(
    d.beforeHeader ?? `before: ${d.path}`,
    d.afterHeader ?? `after: ${d.path}`,
    d.before,
    d.after,
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff starts with an "Index:"-less "===" line only for createPatch; drop its empty header lines.
  return patch.split('\n').filter((line, i) => !(i === 0 && line.startsWith('==='))).join('\n');
}
