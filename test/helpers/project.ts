import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes a throw-away project (inventory, playbook, roles) to a temp dir; returns its path. */
export async function makeProject(files: Record<string, string>): Promise<{ dir: string; path: (p: string) => string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'prov-project-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return { dir, path: (p) => join(dir, p), remove: () => rm(dir, { recursive: true, force: true }) };
}
