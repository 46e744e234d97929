// Whether dist/ (scripts/build.mjs) may run instead of the sources: it exists and its stamp,
// written last by the build, is newer than every file under src/ (a file edited, added or
// checked out since the build makes it stale). Plain JavaScript: it runs before any loader.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function distIsFresh(root) {
  let built;
  try {
    built = statSync(join(root, 'dist', '.built')).mtimeMs;
  } catch {
    return false;
  }
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built) return false;
  }
  return true;
}
