/**
 * Ansible's Linux `hardware` collector (hardware/linux.py), the part of it that reads /proc:
 * processor facts from /proc/cpuinfo, memory from /proc/meminfo, uptime. Mounts, devices, DMI
 * and LVM facts are not gathered.
 */
import { block, blockLines, existsBlock, exists, fileBlock, fileContent, type Blocks } from './blocks.js';

export const hardwareCommand = [
  fileBlock('/proc/cpuinfo'),
  fileBlock('/proc/meminfo'),
  fileBlock('/proc/uptime'),
  existsBlock('/proc/xen'),
  fileBlock('/sys/hypervisor/type'),
  block('nproc', 'nproc'),
].join('\n');

type Dict = Record<string, unknown>;

export function parseCpuinfo(cpuinfo: string, architecture: string, xen: boolean, nproc: number | null): Dict {
  const facts: Dict = { processor: [] as string[] };
  const processor = facts.processor as string[];
  let i = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  let xenParavirt = false;
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    const val = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (xen && key === 'flags' && !val.includes('vme')) xenParavirt = true;
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') vendorIds++;
      if (key === 'model name') modelNames++;
      if (key === 'processor') processors++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      if (!sockets.has(coreid)) cores.set(coreid, 1); // sic: Ansible tests `sockets` here
    } else if (key === 'cpu cores') sockets.set(physid, parseInt(val, 10));
    else if (key === 'siblings') cores.set(coreid, parseInt(val, 10));
    else if (key === '# processors') facts.processor_cores = parseInt(val, 10);
    else if (key === 'ncpus active') i = parseInt(val, 10);
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) i = processors;
  if (architecture !== 's390x') {
    if (xenParavirt) {
      Object.assign(facts, { processor_count: i, processor_cores: i, processor_threads_per_core: 1, processor_vcpus: i });
    } else {
      facts.processor_count = sockets.size > 0 ? sockets.size : i;
      const socketValues = [...sockets.values()];
      facts.processor_cores = socketValues.length > 0 && socketValues[0] ? socketValues[0] : 1;
      const coreValues = [...cores.values()];
      const perCore = facts.processor_cores as number;
      facts.processor_threads_per_core = Math.floor((coreValues.length > 0 ? coreValues[0]! : 1) / perCore);
      facts.processor_vcpus = (facts.processor_threads_per_core as number) * (facts.processor_count as number) * perCore;
      facts.processor_nproc = nproc ?? processors;
    }
  }
  return facts;
}

const ORIGINAL_MEMORY = new Set(['MemTotal', 'SwapTotal', 'MemFree', 'SwapFree']);
const MEMORY = new Set([...ORIGINAL_MEMORY, 'Buffers', 'Cached', 'SwapCached']);

export function parseMeminfo(meminfo: string): Dict {
  const facts: Dict = {};
  const stats: Record<string, number> = {};
  for (const line of meminfo.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = Math.floor(
      parseInt(
        line
          .slice(colon + 1)
          .trim()
          .split(' ')[0]!,
        10,
      ) / 1024,
    );
    if (ORIGINAL_MEMORY.has(key)) facts[`${key.toLowerCase()}_mb`] = value;
    if (MEMORY.has(key)) stats[key.toLowerCase()] = value;
  }
  const has = (...keys: string[]) => keys.every((k) => stats[k] !== undefined);
  const realUsed = has('memtotal', 'memfree') ? stats.memtotal! - stats.memfree! : null;
  const nocacheFree = has('cached', 'memfree', 'buffers') ? stats.cached! + stats.memfree! + stats.buffers! : null;
  const nocacheUsed = stats.memtotal !== undefined && nocacheFree !== null ? stats.memtotal - nocacheFree : null;
  const swapUsed = has('swaptotal', 'swapfree') ? stats.swaptotal! - stats.swapfree! : null;
  facts.memory_mb = {
    real: { total: stats.memtotal ?? null, used: realUsed, free: stats.memfree ?? null },
    nocache: { free: nocacheFree, used: nocacheUsed },
    swap: { total: stats.swaptotal ?? null, free: stats.swapfree ?? null, used: swapUsed, cached: stats.swapcached ?? null },
  };
  return facts;
}

export function parseHardware(blocks: Blocks, architecture: string): Dict {
  const facts: Dict = {};
  const xen = exists(blocks, '/proc/xen') || (fileContent(blocks, '/sys/hypervisor/type') ?? '').split('\n')[0]?.trim() === 'xen';
  const cpuinfo = fileContent(blocks, '/proc/cpuinfo');
  const nproc = parseInt(blockLines(blocks, 'nproc')[0] ?? '', 10);
  if (cpuinfo !== null) Object.assign(facts, parseCpuinfo(cpuinfo, architecture, xen, Number.isNaN(nproc) ? null : nproc));
  const meminfo = fileContent(blocks, '/proc/meminfo');
  if (meminfo !== null) Object.assign(facts, parseMeminfo(meminfo));
  const uptime = parseFloat(fileContent(blocks, '/proc/uptime') ?? '');
  if (!Number.isNaN(uptime)) facts.uptime_seconds = Math.floor(uptime);
  return facts;
}
