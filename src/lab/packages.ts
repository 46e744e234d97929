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
