/**
 * Ansible's Linux `virtual` collector (virtual/linux.py), its checks in its order: container
 * evidence (cgroups, PID 1's environment, /run/systemd/container, /.dockerenv), Xen, DMI vendor
 * strings, VServer, /proc/cpuinfo, kernel modules, dmidecode, /dev/kvm. The guest and host
 * technology sets are lists here, sorted (Ansible's come in Python's set order).
 */
import { block, blockLines, existsBlock, exists, fileBlock, fileContent, type Blocks } from './blocks.js';

const DMI = '/sys/devices/virtual/dmi/id';
const EXISTS = ['/proc/vz', '/proc/lve', '/proc/bc', '/.dockerenv', '/.dockerinit', '/dev/kvm', '/proc/modules']; // /proc/xen: hardware.ts

export const virtualCommand = [
  fileBlock('/proc/1/cgroup'),
  block('proc1-environ', "tr '\\0' '\\n' < /proc/1/environ"),
  fileBlock('/run/systemd/container'),
  fileBlock('/proc/xen/capabilities'),
  ...['product_name', 'sys_vendor', 'product_family', 'bios_vendor'].map((f) => fileBlock(`${DMI}/${f}`)),
  block('vxid', 'grep "^VxID:" /proc/self/status'),
  block('modules', "cut -d ' ' -f 1 /proc/modules"),
  block('rhev-vdsm', '[ -d /rhev/ ] && cat /proc/[0-9]*/comm | grep -E -x -m 1 "vdsmd?"'),
  block('dmidecode', 'command -v dmidecode >/dev/null && dmidecode -s system-product-name'),
  ...EXISTS.map(existsBlock),
].join('\n');

type Dict = Record<string, unknown>;

export function parseVirtual(blocks: Blocks): Dict {
  const facts: Dict = {};
  const guest = new Set<string>();
  const host = new Set<string>();
  let found = false;
  const setFound = (type: string, role?: string): void => {
    if (found) return;
    facts.virtualization_type = type;
    if (role !== undefined) facts.virtualization_role = role;
    found = true;
  };

  for (const line of (fileContent(blocks, '/proc/1/cgroup') ?? '').split('\n')) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) guest.add('docker'), setFound('docker', 'guest');
    if (/\/lxc\//.test(line) || /\/machine\.slice\/machine-lxc/.test(line)) guest.add('lxc'), setFound('lxc', 'guest');
    if (/\/system\.slice\/containerd\.service/.test(line)) guest.add('containerd'), setFound('containerd', 'guest');
  }
  for (const line of blockLines(blocks, 'proc1-environ')) {
    if (line.includes('container=lxc')) guest.add('lxc'), setFound('lxc', 'guest');
    if (line.includes('container=podman')) guest.add('podman'), setFound('podman', 'guest');
    if (/^container=./.test(line)) guest.add('container'), setFound('container', 'guest');
  }
  if (exists(blocks, '/proc/vz') && !exists(blocks, '/proc/lve')) {
    facts.virtualization_type = 'openvz';
    if (exists(blocks, '/proc/bc')) {
      host.add('openvz');
      if (!found) facts.virtualization_role = 'host';
    } else {
      guest.add('openvz');
      if (!found) facts.virtualization_role = 'guest';
    }
    found = true;
  }
  const systemdContainer = fileContent(blocks, '/run/systemd/container');
  if (systemdContainer) guest.add(systemdContainer), setFound(systemdContainer, 'guest');
  if (exists(blocks, '/.dockerenv') || exists(blocks, '/.dockerinit')) guest.add('docker'), setFound('docker', 'guest');
  if (['docker', 'lxc', 'podman', 'openvz', 'containerd'].some((t) => guest.has(t)) || systemdContainer) guest.add('container');

  if (exists(blocks, '/proc/xen')) {
    const xenHost = (fileContent(blocks, '/proc/xen/capabilities') ?? '').includes('control_d');
    if (xenHost) host.add('xen');
    if (!found) Object.assign(facts, { virtualization_type: 'xen', virtualization_role: xenHost ? 'host' : 'guest' });
    found = true;
  }

  if (!found) facts.virtualization_role = 'guest'; // assumed for the DMI checks, withdrawn below
  const productName = fileContent(blocks, `${DMI}/product_name`);
  const sysVendor = fileContent(blocks, `${DMI}/sys_vendor`);
  const productFamily = fileContent(blocks, `${DMI}/product_family`);
  const biosVendor = fileContent(blocks, `${DMI}/bios_vendor`);
  const dmiGuest = (tech: string, type = tech) => (guest.add(tech), setFound(type));
  if (['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(productName ?? '')) dmiGuest('kvm');
  if (sysVendor === 'oVirt') dmiGuest('oVirt');
  if (sysVendor === 'Red Hat') {
    if (productFamily === 'RHV') dmiGuest('RHV');
    else if (productName === 'RHEV Hypervisor') dmiGuest('RHEV');
  }
  if (['VMware Virtual Platform', 'VMware7,1'].includes(productName ?? '')) dmiGuest('VMware');
  if (['OpenStack Compute', 'OpenStack Nova'].includes(productName ?? '')) dmiGuest('openstack');
  if (biosVendor === 'Xen') dmiGuest('xen');
  if (biosVendor === 'innotek GmbH') dmiGuest('virtualbox');
  if (['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(biosVendor ?? '')) dmiGuest('kvm');
  if (['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'].includes(sysVendor ?? '')) dmiGuest('kvm');
  if (sysVendor === 'KubeVirt') dmiGuest('KubeVirt');
  if (sysVendor === 'Microsoft Corporation') dmiGuest('VirtualPC');
  if (sysVendor === 'Parallels Software International Inc.') dmiGuest('parallels');
  if (sysVendor === 'OpenStack Foundation') dmiGuest('openstack');
  if (!found) delete facts.virtualization_role;

  for (const line of blockLines(blocks, 'vxid')) {
    if (!/^VxID:\s+\d+/.test(line)) continue;
    if (!found) facts.virtualization_type = 'linux_vserver';
    const isHost = /^VxID:\s+0/.test(line);
    (isHost ? host : guest).add('linux_vserver');
    if (!found) facts.virtualization_role = isHost ? 'host' : 'guest';
    found = true;
  }

  const cpuChecks: [RegExp, string][] = [
    [/^model name.*QEMU Virtual CPU/, 'kvm'],
    [/^vendor_id.*User Mode Linux/, 'uml'],
    [/^model name.*UML/, 'uml'],
    [/^machine.*CHRP IBM pSeries .emulated by qemu./, 'kvm'],
    [/^vendor_id.*PowerVM Lx86/, 'powervm_lx86'],
    [/^vendor_id.*IBM\/S390/, 'PR/SM'],
  ];
  for (const line of (fileContent(blocks, '/proc/cpuinfo') ?? '').split('\n')) {
    const hit = cpuChecks.find(([re]) => re.test(line));
    if (!hit) continue;
    guest.add(hit[1]);
    if (!found) facts.virtualization_type = hit[1];
    if (!found) facts.virtualization_role = facts.virtualization_type === 'PR/SM' ? 'LPAR' : 'guest';
    found = true;
  }

  if (exists(blocks, '/proc/modules')) {
    const modules = new Set(blockLines(blocks, 'modules').map((m) => m.trim()));
    if (modules.has('kvm')) {
      host.add('kvm');
      if (!found) Object.assign(facts, { virtualization_type: 'kvm', virtualization_role: 'host' });
      if (blockLines(blocks, 'rhev-vdsm').length > 0) {
        host.add('RHEV');
        if (!found) facts.virtualization_type = 'RHEV';
      }
      found = true;
    }
    if (modules.has('vboxdrv')) host.add('virtualbox'), setFound('virtualbox', 'host');
    if (modules.has('virtio')) host.add('kvm'), setFound('kvm', 'guest');
  }

  const dmidecode = blockLines(blocks, 'dmidecode');
  if (dmidecode.length > 0) {
    const vendorName = dmidecode
      .filter((l) => !l.startsWith('#'))
      .map((l) => l.trim())
      .join('');
    if (vendorName.startsWith('VMware')) guest.add('VMware'), setFound('VMware', 'guest');
    if (dmidecode.join('\n').includes('BHYVE')) guest.add('bhyve'), setFound('bhyve', 'guest');
  }
  if (exists(blocks, '/dev/kvm')) host.add('kvm'), setFound('kvm', 'host');
  if (!found) Object.assign(facts, { virtualization_type: 'NA', virtualization_role: 'NA' });
  facts.virtualization_tech_guest = [...guest].sort();
  facts.virtualization_tech_host = [...host].sort();
  return facts;
}
