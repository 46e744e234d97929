import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProvError } from '../core/errors.js';
import { shellQuote } from '../core/transport.js';
import { LAB_DNS, NODE_IFACES, type LabNode } from './topology.js';
import { run } from './run.js';
import { LAB_EXTRA_PACKAGES } from './packages.js';
import type { HostNetwork } from './topology.js';

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
 * file. Hosts take ens6 by DHCP: from ifupdown (isc-dhcp-client); with `hostNetwork` networkd,
 * from systemd-networkd; with netplan, from systemd-networkd configured by netplan (netplan.io is
 * installed from the image's offline repository before boot). ens5 stays set by prov lab.
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
  const manager = node.role === 'host' ? hostNetwork : null;
  const ifaces =
    manager === null
      ? `# ${mgmt} (management), ${subnet} (subnet) and ${upstream} (upstream) are set statically by prov lab.\n`
      : manager === 'networkd'
        ? `# ${subnet}: the subnet, by DHCP from systemd-networkd (/etc/systemd/network). ${mgmt} (management) is set by prov lab.\n`
        : manager === 'netplan'
          ? `# ${subnet}: the subnet, by DHCP from systemd-networkd as netplan (/etc/netplan) sets it. ${mgmt} (management) is set by prov lab.\n`
          : `# ${subnet}: the subnet, by DHCP as on a Debian cloud image. ${mgmt} (management) is set by prov lab.\nauto ${subnet}\niface ${subnet} inet dhcp\n`;
  appendFileSync(join(root, 'etc/network/interfaces'), `\n${ifaces}`);
  if (manager === 'networkd') {
    enableNetworkd(root);
    writeFileSync(join(root, `etc/systemd/network/10-${subnet}.network`), `# prov lab: the subnet by DHCP\n[Match]\nName=${subnet}\n\n[Network]\nDHCP=ipv4\n`);
  }
  if (manager === 'netplan') {
    await installPackages(node, root, LAB_EXTRA_PACKAGES);
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    writeFileSync(join(root, 'etc/netplan', NETPLAN_FILE), netplanConfig(subnet), { mode: 0o600 });
    writeFileSync(join(root, 'usr/local/sbin/udevadm'), UDEVADM_IN_CONTAINER, { mode: 0o755 });
    enableNetworkd(root);
  }
  return readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/** systemd-networkd enabled as `systemctl enable` would. */
function enableNetworkd(root: string): void {
  mkdirSync(join(root, 'etc/systemd/network'), { recursive: true });
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

/** The lab's netplan file on netplan hosts. */
export const NETPLAN_FILE = '50-prov-lab.yaml';

/** The subnet interface by DHCP, rendered by systemd-networkd, as a cloud image's netplan has it. */
export function netplanConfig(iface: string): string {
  return `# prov lab: the subnet by DHCP\nnetwork:\n  version: 2\n  renderer: networkd\n  ethernets:\n    ${iface}:\n      dhcp4: true\n`;
}

/**
 * `netplan apply` ends with `udevadm trigger --attr-match=subsystem=net` so that udev re-runs
 * .link files, and fails when that fails. In the container /sys is read-only, so trigger cannot
 * write the uevent files (systemd 252 reports EROFS as an error). On the lab's netplan hosts this
 * wrapper, found before /bin on root's PATH, runs the real trigger and lets that one failure pass
 * (the lab has no .link files for udev to apply); every other udevadm call is the real one.
 */
const UDEVADM_IN_CONTAINER = `#!/bin/sh
# prov lab: /sys is read-only in this container, so "udevadm trigger" cannot write uevent files.
if [ "$1" = trigger ]; then
  /bin/udevadm "$@" || echo "prov lab: udevadm trigger failed on the read-only /sys; ignored" >&2
  exit 0
fi
exec /bin/udevadm "$@"
`;

/**
 * Installs packages from the image's offline repository into a node's root before it boots:
 * systemd-nspawn without booting, with a private network (a loopback only: apt reads its
 * file: repository and can reach nothing else). The image's identity files stay as they are.
 */
export async function installPackages(node: LabNode, root: string, packages: readonly string[]): Promise<void> {
  await run(
    'systemd-nspawn',
    [
      '--quiet',
      '-D',
      root,
      '-M',
      `${node.name}-setup`,
      '--register=no',
      '--keep-unit',
      '--private-network',
      '--pipe',
      '--resolv-conf=off',
      '--timezone=off',
      '--link-journal=no',
      '-E',
      'DEBIAN_FRONTEND=noninteractive',
      // A throw-away node: dpkg need not sync every file it writes.
      '--',
      'apt-get',
      '-q',
      '-y',
      '-o',
      'Dpkg::Use-Pty=0',
      '-o',
      'Dpkg::Options::=--force-unsafe-io',
      'install',
      ...packages,
    ],
    `installing ${packages.join(' ')} on ${node.name}`,
  );
}

/**
 * Boots the node with systemd-nspawn in its network namespace (flags from LAB-NOTES.md) and
 * returns the nspawn pid. The process is detached so that it outlives `prov lab up`.
 */
export function bootNode(node: LabNode, p: NodePaths, cgroupProcs: string[]): number {
  const log = openSync(p.log, 'a');
  try {
    // The shell joins the node's own cgroups, then becomes systemd-nspawn (same pid).
    const join = cgroupProcs.map((f) => `echo $$ > ${shellQuote(f)}`).join(' && ');
    const child = spawn(
      'sh',
      [
        '-c',
        `${join || 'true'} && exec systemd-nspawn "$@"`,
        'systemd-nspawn',
        '--quiet',
        '-b',
        '-D',
        p.root,
        '-M',
        node.name,
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
