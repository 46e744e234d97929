/** Ansible's `platform` collector (system/platform.py): uname, hostname and fqdn, machine id. */
import { block, blockLines, fileBlock, fileContent, type Blocks } from './blocks.js';

export const platformCommand = [
  block('uname', 'uname -snrvm'),
  block('long-bit', 'getconf LONG_BIT'),
  // socket.getfqdn(): the node name's first address, and the names that address resolves back to.
  block('fqdn', 'n=$(uname -n); a=$(getent ahosts "$n" | head -n 1 | cut -d " " -f 1); [ -n "$a" ] && getent hosts "$a" | head -n 1'),
  fileBlock('/var/lib/dbus/machine-id'),
  fileBlock('/etc/machine-id'),
].join('\n');

/** socket.getfqdn(name): the first of the canonical name and its aliases that holds a dot, else the canonical name. */
export function fqdnOf(nodename: string, hostsLine: string): string {
  const words = hostsLine.trim().split(/\s+/).slice(1);
  if (words.length === 0) return nodename;
  return words.find((w) => w.includes('.')) ?? words[0]!;
}

/** `uname -snrvm`: system, node name and release have no spaces, machine is the last word, the version is the rest. */
export function parseUname(line: string): { system: string; nodename: string; kernel: string; kernelVersion: string; machine: string } {
  const words = line.trim().split(' ');
  if (words.length < 5) return { system: words[0] ?? '', nodename: words[1] ?? '', kernel: words[2] ?? '', kernelVersion: '', machine: words[3] ?? '' };
  return { system: words[0]!, nodename: words[1]!, kernel: words[2]!, kernelVersion: words.slice(3, -1).join(' '), machine: words[words.length - 1]! };
}

export function parsePlatform(blocks: Blocks): Record<string, unknown> {
  const { system, nodename, kernel, kernelVersion, machine } = parseUname(blockLines(blocks, 'uname')[0] ?? '');
  const facts: Record<string, unknown> = { system, kernel, kernel_version: kernelVersion, machine };
  const fqdn = fqdnOf(nodename, blockLines(blocks, 'fqdn')[0] ?? '');
  facts.fqdn = fqdn;
  facts.hostname = nodename.split('.')[0];
  facts.nodename = nodename;
  facts.domain = fqdn.split('.').slice(1).join('.');
  const bits = (blockLines(blocks, 'long-bit')[0] ?? '').trim();
  facts.userspace_bits = bits;
  facts.architecture = machine;
  if (machine === 'x86_64') {
    if (bits === '64') facts.userspace_architecture = 'x86_64';
    else if (bits === '32') facts.userspace_architecture = 'i386';
  }
  const machineId = fileContent(blocks, '/var/lib/dbus/machine-id') ?? fileContent(blocks, '/etc/machine-id');
  if (machineId) facts.machine_id = machineId.split('\n')[0];
  return facts;
}
