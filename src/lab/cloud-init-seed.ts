/**
 * `prov lab up --cloud-init-hosts`: a host that configures itself at first boot, as an
 * autoscaled instance does. cloud-init is installed from the image's offline repository before
 * boot, and a NoCloud seed holds the user-data (prov render cloud-init). The lab's own settings
 * keep what the lab relies on: its network files, root's SSH key, the node's host key, the
 * offline apt source.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { installPackages } from './nodes.js';
import { CLOUD_INIT_PACKAGES } from './packages.js';
import type { LabNode } from './topology.js';

export const SEED_DIR = 'var/lib/cloud/seed/nocloud';

/** cloud.cfg.d for lab nodes: NoCloud only, and nothing that would undo the lab's own setup. */
export const LAB_CLOUD_CFG = `# prov lab: cloud-init reads the NoCloud seed (${SEED_DIR}) and leaves the lab's setup alone.
datasource_list: [NoCloud, None]
# The lab configures the interfaces (ifupdown, networkd or netplan, as --host-network says).
network:
  config: disabled
# The lab's known_hosts has this node's host key, and it logs in as root with its key.
ssh_deletekeys: false
ssh_genkeytypes: []
disable_root: false
# apt's source is the image's offline repository.
apt:
  preserve_sources_list: true
preserve_hostname: true
manage_etc_hosts: false
# The lab image has no locales to generate.
locale: false
`;

export async function seedCloudInit(node: LabNode, root: string, userData: string): Promise<void> {
  await installPackages(node, root, CLOUD_INIT_PACKAGES);
  mkdirSync(join(root, 'etc/cloud/cloud.cfg.d'), { recursive: true });
  writeFileSync(join(root, 'etc/cloud/cloud.cfg.d/99-prov-lab.cfg'), LAB_CLOUD_CFG);
  const seed = join(root, SEED_DIR);
  mkdirSync(seed, { recursive: true });
  writeFileSync(join(seed, 'meta-data'), `instance-id: ${node.name}-${randomBytes(4).toString('hex')}\nlocal-hostname: ${node.name}\n`);
  writeFileSync(join(seed, 'user-data'), userData, { mode: 0o600 });
}
