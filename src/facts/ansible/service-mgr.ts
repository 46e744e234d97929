/** Ansible's `service_mgr` collector for Linux: PID 1's name, else systemd's and others' traces. */
import { block, blockLines, existsBlock, exists, fileBlock, fileContent, type Blocks } from './blocks.js';

const PATHS = ['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/', '/etc/init/', '/sbin/openrc', '/etc/init.d/'];

export const serviceMgrCommand = [
  fileBlock('/proc/1/comm'),
  block('sbin-init', '[ -L /sbin/init ] && readlink /sbin/init'),
  block('tools', 'command -v systemctl >/dev/null && echo systemctl; command -v initctl >/dev/null && echo initctl'),
  ...PATHS.map(existsBlock),
].join('\n');

const PROC_1_MAP: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };

export function parseServiceMgr(blocks: Blocks, system: string): Record<string, unknown> {
  const sbinInit = blockLines(blocks, 'sbin-init')[0]?.trim() || null;
  let proc1: string | null = fileContent(blocks, '/proc/1/comm') ?? sbinInit;
  if (proc1 !== null) proc1 = proc1.replace(/.*\//, '').trim();
  if (proc1 !== null && (proc1 === 'init' || proc1.endsWith('sh'))) proc1 = null;
  const tools = new Set(blockLines(blocks, 'tools').map((l) => l.trim()));
  let name: string | null = null;
  if (proc1) name = PROC_1_MAP[proc1] ?? proc1;
  else if (system === 'Linux') {
    const systemd = tools.has('systemctl') && ['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/'].some((p) => exists(blocks, p));
    if (systemd) name = 'systemd';
    else if (tools.has('initctl') && exists(blocks, '/etc/init/')) name = 'upstart';
    else if (exists(blocks, '/sbin/openrc')) name = 'openrc';
    else if (tools.has('systemctl') && sbinInit !== null && sbinInit.replace(/.*\//, '') === 'systemd') name = 'systemd';
    else if (exists(blocks, '/etc/init.d/')) name = 'sysvinit';
  }
  return { service_mgr: name || 'service' };
}
