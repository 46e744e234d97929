/**
 * The scripts first-boot user-data runs: the IMDSv2 supernet lookup (against a fake metadata
 * service that, as AWS with IMDSv1 off, answers only with a session token) and the boot-time
 * lineinfile (against the role's own edits of Debian's files).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imdsSupernetScript } from '../../../src/cloud-init/imds.js';
import { LINEINFILE_PY } from '../../../src/cloud-init/first-boot-tasks.js';

function sh(script: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', script, 'sh', ...args], (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
  });
}

/** A metadata service: PUT /latest/api/token with a TTL gives a token; GETs need it. */
function fakeImds(blocks: string): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.method === 'PUT' && req.url === '/latest/api/token' && req.headers['x-aws-ec2-metadata-token-ttl-seconds']) {
      res.end('token-123');
      return;
    }
    const mac = readFileSync('/sys/class/net/lo/address', 'utf8').trim();
    if (
      req.method === 'GET' &&
      req.headers['x-aws-ec2-metadata-token'] === 'token-123' &&
      req.url === `/latest/meta-data/network/interfaces/macs/${mac}/vpc-ipv4-cidr-blocks`
    ) {
      res.end(blocks);
      return;
    }
    res.statusCode = 401;
    res.end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })),
  );
}

test("the supernet comes from IMDSv2: a token by PUT, then the MAC's first VPC CIDR block", async (t) => {
  const imds = await fakeImds('10.20.0.0/16\n10.30.0.0/16');
  const file = join(mkdtempSync(join(tmpdir(), 'prov-imds-')), 'sub', 'vpc-supernet');
  try {
    const r = await sh(imdsSupernetScript('lo', imds.url, file, 3));
    t.is(r.code, 0, r.stderr);
    t.is(readFileSync(file, 'utf8'), '10.20.0.0/16\n');
    t.regex(r.stdout, /VPC supernet 10\.20\.0\.0\/16/);
    t.is(imds.requests[0], 'PUT /latest/api/token');
  } finally {
    imds.server.close();
  }
});

test('no CIDR block from the metadata: the boot step fails, naming vpc_supernet, and writes nothing', async (t) => {
  const imds = await fakeImds('not a cidr');
  const file = join(mkdtempSync(join(tmpdir(), 'prov-imds-')), 'vpc-supernet');
  try {
    const r = await sh(imdsSupernetScript('lo', imds.url, file, 2));
    t.is(r.code, 1);
    t.regex(r.stderr, /gave no VPC CIDR block .*set vpc_supernet in the inventory/);
    t.false(existsSync(file));
  } finally {
    imds.server.close();
  }
});

async function lineinfile(text: string, regexp: string, line: string, backrefs: boolean): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'prov-lif-')), 'f');
  writeFileSync(file, text);
  writeFileSync(`${file}.py`, LINEINFILE_PY);
  const r = await sh('python3 "$@"', [`${file}.py`, file, regexp, line, backrefs ? 'yes' : 'no']);
  if (r.code !== 0) throw new Error(r.stderr);
  return readFileSync(file, 'utf8');
}

test("boot-time lineinfile: the role's daemons edit replaces the line, and appends it when missing", async (t) => {
  t.is(await lineinfile('zebra=yes\nbgpd=no\nospfd=no\n', '^bgpd=', 'bgpd=yes', false), 'zebra=yes\nbgpd=yes\nospfd=no\n');
  t.is(await lineinfile('zebra=yes', '^bfdd=', 'bfdd=yes', false), 'zebra=yes\nbfdd=yes\n');
  t.is(await lineinfile('bgpd=yes\n', '^bgpd=', 'bgpd=yes', false), 'bgpd=yes\n');
});

test("boot-time lineinfile with backrefs: the role's dhclient.conf regexp drops routers, no match changes nothing", async (t) => {
  const regexp = String.raw`^(\s*request\b.*?),?\s*\brouters\b(.*)$`;
  t.is(await lineinfile('request subnet-mask, routers, domain-name;\n', regexp, String.raw`\1\2`, true), 'request subnet-mask, domain-name;\n');
  t.is(await lineinfile('send host-name;\n', regexp, String.raw`\1\2`, true), 'send host-name;\n');
});
