/**
 * bin/prov.js starts from dist/ (scripts/build.mjs) only while the build is newer than every
 * file under src/, else from the sources through tsx; PROV_FROM_SOURCE=1 always takes the
 * sources. Run on a copy of bin/ in a temporary project whose src/cli.ts and dist/cli.js each say
 * which one ran. Also: the real build compiles the real sources into a dist/ that runs.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../unit/roles/render.js';

const run = promisify(execFile);

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-entry-'));
  cpSync(join(repoRoot, 'bin'), join(dir, 'bin'), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'src', 'cli.ts'), "const from: string = 'src';\nconsole.log(from);\n");
  writeFileSync(join(dir, 'src', 'deep', 'asset.py'), '# a file the build copies\n');
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'cli.js'), "console.log('dist');\n");
  return dir;
}

async function started(dir: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await run(process.execPath, [join(dir, 'bin', 'prov.js')], { env: { ...process.env, PROV_FROM_SOURCE: '', ...env } });
  return r.stdout.trim();
}

/** Sets a file's modification time to `s` seconds from now. */
function touch(path: string, s: number): void {
  const t = new Date(Date.now() + s * 1000);
  utimesSync(path, t, t);
}

test('no build: the sources run, through tsx', async (t) => {
  const dir = project();
  try {
    t.is(await started(dir), 'src');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a build newer than every source runs; a source (or any file under src/) edited since makes it stale', async (t) => {
  const dir = project();
  try {
    writeFileSync(join(dir, 'dist', '.built'), 'now\n');
    for (const f of ['src/cli.ts', 'src/deep/asset.py']) touch(join(dir, f), -60);
    t.is(await started(dir), 'dist');
    t.is(await started(dir, { PROV_FROM_SOURCE: '1' }), 'src', 'PROV_FROM_SOURCE=1 takes the sources');
    touch(join(dir, 'src', 'deep', 'asset.py'), 5);
    t.is(await started(dir), 'src', 'a file under src/ newer than the build');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scripts/build.mjs compiles the real sources into a dist/ that runs, with their other files beside them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'prov-build-'));
  try {
    for (const part of ['src', 'scripts', 'bin', 'package.json']) cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
    cpSync(join(repoRoot, 'inventory', 'example.yml'), join(dir, 'example.yml'));
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    const built = await run(process.execPath, [join(dir, 'scripts', 'build.mjs')]);
    t.regex(built.stdout, /^build: \d+ modules and \d+ other files into dist\//);
    const list = await run(process.execPath, [join(dir, 'dist', 'cli.js'), 'inventory', join(dir, 'example.yml'), '--list']);
    t.truthy(JSON.parse(list.stdout)._meta, 'the compiled CLI lists the inventory');
    const flowgen = await run('cmp', [join(dir, 'src', 'chaos', 'flowgen.py'), join(dir, 'dist', 'chaos', 'flowgen.py')]);
    t.is(flowgen.stdout, '', 'flowgen.py is copied beside the compiled chaos modules');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
