/**
 * What installing a Debian package brings into being, for check mode: the directories it
 * creates and the files it ships (or its maintainer script writes) that prov's roles then edit.
 * Read from the Debian 12 packages' contents (`dpkg-deb -c`, and iptables-persistent's postinst,
 * which saves the current rules to /etc/iptables/rules.v4 and .v6), dependencies included
 * (squid-openssl brings squid-common's /etc/squid). Only the packages prov's roles install and
 * the paths that matter are listed; a package not listed is predicted to create nothing.
 */
export interface PackagePaths {
  directories: string[];
  /** Files the install writes; their content is not known before the install. */
  files: string[];
}

const squid: PackagePaths = {
  directories: ['/etc/squid', '/etc/squid/conf.d', '/var/log/squid', '/var/spool/squid'],
  files: ['/etc/squid/squid.conf', '/etc/squid/errorpage.css', '/etc/squid/conf.d/debian.conf'],
};

const table: Record<string, PackagePaths> = {
  frr: {
    directories: ['/etc/frr', '/var/log/frr'],
    files: ['/etc/frr/daemons', '/etc/frr/frr.conf', '/etc/frr/vtysh.conf', '/etc/frr/support_bundle_commands.conf'],
  },
  'iptables-persistent': { directories: ['/etc/iptables'], files: ['/etc/iptables/rules.v4', '/etc/iptables/rules.v6'] },
  'netfilter-persistent': { directories: [], files: ['/etc/default/netfilter-persistent'] },
  nftables: { directories: [], files: ['/etc/nftables.conf'] },
  squid,
  'squid-openssl': squid,
  'squid-common': { directories: ['/etc/squid', '/etc/squid/conf.d'], files: squid.files },
};

/** The paths that installing `name` (without a version pin) creates, or nothing when unknown. */
export function packagePaths(name: string): PackagePaths {
  return table[name] ?? { directories: [], files: [] };
}
