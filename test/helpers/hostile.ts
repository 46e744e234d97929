/**
 * Hostile strings for quoting tests, and a harness that runs a generated script with real bash
 * in a fresh temp dir, with chosen programs replaced by a recorder that writes its argv (NUL
 * separated) to a file and exits with a given status. Every string that could run something
 * tries to create `pwned` in the current directory, so "no side effect" is "no pwned file".
 * The strings have no '/', so each can also be used as a file name inside the temp dir.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PWNED = 'pwned';

export const HOSTILE: readonly string[] = [
  "'; touch pwned; '",
  '"; touch pwned; "',
  '$(touch pwned)',
  '`touch pwned`',
  'x; touch pwned #',
  'x && touch pwned',
  'x | touch pwned',
  'x > pwned',
  'a\ntouch pwned\n',
  '${IFS}touch${IFS}pwned',
  "x';touch${IFS}pwned;echo${IFS}'x",
  '127.0.0.1 1; touch pwned; #',
  '*',
  '?',
  '[a-z]*',
  '{a,b}',
  '-rf',
  '--help',
  '-n',
  '~root',
  '$HOME',
  '$((6*7))',
  '!!',
  '\\',
  "'",
  '"',
  '\\"\'',
  '%s',
  ' leading and trailing ',
  'tab\there\rcr',
  'héllo wörld ✓ 😀 ‮rtl',
];

export interface BashRun {
  code: number;
  stdout: string;
  stderr: string;
  /** argv of every recorded program call, program name first (in no particular order). */
  calls: string[][];
  /** Names in the run's directory after the script. */
  files: string[];
  dir: string;
  /** What the case's `inspect` returned. */
  inspected?: unknown;
}

export interface BashCase {
  script: string;
  stdin?: string | Buffer;
  /** Prepares the case's directory (the script's cwd) before it runs. */
  setup?: (dir: string) => Promise<void>;
  /** Looks at the case's directory after the script, before it is removed. */
  inspect?: (dir: string) => Promise<unknown>;
}

export interface BashOptions {
  /** Programs replaced by the recorder, with the status each exits with (default 0). */
  stubs?: Record<string, number>;
  shell?: 'bash' | 'sh';
}

const recorder = (status: number) => `#!/bin/sh
printf '%s\\0' "\${0##*/}" "$@" > "$PROV_REC_DIR/call.$$"
exit ${status}
`;

/**
 * Runs one case per value, each as `bash -c <script>` (or sh) in its own fresh directory, with
 * its stdin, from one driver process (the machine may be busy: one spawn per batch, not per case).
 */
export async function runEach(values: readonly string[], make: (v: string) => BashCase, options: BashOptions = {}): Promise<{ v: string; run: BashRun }[]> {
  const root = await mkdtemp(join(tmpdir(), 'prov-quoting-'));
  try {
    const bin = join(root, 'bin');
    await mkdir(bin);
    for (const [name, status] of Object.entries(options.stubs ?? {})) {
      await writeFile(join(bin, name), recorder(status));
      await chmod(join(bin, name), 0o755);
    }
    const cases = values.map((v, i) => ({ v, spec: make(v), base: join(root, `case${i}`) }));
    const driver: string[] = [];
    for (const c of cases) {
      await mkdir(join(c.base, 'cwd'), { recursive: true });
      await mkdir(join(c.base, 'rec'));
      await writeFile(join(c.base, 'script'), c.spec.script);
      await writeFile(join(c.base, 'stdin'), c.spec.stdin ?? '');
      await c.spec.setup?.(join(c.base, 'cwd'));
      const b = `'${c.base}'`;
      driver.push(
        `(cd ${b}/cwd && PROV_REC_DIR=${b}/rec exec ${options.shell ?? 'bash'} -c "$(<${b}/script)") <${b}/stdin >${b}/out 2>${b}/err; echo $? >${b}/rc`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn('bash', ['-c', driver.join('\n')], {
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('close', () => resolve());
    });
    const out: { v: string; run: BashRun }[] = [];
    for (const c of cases) {
      const calls: string[][] = [];
      for (const f of await readdir(join(c.base, 'rec'))) calls.push((await readFile(join(c.base, 'rec', f), 'utf8')).split('\0').slice(0, -1));
      const dir = join(c.base, 'cwd');
      const inspected = await c.spec.inspect?.(dir);
      const text = (name: string) => readFile(join(c.base, name), 'utf8');
      out.push({
        v: c.v,
        run: {
          code: Number((await text('rc')).trim()),
          stdout: await text('out'),
          stderr: await text('err'),
          calls,
          files: await readdir(dir),
          dir,
          inspected,
        },
      });
    }
    return out;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** One script, one case. */
export async function runBash(script: string, options: BashOptions & Omit<BashCase, 'script'> = {}): Promise<BashRun> {
  const [only] = await runEach([''], () => ({ ...options, script }), options);
  return only!.run;
}
