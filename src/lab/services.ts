import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProvError } from '../core/errors.js';
import { alive } from './proc.js';
import { run } from './run.js';
import { LAB_DNS, TESTNET, TEST_SERVER, TLS_NAMES, type Topology } from './topology.js';

const TEST_SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'servers', 'test-server.mjs');

/** Starts a supervised process inside a lab namespace; `ip netns exec` execs, so the pid is the server's. */
export function startInNamespace(netns: string, argv: string[], log: string): number {
  const fd = openSync(log, 'a');
  try {
    const child = spawn('ip', ['netns', 'exec', netns, ...argv], { detached: true, stdio: ['ignore', fd, fd] });
    if (!child.pid) throw new ProvError('internal', `lab: cannot start ${argv[0]} in ${netns}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** One self-signed certificate per name, for the HTTPS test server (SNI picks the certificate). */
export async function makeTlsCertificates(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await Promise.all(
    Object.values(TLS_NAMES).map((name) =>
      run(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '365',
          '-subj',
          `/CN=${name}`,
          '-addext',
          `subjectAltName=DNS:${name}`,
          '-keyout',
          join(dir, `${name}.key`),
          '-out',
          join(dir, `${name}.crt`),
        ],
        `certificate for ${name}`,
      ),
    ),
  );
}

/**
 * The VPC router's DHCP server (Debian's dnsmasq): one fixed lease per host MAC, a default
 * route via the subnet gateway and the lab's DNS server (as a cloud's DHCP names its resolver);
 * it serves no DNS itself. Returns its pid.
 */
export function startDhcp(topo: Topology, runtime: string): number {
  const hosts = topo.nodes.filter((n) => n.role === 'host');
  const argv = [
    'dnsmasq',
    '--keep-in-foreground',
    '--no-resolv',
    '--no-hosts',
    '--port=0',
    '--interface=subnet0',
    '--bind-interfaces',
    `--pid-file=${join(runtime, 'dnsmasq.pid')}`,
    `--dhcp-leasefile=${join(runtime, 'dnsmasq.leases')}`,
    `--dhcp-range=${TESTNET.prefix}${TESTNET.firstHost},static,255.255.255.0,1h`,
    `--dhcp-option=option:router,${TESTNET.gateway}`,
    `--dhcp-option=option:dns-server,${LAB_DNS.address}`,
    '--dhcp-authoritative',
    '--log-facility=-',
    ...hosts.map((h) => `--dhcp-host=${h.subnetMac},${h.subnetAddress},${h.name}`),
  ];
  return startInNamespace(topo.namespaces.vpc, argv, join(runtime, 'dnsmasq.log'));
}

/**
 * The lab's DNS server (Debian's dnsmasq) in the test server's namespace: the TLS names resolve to
 * the test server, every other name is NXDOMAIN at once (`--address=/#/`), and nothing is ever
 * forwarded (`--no-resolv`, no `--server`). Its pid file doubles as its ready file: dnsmasq writes
 * it after binding its sockets. Returns its pid.
 */
export function startDns(topo: Topology, runtime: string): number {
  const argv = [
    'dnsmasq',
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--port=53',
    `--listen-address=${LAB_DNS.address}`,
    '--bind-interfaces',
    `--pid-file=${readyFile(runtime, 'dns')}`,
    '--log-facility=-',
    '--log-queries',
    ...Object.values(TLS_NAMES).map((name) => `--address=/${name}/${TEST_SERVER.address}`),
    '--address=/#/',
  ];
  return startInNamespace(topo.namespaces.server, argv, join(runtime, 'dns.log'));
}

export interface ServerPids {
  server: number;
  peer: number;
  dns: number;
}

/** The file whose existence says a supervised service is ready. */
function readyFile(runtime: string, what: string): string {
  return join(runtime, what === 'dns' ? 'dns.pid' : `${what}.ready`);
}

/** The internet test server (HTTP, HTTPS, echo), its DNS server, and the peer subnet's node (echo). */
export function startTestServers(topo: Topology, runtime: string, tlsDir: string): ServerPids {
  const node = process.execPath;
  const port = String(TEST_SERVER.echoPort);
  const server = startInNamespace(
    topo.namespaces.server,
    [node, TEST_SERVER_SCRIPT, '--echo', port, '--http', '80', '--https', '443', '--tls', tlsDir, '--ready', join(runtime, 'server.ready')],
    join(runtime, 'server.log'),
  );
  const peer = startInNamespace(
    topo.namespaces.peer,
    [node, TEST_SERVER_SCRIPT, '--echo', port, '--ready', join(runtime, 'peer.ready')],
    join(runtime, 'peer.log'),
  );
  return { server, peer, dns: startDns(topo, runtime) };
}

/** Waits until the servers wrote their ready files (all listeners bound). */
export async function waitServersReady(runtime: string, pids: ServerPids, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [what, pid] of Object.entries(pids)) {
    const file = readyFile(runtime, what);
    while (!existsSync(file)) {
      if (!alive(pid)) throw new ProvError('internal', `lab: the ${what} test process exited; see ${join(runtime, `${what}.log`)}`);
      if (Date.now() > deadline) throw new ProvError('internal', `lab: the ${what} test process did not start in time`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
