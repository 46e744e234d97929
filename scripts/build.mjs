// `npm run build` (scripts/setup.sh runs it): compiles src/ into dist/, one .js file per .ts file
// in the same tree, so that a path a module computes from its own file (roles/, playbooks/, the
// lab's scripts) is the same from dist/ as from src/; copies src/'s other files (scripts, Python)
// beside them; writes dist/.built last. bin/prov.js runs dist/ only while dist/.built is newer
// than every file in src/ (bin/fresh-build.js), else the sources through tsx: starting from
// dist/ saves tsx's compile at every start and the memory of its esbuild service.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name));
const sources = files.filter((f) => f.endsWith('.ts'));

const started = performance.now();
rmSync(dist, { recursive: true, force: true });
await build({ entryPoints: sources, outdir: dist, outbase: src, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' });
for (const f of files.filter((f) => !f.endsWith('.ts'))) {
  const to = join(dist, relative(src, f));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(f, to);
}
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
console.log(`build: ${sources.length} modules and ${files.length - sources.length} other files into dist/ in ${Math.round(performance.now() - started)} ms`);
