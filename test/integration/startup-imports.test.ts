/**
 * What a prov run loads at start: the AWS SDK (about 0.5 s and 85 MB of the controller's memory)
 * only when an aws_ec2 inventory is read, never for a YAML inventory or `--help`. The packages a
 * run resolves are recorded by a module resolve hook (test/helpers/record-imports.mjs).
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROV_BIN } from '../helpers/cli.js';

const HOOK = fileURLToPath(new URL('../helpers/record-imports.mjs', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../inventory/example.yml', import.meta.url));

/** The package specifiers a `prov …` run resolved, and its exit code. */
function importsOf(args: string[]): Promise<{ code: number | null; packages: Set<string>; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', HOOK, PROV_BIN, ...args], {
      env: { ...process.env, AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      const packages = new Set([...stderr.matchAll(/^imported: (\S+)$/gm)].map((m) => m[1]!));
      resolve({ code, packages, stderr });
    });
  });
}

const awsSdk = (packages: Set<string>) => [...packages].filter((p) => p.startsWith('@aws-sdk/'));

test('a YAML inventory and --help load no AWS SDK', async (t) => {
  const list = await importsOf(['inventory', EXAMPLE, '--list']);
  t.is(list.code, 0, list.stderr);
  t.true(list.packages.has('js-yaml'), 'the hook records the packages the run resolves');
  t.deepEqual(awsSdk(list.packages), []);
  const help = await importsOf(['apply', '--help']);
  t.is(help.code, 0, help.stderr);
  t.deepEqual(awsSdk(help.packages), []);
});

test('an aws_ec2 inventory loads the SDK (and fails in one line when the endpoint does not answer)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'prov-imports-'));
  try {
    const file = join(dir, 'closed.aws_ec2.yml');
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    writeFileSync(file, 'plugin: amazon.aws.aws_ec2\nregions: [us-east-1]\nendpoint_url: http://127.0.0.1:1\naws_access_key: test\naws_secret_key: test\n');
    const r = await importsOf(['inventory', file, '--list']);
    t.is(r.code, 4, r.stderr);
    t.true(awsSdk(r.packages).includes('@aws-sdk/client-ec2'), [...r.packages].join(' '));
    t.regex(r.stderr, /closed\.aws_ec2\.yml: failed to describe instances in us-east-1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
