/**
 * The lab nodes' side of `npm run bench:ansible`: installing the roles' packages before anything
 * is timed, a snapshot of the configuration both tools write (taken once, right after the
 * install), and the reset that puts it back, so that every tool's "first apply" starts from the
 * same state. Scripts are data here; bench/ansible-bench.ts sends them over SSH.
 */

export const ROUTER_PACKAGES = ['frr', 'frr-pythontools', 'iptables', 'iptables-persistent', 'netfilter-persistent'];
export const HOST_PACKAGES = ['frr', 'frr-pythontools', 'nftables', 'python3'];
/** ansible-playbook's needs on a node (its apt module imports python3-apt); prov needs neither. */
export const ANSIBLE_PACKAGES = ['python3', 'python3-apt'];

/** As prov's package module runs apt (src/modules/package.ts). */
const APT = 'DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';
const DIR = '/var/lib/bn-bench';

/** Everything roles/router, roles/host and bench/ansible write on a node, files and directories. */
export const WRITTEN_PATHS = [
  '/etc/frr/daemons',
  '/etc/frr/frr.conf',
  '/etc/sysctl.d/90-prov-router.conf',
  '/etc/sysctl.d/90-prov-host.conf',
  '/etc/iptables/rules.v4',
  '/etc/dhcp/dhclient.conf',
  '/etc/network/if-up.d/prov-supernet-route',
  '/etc/dhcp/dhclient-exit-hooks.d/prov-supernet-route',
  '/usr/local/sbin/prov-wait-bgp-default',
  '/usr/local/sbin/prov-pinning',
  '/etc/prov',
  '/etc/systemd/system/prov-pinning.service',
  '/etc/systemd/system/multi-user.target.wants/prov-pinning.service',
  '/var/lib/prov',
  '/etc/systemd/system/prov-rollback-boot.service',
  '/etc/systemd/system/sysinit.target.wants/prov-rollback-boot.service',
];

const SYSCTLS = ['net.ipv4.ip_forward', 'net.ipv4.fib_multipath_hash_policy'];
const SERVICES = ['frr', 'netfilter-persistent'];

/** Installs the packages (records which were new, for the purge before prov's full apply). */
export function installScript(packages: string[]): string {
  return `set -e
mkdir -p ${DIR}
dpkg-query -W -f '\${Package}\\n' | sort > ${DIR}/packages-before
${APT} install ${packages.join(' ')} >${DIR}/install.log 2>&1 || { tail -n 5 ${DIR}/install.log >&2; exit 1; }
dpkg-query -W -f '\${Package}\\n' | sort > ${DIR}/packages-after
`;
}

/** Records the written paths (present in a tar, absent in a list), sysctls, iptables, unit states and default routes. */
export function snapshotScript(): string {
  return `set -e
d=${DIR}
: > $d/present; : > $d/absent
for p in ${WRITTEN_PATHS.join(' ')}; do
  if [ -e "$p" ] || [ -L "$p" ]; then echo "\${p#/}" >> $d/present; else echo "$p" >> $d/absent; fi
done
tar -cpf $d/pristine.tar -C / -T $d/present
: > $d/sysctls
for k in ${SYSCTLS.join(' ')}; do echo "$k=$(sysctl -n $k)" >> $d/sysctls; done
iptables-save > $d/iptables 2>/dev/null || true
: > $d/units
for u in ${SERVICES.join(' ')}; do echo "$u $(systemctl is-enabled $u 2>/dev/null || true)" >> $d/units; done
ip -4 -o route show default | sed 's/\\\\//g' > $d/default-routes
ip -4 -o route show table main | grep -v -e ' proto kernel' -e ' proto bgp' -e nexthop | sed 's/\\\\//g' > $d/static-routes
`;
}

/** Puts the snapshot back: files, services, sysctls, iptables, FRR's running config, routes. */
export function resetScript(): string {
  return `set -u
d=${DIR}
systemctl stop prov-pinning.service prov-rollback.timer prov-rollback.service >/dev/null 2>&1
systemctl disable prov-pinning.service >/dev/null 2>&1
systemctl reset-failed prov-pinning.service prov-rollback.timer prov-rollback.service >/dev/null 2>&1
while read -r p; do rm -rf "$p"; done < $d/absent
tar -xpf $d/pristine.tar -C /
systemctl daemon-reload
while IFS='=' read -r k v; do sysctl -q -w "$k=$v"; done < $d/sysctls
[ -s $d/iptables ] && iptables-restore < $d/iptables
while read -r u state; do
  case "$state" in enabled) systemctl -q enable "$u" 2>/dev/null ;; disabled) systemctl -q disable "$u" 2>/dev/null ;; esac
done < $d/units
# The package's FRR (no bgpd): zebra takes BGP's routes away when it stops.
systemctl restart frr
ip -4 -o route show table main | grep -v -e ' proto kernel' -e ' proto bgp' -e nexthop | sed 's/\\\\//g' > $d/static-now
grep -vxF -f $d/static-routes $d/static-now | while read -r r; do ip -4 route del $r; done
while read -r r; do [ -n "$r" ] && ip -4 route replace $r; done < $d/static-routes
true
`;
}

/** Removes the packages the install added (prov's full first apply then installs them itself). */
export function purgeScript(): string {
  return `set -e
d=${DIR}
new=$(comm -13 $d/packages-before $d/packages-after | tr '\\n' ' ')
[ -z "$new" ] || ${APT} purge $new >$d/purge.log 2>&1 || { tail -n 5 $d/purge.log >&2; exit 1; }
`;
}
