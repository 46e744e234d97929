/** `--host-network` parsing, the netplan file the lab writes, and the image key's package lists. */
import test from 'ava';
import { load } from 'js-yaml';
import { parseUpOptions } from '../../../src/lab/options.js';
import { HOST_NETWORKS } from '../../../src/lab/topology.js';
import { netplanConfig } from '../../../src/lab/nodes.js';
import { imageKey } from '../../../src/lab/image.js';
import { ANSIBLE_TARGET_PACKAGES, CLOUD_INIT_PACKAGES, LAB_EXTRA_PACKAGES, OFFLINE_EXTRA_PACKAGES, ROLE_PACKAGES } from '../../../src/lab/packages.js';

test('--host-network takes ifupdown (the default), networkd and netplan', (t) => {
  t.is(parseUpOptions({}).hostNetwork, 'ifupdown');
  t.is(parseUpOptions({ hostNetwork: 'networkd' }).hostNetwork, 'networkd');
  t.is(parseUpOptions({ hostNetwork: 'netplan' }).hostNetwork, 'netplan');
  t.deepEqual([...HOST_NETWORKS], ['ifupdown', 'networkd', 'netplan']);
});

test('an unknown --host-network is a one-line error that lists the known ones', (t) => {
  const err = t.throws(() => parseUpOptions({ hostNetwork: 'NetworkManager' }));
  t.is(err?.message, 'lab: unknown --host-network "NetworkManager" (known: ifupdown, networkd, netplan)');
});

test('the lab netplan file: version 2, networkd renderer, the interface by DHCPv4 only', (t) => {
  t.deepEqual(load(netplanConfig('ens6')), {
    network: { version: 2, renderer: 'networkd', ethernets: { ens6: { dhcp4: true } } },
  });
});

test('the image key covers the lab-only packages, which include netplan.io, cloud-init, python3-apt for Ansible, and no role package', (t) => {
  t.true(LAB_EXTRA_PACKAGES.includes('netplan.io'));
  t.deepEqual(ANSIBLE_TARGET_PACKAGES, ['python3-apt']);
  t.true(ROLE_PACKAGES.includes('python3'), 'python3, which Ansible needs too, is already in the repository');
  t.deepEqual(CLOUD_INIT_PACKAGES, ['cloud-init']);
  t.deepEqual(OFFLINE_EXTRA_PACKAGES, [...LAB_EXTRA_PACKAGES, ...CLOUD_INIT_PACKAGES, ...ANSIBLE_TARGET_PACKAGES]);
  for (const p of OFFLINE_EXTRA_PACKAGES) t.false(ROLE_PACKAGES.includes(p), `${p} is lab-only`);
  const withExtras = imageKey('bookworm');
  t.is(imageKey('bookworm', ROLE_PACKAGES, OFFLINE_EXTRA_PACKAGES), withExtras);
  t.not(imageKey('bookworm', ROLE_PACKAGES, LAB_EXTRA_PACKAGES), withExtras);
  t.not(imageKey('bookworm', ROLE_PACKAGES, []), withExtras);
  t.not(imageKey('bookworm', ROLE_PACKAGES, ['netplan.io', 'other']), withExtras);
  t.regex(withExtras, /^bookworm-[0-9a-f]{12}$/);
});
