import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { networkManagerCommand, parseNetworkManager } from '../../../src/facts/network-manager.js';

/**
 * Runs the real probe script against a directory tree standing in for a machine's root. The
 * controller's own processes are not the machine's: lab nodes' systemd-networkd is visible to
 * `pidof` here, so a `pidof` that finds nothing comes first on PATH.
 */
function probe(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'prov-nm-'));
  const bin = join(root, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'pidof'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
      if (path.endsWith('dhclient')) chmodSync(join(root, path), 0o755);
    }
    const output = spawnSync('sh', ['-c', networkManagerCommand(root)], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    }).stdout; // exit status is irrelevant
    return { output, fact: parseNetworkManager(output) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const debianCloud = 'auto lo\niface lo inet loopback\n\nallow-hotplug ens5\niface ens5 inet dhcp\n';

test('ifupdown with an inet dhcp stanza and dhclient installed', (t) => {
  const { fact } = probe({
    '/etc/network/interfaces': 'source /etc/network/interfaces.d/*\n',
    '/etc/network/interfaces.d/50-cloud': debianCloud,
    '/sbin/dhclient': '',
  });
  t.deepEqual(fact, { networkManager: 'ifupdown', dhcpClient: 'dhclient' });
});

test('ifupdown with static addresses only', (t) => {
  const { fact } = probe({ '/etc/network/interfaces': 'auto lo\niface lo inet loopback\nauto ens6\niface ens6 inet static\n  address 192.168.100.100/24\n' });
  t.deepEqual(fact, { networkManager: 'ifupdown', dhcpClient: null });
});

test('an interfaces file with only lo is not evidence of ifupdown', (t) => {
  const { output, fact } = probe({ '/etc/network/interfaces': 'auto lo\niface lo inet loopback\n' });
  t.is(output, '');
  t.deepEqual(fact, { networkManager: 'unknown', dhcpClient: null });
});

test('netplan yaml wins over the networkd files it renders', (t) => {
  const { output, fact } = probe({
    '/etc/netplan/50-cloud-init.yaml': 'network:\n  version: 2\n',
    '/run/systemd/network/10-netplan-ens5.network': '[Match]\n',
  });
  t.is(output, 'netplan\nnetworkd-files\n');
  t.is(fact.networkManager, 'netplan');
});
