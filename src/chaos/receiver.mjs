// prov chaos receiver: TCP and UDP echo that appends "|<source address>" to every message, so
// the flow generator learns which router carried each packet (the routers NAT the hosts'
// traffic to their own upstream address). Run by `prov chaos` inside the lab's server
// namespace (`ip netns exec`). Usage: receiver.mjs PORT [READY_FILE]
// Plain JavaScript so that it starts in milliseconds without a TypeScript loader.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';

const port = Number(process.argv[2]);
const ready = process.argv[3];
const v4 = (address) => address.replace(/^::ffff:/, '');

const tcp = createServer((sock) => {
  const tail = Buffer.from(`|${v4(sock.remoteAddress ?? '')}\n`);
  let buf = Buffer.alloc(0);
  sock.setNoDelay(true);
  sock.on('error', () => {});
  sock.on('data', (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    const out = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      out.push(buf.subarray(start, nl), tail);
      start = nl + 1;
    }
    buf = buf.subarray(start);
    if (out.length) sock.write(Buffer.concat(out));
  });
});
// A large receive buffer rides out scheduling stalls of this one-threaded echo (a lab node
// booting on a shared core): without it the socket drops bursts and the report would blame the
// routers. The kernel caps the size at net.core.rmem_max; `prov chaos` reports any drop left.
const udp = createSocket({ type: 'udp4', recvBufferSize: 16 << 20, sendBufferSize: 4 << 20 });
udp.on('message', (msg, rinfo) => udp.send(Buffer.concat([msg, Buffer.from(`|${rinfo.address}`)]), rinfo.port, rinfo.address));
udp.on('error', () => {});
await Promise.all([
  new Promise((resolve, reject) => { tcp.once('error', reject); tcp.listen(port, '0.0.0.0', resolve); }),
  new Promise((resolve) => udp.bind(port, '0.0.0.0', resolve)),
]);
if (ready) writeFileSync(ready, JSON.stringify({ pid: process.pid, recvBufferBytes: udp.getRecvBufferSize() }) + '\n');
