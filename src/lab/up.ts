import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProvError, errorMessage } from '../core/errors.js';
import { makeNodeCgroups } from './cgroups.js';
import { labDown, labNamespaces } from './down.js';
import { ensureImage, imageCacheDir, imageKey } from './image.js';
import { keyDirFor, writeInventory } from './inventory.js';
import { wireNetworks } from './network.js';
import { seedCloudInit } from './cloud-init-seed.js';
import { bootNode, mountOverlay, nodePaths, personalize } from './nodes.js';
import { preflight, type UpOptions } from './options.js';
import type { HostNetwork } from './topology.js';
import { runCapture } from './run.js';
import { alive } from './proc.js';
import { startImds, waitImdsReady } from './imds.js';
import { makeTlsCertificates, startDhcp, startTestServers, waitServersReady } from './services.js';
import { ensureKeyPair, labKeys, waitForSsh, writeKnownHosts } from './ssh.js';
import { readState, runtimeDir, writeState, type LabState } from './state.js';
import { netnsPrefix, planTopology, type LabNode, type Topology } from './topology.js';

export type UpResult = { status: 'running'; state: LabState } | { status: 'started'; state: LabState; bootMs: number; preparedMs: number };

/** True when every supervised process of the lab is alive. */
export function isRunning(state: LabState): boolean {
  return Object.values(state.pids).length > 0 && Object.values(state.pids).every(alive);
}

export async function labUp(opts: UpOptions, log: (line: string) => void): Promise<UpResult> {
  const imageReady = existsSync(join(imageCacheDir(), imageKey(opts.release), 'complete'));
  preflight(!imageReady);
  const previous = readState(opts.name);
  if (previous && isRunning(previous)) return { status: 'running', state: previous };
  if (previous || (await labNamespaces(netnsPrefix(opts.name))).length > 0) {
    throw new ProvError('options', `lab: ${opts.name} is partly up (stopped or crashed); run: prov lab down --name ${opts.name}`);
  }
  const topo = planTopology(opts.name, opts.routers, opts.hosts);
  await checkMgmtSubnetFree(topo);
  const image = await ensureImage(opts.release, log);
  raiseInotifyLimit();

  const started = Date.now();
  const runtime = runtimeDir(opts.name);
  const keys = labKeys(keyDirFor(opts.inventoryPath, opts.name));
  const state: LabState = {
    name: opts.name,
    release: opts.release,
    image: image.key,
    createdAt: new Date().toISOString(),
    inventoryPath: opts.inventoryPath,
    keyDir: keys.dir,
    topology: topo,
    hostNetwork: opts.hostNetwork,
    pids: {},
    mounts: topo.nodes.map((n) => nodePaths(runtime, n.name).root),
  };
  mkdirSync(runtime, { recursive: true });
  writeState(state);
  try {
    log(`starting lab ${opts.name}: ${opts.routers} routers, ${opts.hosts} hosts, ${opts.release}, hosts' network by ${opts.hostNetwork}`);
    const authorized = await ensureKeyPair(keys);
    // --cloud-init-hosts: the user-data is rendered from the lab's inventory, so it is written first.
    let userData: Record<string, string> = {};
    if (opts.cloudInit) {
      writeInventory(opts.inventoryPath, topo, keys, opts.hostNetwork);
      userData = await opts.cloudInit(opts.inventoryPath);
    }
    const tlsDir = join(runtime, 'tls');
    const [, hostKeys] = await Promise.all([
      wireNetworks(topo),
      Promise.all(topo.nodes.map((n) => prepareNode(n, image.rootfs, runtime, authorized, opts.hostNetwork, userData[n.name]))),
      makeTlsCertificates(tlsDir),
    ]);
    const preparedMs = Date.now() - started;
    writeKnownHosts(
      keys,
      topo.nodes.map((node, i) => ({ node, hostKey: hostKeys[i]! })),
    );

    state.pids.dnsmasq = startDhcp(topo, runtime);
    const imds = await startImds(topo, runtime);
    state.pids.imds = imds.pid;
    const servers = startTestServers(topo, runtime, tlsDir);
    state.pids.server = servers.server;
    state.pids.peer = servers.peer;
    state.pids.dns = servers.dns;
    for (const node of topo.nodes) state.pids[`node:${node.name}`] = bootNode(node, nodePaths(runtime, node.name), makeNodeCgroups(opts.name, node.name));
    writeState(state);

    const deadline = Date.now() + 60_000 + 2_000 * topo.nodes.length;
    await Promise.all([
      waitServersReady(runtime, servers),
      waitImdsReady(runtime, imds, alive),
      ...topo.nodes.map((node) =>
        waitForSsh(keys, node, deadline, () => alive(state.pids[`node:${node.name}`]!)).catch((err: unknown) => {
          throw new ProvError('unreachable', errorMessage(err), { cause: err });
        }),
      ),
    ]);
    if (!alive(state.pids.dnsmasq)) throw new ProvError('internal', `lab: dnsmasq exited; see ${join(runtime, 'dnsmasq.log')}`);
    writeInventory(opts.inventoryPath, topo, keys, opts.hostNetwork);
    return { status: 'started', state, bootMs: Date.now() - started, preparedMs };
  } catch (err) {
    log(`lab ${opts.name} failed to come up (${errorMessage(err)}); tearing down what was made`);
    await labDown(opts.name).catch(() => {});
    throw err;
  }
}

async function prepareNode(
  node: LabNode,
  imageRoot: string,
  runtime: string,
  authorized: string,
  hostNetwork: HostNetwork,
  userData?: string,
): Promise<string> {
  const p = nodePaths(runtime, node.name);
  await mountOverlay(imageRoot, p);
  const hostKey = await personalize(node, p.root, authorized, hostNetwork);
  if (userData !== undefined) await seedCloudInit(node, p.root, userData);
  return hostKey;
}

/** Another lab or network on the host that already uses our management /24 would break routing. */
async function checkMgmtSubnetFree(topo: Topology): Promise<void> {
  const r = await runCapture('ip', ['-4', '-o', 'addr', 'show']);
  const clash = r.stdout.split('\n').find((l) => l.includes(` ${topo.mgmt.prefix}`));
  if (clash) {
    const dev = clash.split(/\s+/)[1];
    throw new ProvError('options', `lab: management subnet ${topo.mgmt.cidr} is already in use on ${dev}; pick another --name`);
  }
}

/** Many nodes need many inotify instances (systemd per node); this is not a network sysctl. */
function raiseInotifyLimit(): void {
  const file = '/proc/sys/fs/inotify/max_user_instances';
  try {
    if (Number(readFileSync(file, 'utf8')) < 8192) writeFileSync(file, '8192');
  } catch {
    // not fatal: small labs boot within the default
  }
}
