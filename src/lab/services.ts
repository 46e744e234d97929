import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProvError } from '../errors.js';
import { alive } from './proc.js';
import { run } from './run.js';
import { TESTNET, TEST_SERVER, TLS_NAMES, type Topology } from './topology.js';

const TEST_SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'servers', 'test-server.mjs');

/** Starts a supervised process inside a lab namespace; `ip netns exec` execs, so the pid is the server's. */
function startInNamespace(netns: string, argv: string[], log: string): number {
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
          'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '365',
          '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`,
          '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`),
        ],
        `certificate for ${name}`,
      ),
    ),
  );
}

/**
 * The VPC router's DHCP server (Debian's dnsmasq): one fixed lease per host MAC, a default
 * route via the subnet gateway, no DNS. Returns its pid.
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
    '--dhcp-authoritative',
    '--log-facility=-',
    ...hosts.map((h) => `--dhcp-host=${h.subnetMac},${h.subnetAddress},${h.name}`),
  ];
  return startInNamespace(topo.namespaces.vpc, argv, join(runtime, 'dnsmasq.log'));
}

export interface ServerPids {
  server: number;
  peer: number;
}

/** The internet test server (HTTP, HTTPS, echo) and the peer subnet's node (echo). */
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
  return { server, peer };
}

/** Waits until the servers wrote their ready files (all listeners bound). */
export async function waitServersReady(runtime: string, pids: ServerPids, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [what, pid] of Object.entries(pids)) {
    const file = join(runtime, `${what}.ready`);
    while (!existsSync(file)) {
      if (!alive(pid)) throw new ProvError('internal', `lab: the ${what} test process exited; see ${join(runtime, `${what}.log`)}`);
      if (Date.now() > deadline) throw new ProvError('internal', `lab: the ${what} test process did not start in time`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
