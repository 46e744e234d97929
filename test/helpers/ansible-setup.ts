/**
 * Ansible's own `setup` output as the oracle for prov's Ansible-shaped facts: runs `ansible -m
 * setup` (ad hoc, --tree) and compares its facts with prov's, key by key.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { gatherFacts } from '../../src/facts/gather.js';
import { selectAnsibleFacts } from '../../src/facts/ansible/subset.js';
import type { ExecResult } from '../../src/core/transport.js';

const execFileP = promisify(execFile);

/**
 * Facts of Ansible's setup that prov does not gather (docs/facts.md): collectors prov does not
 * implement and the hardware collector's DMI, device, mount and LVM facts.
 */
export const NOT_GATHERED = new Set([
  'apparmor',
  'cmdline',
  'proc_cmdline',
  'fips',
  'local',
  'loadavg',
  'selinux',
  'selinux_python_present',
  'is_chroot',
  'system_capabilities',
  'system_capabilities_enforced',
  'fibre_channel_wwn',
  'iscsi_iqn',
  'hostnqn',
  'bios_date',
  'bios_vendor',
  'bios_version',
  'board_asset_tag',
  'board_name',
  'board_serial',
  'board_vendor',
  'board_version',
  'chassis_asset_tag',
  'chassis_serial',
  'chassis_vendor',
  'chassis_version',
  'form_factor',
  'product_name',
  'product_serial',
  'product_uuid',
  'product_version',
  'system_vendor',
  'devices',
  'device_links',
  'mounts',
  'lvm',
  // Not a setup fact: the controller's interpreter discovery adds it.
  'discovered_interpreter_python',
]);
const NOT_GATHERED_PREFIXES = ['ssh_host_key_'];
/** Per-interface keys from ethtool, which prov does not run. */
const ETHTOOL_KEYS = new Set(['features', 'timestamping', 'hw_timestamp_filters', 'phc_index']);
/**
 * Environment variables that are the same for any two processes of the same login. (Not LANG:
 * OpenSSH's client sends its own, prov's SSH client sends none.)
 */
const STABLE_ENV = ['HOME', 'USER', 'LOGNAME', 'SHELL', 'MAIL'];

export type Facts = Record<string, unknown>;

/** `ansible -m setup` against `pattern` of an INI inventory text; host -> facts without the ansible_ prefix. */
export async function ansibleSetup(inventory: string, pattern: string, moduleArgs = ''): Promise<Record<string, Facts>> {
  const dir = await mkdtemp(join(tmpdir(), 'prov-setup-oracle-'));
  try {
    await writeFile(join(dir, 'ansible.cfg'), '[defaults]\n');
    await writeFile(join(dir, 'hosts'), inventory);
    await execFileP('ansible', ['-i', join(dir, 'hosts'), pattern, '-m', 'setup', ...(moduleArgs ? ['-a', moduleArgs] : []), '--tree', join(dir, 'tree')], {
      cwd: dir,
      env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_HOST_KEY_CHECKING: 'True' },
      maxBuffer: 64 << 20,
    });
    const out: Record<string, Facts> = {};
    for (const host of await readdir(join(dir, 'tree'))) {
      const result = JSON.parse(await readFile(join(dir, 'tree', host), 'utf8')) as { ansible_facts: Facts };
      out[host] = Object.fromEntries(Object.entries(result.ansible_facts).map(([k, v]) => [k.replace(/^ansible_/, ''), v]));
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** prov's Ansible-shaped facts for a gather_subset (default all), gathered through `exec`. */
export async function provSetup(exec: (command: string) => Promise<ExecResult>, subset = ['all']): Promise<Facts> {
  const facts = await gatherFacts(exec);
  return selectAnsibleFacts(facts.ansible, subset);
}

/** Whether Ansible's fact `key` is one prov does not gather. */
export function notGathered(key: string): boolean {
  return NOT_GATHERED.has(key) || NOT_GATHERED_PREFIXES.some((x) => key.startsWith(x));
}

const asSet = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort() : v);

function withoutEthtool(iface: unknown): unknown {
  if (typeof iface !== 'object' || iface === null || Array.isArray(iface)) return iface;
  return Object.fromEntries(Object.entries(iface).filter(([k]) => !ETHTOOL_KEYS.has(k)));
}

/**
 * Mismatches between Ansible's and prov's facts, one line each ("" when they agree): every fact
 * Ansible reports must be in prov's, equal, unless it is one prov does not gather; values that
 * move between two reads are compared with a tolerance; lists Ansible builds from Python sets
 * are compared as sets.
 */
export function compareFacts(ansible: Facts, prov: Facts): string[] {
  const problems: string[] = [];
  const interfaces = new Set(Array.isArray(ansible.interfaces) ? ansible.interfaces.map(String) : []);
  const near = (key: string, a: unknown, p: unknown, tolerance: number) => {
    if (typeof a !== 'number' || typeof p !== 'number' || Math.abs(a - p) > tolerance)
      problems.push(`${key}: ansible ${JSON.stringify(a)}, prov ${JSON.stringify(p)}`);
  };
  for (const key of new Set([...Object.keys(ansible), ...Object.keys(prov)])) {
    const a = ansible[key];
    const p = prov[key];
    if (!(key in prov)) {
      if (!notGathered(key)) problems.push(`${key}: missing in prov (ansible: ${JSON.stringify(a)?.slice(0, 200)})`);
      continue;
    }
    if (!(key in ansible)) {
      problems.push(`${key}: only in prov (${JSON.stringify(p)?.slice(0, 200)})`);
      continue;
    }
    if (key === 'gather_subset' || key === 'module_setup') continue;
    if (key === 'memfree_mb') near(key, a, p, Math.max(256, Number(a) * 0.25));
    else if (key === 'uptime_seconds') near(key, a, p, 600);
    else if (key === 'memory_mb') {
      const am = a as Record<string, Record<string, number>>;
      const pm = p as Record<string, Record<string, number>>;
      for (const [part, field] of [
        ['real', 'total'],
        ['swap', 'total'],
        ['swap', 'free'],
      ] as const) {
        if (am[part]?.[field] !== pm[part]?.[field]) problems.push(`memory_mb.${part}.${field}: ansible ${am[part]?.[field]}, prov ${pm[part]?.[field]}`);
      }
      near('memory_mb.real.free', am.real?.free, pm.real?.free, Math.max(256, Number(am.real?.total) * 0.25));
    } else if (key === 'date_time') {
      const ad = a as Record<string, string>;
      const pd = p as Record<string, string>;
      for (const field of ['tz', 'tz_dst', 'tz_offset'])
        if (ad[field] !== pd[field]) problems.push(`date_time.${field}: ansible ${ad[field]}, prov ${pd[field]}`);
      const keysA = Object.keys(ad).sort();
      const keysP = Object.keys(pd).sort();
      if (!isDeepStrictEqual(keysA, keysP)) problems.push(`date_time keys: ansible ${keysA}, prov ${keysP}`);
      near('date_time.epoch', Number(ad.epoch), Number(pd.epoch), 600);
    } else if (key === 'env') {
      const ae = a as Record<string, string>;
      const pe = p as Record<string, string>;
      for (const name of STABLE_ENV) if (ae[name] !== pe[name]) problems.push(`env.${name}: ansible ${ae[name]}, prov ${pe[name]}`);
    } else if (key === 'interfaces' || key === 'virtualization_tech_guest' || key === 'virtualization_tech_host') {
      if (!isDeepStrictEqual(asSet(a), asSet(p))) problems.push(`${key}: ansible ${JSON.stringify(a)}, prov ${JSON.stringify(p)}`);
    } else if (interfaces.has(key.replace(/_/g, ':')) || interfaces.has(key)) {
      if (!isDeepStrictEqual(withoutEthtool(a), withoutEthtool(p)))
        problems.push(`${key}: ansible ${JSON.stringify(withoutEthtool(a))}, prov ${JSON.stringify(p)}`);
    } else if (!isDeepStrictEqual(a, p)) {
      problems.push(`${key}: ansible ${JSON.stringify(a)?.slice(0, 300)}, prov ${JSON.stringify(p)?.slice(0, 300)}`);
    }
  }
  return problems;
}
