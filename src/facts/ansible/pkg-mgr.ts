/** Ansible's `pkg_mgr` collector: the last package manager of Ansible's list that exists, with the family's defaults. */
import { block, blockLines, existsBlock, exists, type Blocks } from './blocks.js';

const PKG_MGRS: [string, string][] = [
  ['/usr/bin/rpm-ostree', 'atomic_container'],
  ['/usr/bin/yum', 'yum'],
  ['/usr/bin/dnf', 'dnf'],
  ['/usr/bin/apt-get', 'apt'],
  ['/usr/bin/zypper', 'zypper'],
  ['/usr/sbin/urpmi', 'urpmi'],
  ['/usr/bin/pacman', 'pacman'],
  ['/bin/opkg', 'opkg'],
  ['/usr/pkg/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/pkgin', 'pkgin'],
  ['/opt/tools/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/port', 'macports'],
  ['/usr/local/bin/brew', 'homebrew'],
  ['/opt/homebrew/bin/brew', 'homebrew'],
  ['/sbin/apk', 'apk'],
  ['/usr/sbin/pkg', 'pkgng'],
  ['/usr/sbin/swlist', 'swdepot'],
  ['/usr/bin/emerge', 'portage'],
  ['/usr/sbin/pkgadd', 'svr4pkg'],
  ['/usr/bin/pkg', 'pkg5'],
  ['/usr/bin/xbps-install', 'xbps'],
  ['/usr/local/sbin/pkg', 'pkgng'],
  ['/usr/bin/swupd', 'swupd'],
  ['/usr/sbin/sorcery', 'sorcery'],
  ['/usr/bin/installp', 'installp'],
  ['/QOpenSys/pkgs/bin/yum', 'yum'],
];

export const pkgMgrCommand = [
  ...PKG_MGRS.map(([path]) => existsBlock(path)),
  block('apt-rpm', '[ -e /usr/bin/rpm ] && { /usr/bin/rpm -q --whatprovides /usr/bin/apt-get >/dev/null 2>&1 && echo rpm || echo dpkg; }'),
].join('\n');

export function parsePkgMgr(blocks: Blocks, osFamily: string): Record<string, unknown> {
  let name = 'unknown';
  for (const [path, mgr] of PKG_MGRS) {
    if (osFamily === 'Altlinux' && path === '/usr/bin/pkg') continue;
    if (exists(blocks, path)) name = mgr;
  }
  if (osFamily === 'Debian' && name !== 'apt') name = 'apt';
  else if (osFamily === 'Altlinux' && name === 'apt') name = 'apt_rpm';
  else if (osFamily === 'RedHat') {
    // Ansible's _check_rh_versions picks yum or dnf by version; the presence of dnf decides here.
    if (exists(blocks, '/usr/bin/dnf')) name = 'dnf';
    else if (exists(blocks, '/usr/bin/yum')) name = 'yum';
  }
  if (name === 'apt' && (blockLines(blocks, 'apt-rpm')[0] ?? '').trim() === 'rpm') name = 'apt_rpm';
  return { pkg_mgr: name };
}
