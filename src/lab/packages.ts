/**
 * Packages the roles install inside lab nodes. The lab image carries them (with dependencies)
 * in an offline apt repository, but does not pre-install them: the roles' package tasks run apt.
 */
export const ROLE_PACKAGES = [
  'frr',
  'frr-pythontools',
  'iptables',
  'iptables-persistent',
  'netfilter-persistent',
  'nftables',
  'squid-openssl',
  'conntrack',
  'python3',
];

/**
 * Packages the lab itself installs on some nodes (never a role): they are in the offline
 * repository too. For `--host-network netplan` hosts get them at `lab up`: netplan.io, and udev,
 * which a cloud image has and `netplan apply` needs (it runs udevadm).
 */
export const LAB_EXTRA_PACKAGES = ['netplan.io', 'udev'];

/** For `prov lab up --cloud-init-hosts`: hosts that configure themselves from NoCloud user-data at boot. */
export const CLOUD_INIT_PACKAGES = ['cloud-init'];

/**
 * What Ansible needs on a node besides python3 (a role package already): python3-apt, which its
 * apt module imports. In the offline repository only, never pre-installed: the tests that run
 * ansible-playbook against lab nodes (test/lab/galaxy-roles.test.ts) install it on their node.
 */
export const ANSIBLE_TARGET_PACKAGES = ['python3-apt'];

/** Everything the offline repository carries besides the roles' packages. */
export const OFFLINE_EXTRA_PACKAGES = [...LAB_EXTRA_PACKAGES, ...CLOUD_INIT_PACKAGES, ...ANSIBLE_TARGET_PACKAGES];
