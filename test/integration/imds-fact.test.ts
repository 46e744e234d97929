/**
 * The IMDSv2 fact's shell command against the lab's metadata server (src/lab/servers/imds-server.mjs),
 * both on loopback (169.254.169.254 exists only inside lab namespaces; test/lab/bastion-imds.test.ts
 * runs them there): the token flow, and the server's 400 / 401 answers.
 */
import test from 'ava';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ec2MetadataCommand, parseEc2Metadata } from '../../src/facts/ec2-metadata.js';
import { freePort } from '../helpers/sshd.js';
import { repoRoot } from '../helpers/lab.js';

const run = promisify(execFile);
let dir: string;
let server: ChildProcess;
let base: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prov-imds-'));
  const data = join(dir, 'imds.json');
  await writeFile(
    data,
    JSON.stringify({
      '127.0.0.1': {
        mac: '02:aa:bb:00:00:03',
        'local-ipv4': '192.168.100.100',
        'vpc-ipv4-cidr-block': '192.168.100.0/23',
        'vpc-ipv4-cidr-blocks': ['192.168.100.0/23', '10.9.0.0/16'],
        'subnet-ipv4-cidr-block': '192.168.100.0/24',
      },
    }),
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const ready = join(dir, 'ready');
  server = spawn(
    process.execPath,
    [join(repoRoot, 'src/lab/servers/imds-server.mjs'), '--listen', '127.0.0.1', '--port', String(port), '--data', data, '--ready', ready],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 200 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 25));
});

test.after.always(async () => {
  server?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the fact command reads the metadata with a token, in one shell command', async (t) => {
  const { stdout } = await run('sh', ['-c', ec2MetadataCommand(base)]);
  t.deepEqual(parseEc2Metadata(stdout), {
    mac: '02:aa:bb:00:00:03',
    localIpv4: '192.168.100.100',
    vpcCidrBlock: '192.168.100.0/23',
    vpcCidrBlocks: ['192.168.100.0/23', '10.9.0.0/16'],
    subnetCidrBlock: '192.168.100.0/24',
    subnetGateway: '192.168.100.1',
  });
});

test('no service: the command prints nothing and the fact is null', async (t) => {
  const { stdout } = await run('sh', ['-c', ec2MetadataCommand(`http://127.0.0.1:${await freePort()}`)]);
  t.is(stdout, '');
  t.is(parseEc2Metadata(stdout), null);
});

test('IMDSv2 only: 400 without a TTL, 401 without a token or with a wrong one', async (t) => {
  t.is((await fetch(`${base}/latest/api/token`, { method: 'PUT' })).status, 400);
  t.is((await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '0' } })).status, 400);
  t.is((await fetch(`${base}/latest/meta-data/mac`)).status, 401);
  t.is((await fetch(`${base}/latest/meta-data/mac`, { headers: { 'X-aws-ec2-metadata-token': 'forged' } })).status, 401);
  const token = await (await fetch(`${base}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '30' } })).text();
  const auth = { headers: { 'X-aws-ec2-metadata-token': token } };
  t.is(await (await fetch(`${base}/latest/meta-data/mac`, auth)).text(), '02:aa:bb:00:00:03');
  t.is(
    await (await fetch(`${base}/latest/meta-data/network/interfaces/macs/02:aa:bb:00:00:03/vpc-ipv4-cidr-blocks`, auth)).text(),
    '192.168.100.0/23\n10.9.0.0/16',
  );
  t.is((await fetch(`${base}/latest/meta-data/nothing-here`, auth)).status, 404);
});
