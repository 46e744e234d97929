#!/usr/bin/env node
// Entry point: runs the build in dist/ (scripts/setup.sh makes it) while it is newer than every
// source file, else the TypeScript sources through tsx's loader, so that `npx prov` works right
// after `npm ci` and an edited source never runs stale. PROV_FROM_SOURCE=1: always the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './fresh-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.PROV_FROM_SOURCE !== '1' && distIsFresh(root)) {
  await import('../dist/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
