import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProvError } from '../errors.js';
import { LAB_DNS, NODE_IFACES, type LabNode } from './topology.js';
import { run } from './run.js';
import type { HostNetwork } from './options.js';

export interface NodePaths {
  dir: string;
  upper: string;
  work: string;
  root: string;
  log: string;
}

export function nodePaths(runtime: string, node: string): NodePaths {
  const dir = join(runtime, 'nodes', node);
  return { dir, upper: join(dir, 'upper'), work: join(dir, 'work'), root: join(dir, 'root'), log: join(dir, 'console.log') };
}

/** A copy-on-write view of the image for one node: the image stays untouched. */
export async function mountOverlay(imageRoot: string, p: NodePaths): Promise<void> {
  for (const d of [p.upper, p.work, p.root]) mkdirSync(d, { recursive: true });
  await run(
    'mount',
    ['-t', 'overlay', 'overlay', '-o', `lowerdir=${imageRoot},upperdir=${p.upper},workdir=${p.work}`, p.root],
    `mounting the overlay for ${p.root}`,
  );
}

/**
 * Per-node identity written into the overlay before boot: hostname, machine id, its own SSH host
 * key, the lab's authorized key, the lab's DNS server in resolv.conf, and ifupdown's interfaces
 * file. Hosts take ens6 by DHCP: from ifupdown (isc-dhcp-client) or, with `hostNetwork`
 * networkd, from systemd-networkd (ens5 stays set by prov lab either way).
 * Returns the node's public host key line for known_hosts.
 */
export async function personalize(node: LabNode, root: string, authorizedKey: string, hostNetwork: HostNetwork = 'ifupdown'): Promise<string> {
  writeFileSync(join(root, 'etc/hostname'), `${node.name}\n`);
  writeFileSync(join(root, 'etc/hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${node.name}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);
  // debootstrap copied the build machine's resolv.conf into the image; the lab has its own DNS.
  // Removed first so that a symlink in the image can never make us write outside the node.
  rmSync(join(root, 'etc/resolv.conf'), { force: true });
  writeFileSync(join(root, 'etc/resolv.conf'), `# prov lab: the lab's DNS server (lab names only, no upstream)\nnameserver ${LAB_DNS.address}\n`);
  writeFileSync(join(root, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
  mkdirSync(join(root, 'root/.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(root, 'root/.ssh/authorized_keys'), authorizedKey, { mode: 0o600 });
  const key = join(root, 'etc/ssh/ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${node.name}`, '-f', key], `host key for ${node.name}`);
  const { mgmt, subnet, upstream } = NODE_IFACES;
  const networkd = node.role === 'host' && hostNetwork === 'networkd';
  const ifaces =
    node.role !== 'host'
      ? `# ${mgmt} (management), ${subnet} (subnet) and ${upstream} (upstream) are set statically by prov lab.\n`
      : networkd
        ? `# ${subnet}: the subnet, by DHCP from systemd-networkd (/etc/systemd/network). ${mgmt} (management) is set by prov lab.\n`
        : `# ${subnet}: the subnet, by DHCP as on a Debian cloud image. ${mgmt} (management) is set by prov lab.\nauto ${subnet}\niface ${subnet} inet dhcp\n`;
  appendFileSync(join(root, 'etc/network/interfaces'), `\n${ifaces}`);
  if (networkd) enableNetworkd(root, subnet);
  return readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/** A .network file for the subnet interface, and systemd-networkd enabled as `systemctl enable` would. */
function enableNetworkd(root: string, iface: string): void {
  mkdirSync(join(root, 'etc/systemd/network'), { recursive: true });
  writeFileSync(join(root, `etc/systemd/network/10-${iface}.network`), `# prov lab: the subnet by DHCP\n[Match]\nName=${iface}\n\n[Network]\nDHCP=ipv4\n`);
  const units = 'etc/systemd/system';
  const links: Array<[string, string]> = [
    [`${units}/multi-user.target.wants/systemd-networkd.service`, '/lib/systemd/system/systemd-networkd.service'],
    [`${units}/sockets.target.wants/systemd-networkd.socket`, '/lib/systemd/system/systemd-networkd.socket'],
    [`${units}/dbus-org.freedesktop.network1.service`, '/lib/systemd/system/systemd-networkd.service'],
  ];
  for (const [link, target] of links) {
    mkdirSync(join(root, link, '..'), { recursive: true });
    rmSync(join(root, link), { force: true });
    symlinkSync(target, join(root, link));
  }
}

/**
 * Boots the node with systemd-nspawn in its network namespace (flags from LAB-NOTES.md) and
 * returns the nspawn pid. The process is detached so that it outlives `prov lab up`.
 */
export function bootNode(node: LabNode, p: NodePaths, cgroupProcs: string[]): number {
  const log = openSync(p.log, 'a');
  try {
    // The shell joins the node's own cgroups, then becomes systemd-nspawn (same pid).
    const join = cgroupProcs.map((f) => `echo $$ > ${f}`).join(' && ');
    const child = spawn(
      'sh',
      [
        '-c',
        `${join || 'true'} && exec systemd-nspawn "$@"`,
        'systemd-nspawn',
        '--quiet',
        '-b',
        '-D', p.root,
        '-M', node.name,
        '--register=no',
        '--keep-unit',
        '--capability=CAP_NET_ADMIN',
        `--network-namespace-path=/run/netns/${node.netns}`,
        '--console=read-only',
        '--resolv-conf=off',
        '--timezone=off',
        '--link-journal=no',
      ],
      {
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...process.env, SYSTEMD_NSPAWN_API_VFS_WRITABLE: 'network' },
      },
    );
    if (!child.pid) throw new ProvError('internal', `lab: cannot start systemd-nspawn for ${node.name}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}
