// The lab's test servers, run by `prov lab up` inside a lab namespace with `ip netns exec`:
//   --echo PORT        TCP and UDP echo (flow tests)
//   --http PORT        HTTP: answers every request with 200 and the Host it asked for
//   --https PORT --tls DIR   HTTPS with one self-signed certificate per name (chosen by SNI);
//                      DIR holds NAME.crt and NAME.key for each name
//   --ready FILE       written once every listener is up
// Plain JavaScript so that it starts in milliseconds without a TypeScript loader.
import { createServer as createTcp } from 'node:net';
import { createSocket } from 'node:dgram';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createSecureContext } from 'node:tls';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const listening = [];
const listen = (server, port) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), '0.0.0.0', resolve);
  });

const answer = (req, res) => {
  const body = `prov lab test server: ${req.headers.host ?? ''}${req.url}\n`;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

if (opt('echo')) {
  const port = Number(opt('echo'));
  listening.push(listen(createTcp((sock) => { sock.on('error', () => {}); sock.pipe(sock); }), port));
  const udp = createSocket('udp4');
  udp.on('message', (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
  listening.push(new Promise((resolve) => udp.bind(port, '0.0.0.0', resolve)));
}
if (opt('http')) listening.push(listen(createHttp(answer), opt('http')));
if (opt('https')) {
  const dir = opt('tls');
  const contexts = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.crt'))) {
    const name = file.slice(0, -4);
    contexts.set(name, createSecureContext({ cert: readFileSync(join(dir, file)), key: readFileSync(join(dir, `${name}.key`)) }));
  }
  const first = [...contexts.keys()][0];
  const server = createHttps(
    {
      cert: readFileSync(join(dir, `${first}.crt`)),
      key: readFileSync(join(dir, `${first}.key`)),
      SNICallback: (servername, cb) => cb(null, contexts.get(servername) ?? contexts.get(first)),
    },
    answer,
  );
  listening.push(listen(server, opt('https')));
}
await Promise.all(listening);
if (opt('ready')) writeFileSync(opt('ready'), `${process.pid}\n`);
