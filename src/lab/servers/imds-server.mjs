// The lab's instance metadata service (IMDSv2 only, as an instance with HttpTokens=required),
// run by `prov lab up` in the VPC router's namespace on 169.254.169.254:80 (src/lab/imds.ts):
//   --listen ADDR --port PORT   where to listen
//   --data FILE                 JSON: { "<instance's subnet address>": { mac, "local-ipv4",
//                               "vpc-ipv4-cidr-block", "vpc-ipv4-cidr-blocks": [..],
//                               "subnet-ipv4-cidr-block" } }; the client's source address
//                               says which instance asks, as the ENI does on AWS
//   --ready FILE                written once listening
// PUT /latest/api/token needs X-aws-ec2-metadata-token-ttl-seconds (1-21600), else 400; every
// GET needs a live token of the same instance in X-aws-ec2-metadata-token, else 401. Unknown
// paths are 404. The hop limit (TTL 1 on the responses) is an nftables rule of the namespace.
// Plain JavaScript so that it starts in milliseconds without a TypeScript loader.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const instances = JSON.parse(readFileSync(opt('data'), 'utf8'));
/** token -> { client, expires } */
const tokens = new Map();

function metadata(instance, path) {
  const mac = instance.mac;
  const iface = {
    mac,
    'local-ipv4s': instance['local-ipv4'],
    'vpc-ipv4-cidr-block': instance['vpc-ipv4-cidr-block'],
    'vpc-ipv4-cidr-blocks': instance['vpc-ipv4-cidr-blocks'].join('\n'),
    'subnet-ipv4-cidr-block': instance['subnet-ipv4-cidr-block'],
  };
  const tree = {
    mac,
    'local-ipv4': instance['local-ipv4'],
    network: { interfaces: { macs: { [mac]: iface } } },
  };
  let node = tree;
  for (const part of path.split('/').filter((p) => p !== '')) {
    if (typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  if (typeof node === 'object') return Object.entries(node).map(([k, v]) => (typeof v === 'object' ? `${k}/` : k)).join('\n');
  return String(node);
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const instance = instances[client];
  const url = new URL(req.url ?? '/', 'http://169.254.169.254');
  if (url.pathname === '/latest/api/token') {
    if (req.method !== 'PUT') return reply(res, 405, 'Method Not Allowed');
    const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return reply(res, 400, 'Bad Request');
    if (!instance) return reply(res, 404, 'Not Found');
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { client, expires: Date.now() + ttl * 1000 });
    res.setHeader('x-aws-ec2-metadata-token-ttl-seconds', String(ttl));
    return reply(res, 200, token);
  }
  const token = tokens.get(String(req.headers['x-aws-ec2-metadata-token'] ?? ''));
  if (!token || token.client !== client || token.expires < Date.now()) return reply(res, 401, 'Unauthorized');
  if (req.method !== 'GET') return reply(res, 405, 'Method Not Allowed');
  const m = /^\/latest\/meta-data(\/.*)?$/.exec(url.pathname);
  const body = m && instance ? metadata(instance, m[1] ?? '') : undefined;
  if (body === undefined) return reply(res, 404, 'Not Found');
  return reply(res, 200, body);
});
server.listen(Number(opt('port') ?? 80), opt('listen') ?? '169.254.169.254', () => {
  if (opt('ready')) writeFileSync(opt('ready'), `${process.pid}\n`);
});
