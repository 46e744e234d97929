/**
 * gather_subset as Ansible's setup module reads it (facts/collector.py get_collector_names and
 * its dependency solving): names of collectors and of the facts they declare, `all`, `min`, and
 * `!name` negations; `min` is always added unless negated. Then the facts of the chosen
 * collectors, with `gather_subset` and `module_setup` as Ansible adds them.
 */
import type { AnsibleCollector, AnsibleFactGroups } from './collect.js';

interface CollectorInfo {
  factIds: string[];
  requires: string[];
  implemented: boolean;
}

const C = (implemented: boolean, factIds: string[] = [], requires: string[] = []): CollectorInfo => ({ factIds, requires, implemented });

/** Every collector Ansible 2.14 has on Linux: name -> the fact ids it declares, what it requires. */
const COLLECTORS: Record<string, CollectorInfo> = {
  platform: C(true, ['system', 'kernel', 'kernel_version', 'machine', 'python_version', 'architecture', 'machine_id']),
  distribution: C(true, ['distribution_version', 'distribution_release', 'distribution_major_version', 'os_family']),
  lsb: C(true),
  dns: C(true),
  env: C(true),
  python: C(true),
  pkg_mgr: C(true, [], ['distribution']),
  service_mgr: C(true, [], ['platform', 'distribution']),
  date_time: C(true),
  user: C(true, ['user_id', 'user_uid', 'user_gid', 'user_gecos', 'user_dir', 'user_shell', 'real_user_id', 'effective_user_id', 'effective_group_ids']),
  network: C(true, ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'], ['distribution', 'platform']),
  hardware: C(true, ['processor', 'processor_cores', 'processor_count', 'mounts', 'devices'], ['platform']),
  virtual: C(true, ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host']),
  apparmor: C(false),
  caps: C(false, ['system_capabilities', 'system_capabilities_enforced']),
  chroot: C(false, ['is_chroot']),
  cmdline: C(false),
  fips: C(false),
  local: C(false),
  loadavg: C(false),
  selinux: C(false),
  ssh_pub_keys: C(false, [
    'ssh_host_pub_keys',
    'ssh_host_key_dsa_public',
    'ssh_host_key_rsa_public',
    'ssh_host_key_ecdsa_public',
    'ssh_host_key_ed25519_public',
  ]),
  facter: C(false),
  ohai: C(false),
  fibre_channel_wwn: C(false),
  iscsi: C(false),
  nvme: C(false),
};

const MINIMAL = new Set([
  'apparmor',
  'caps',
  'cmdline',
  'date_time',
  'distribution',
  'dns',
  'env',
  'fips',
  'local',
  'lsb',
  'pkg_mgr',
  'platform',
  'python',
  'selinux',
  'service_mgr',
  'ssh_pub_keys',
  'user',
]);

/** Fact ids of the hardware collector that prov does not gather (so asking for them is refused). */
const NOT_GATHERED_IDS = new Set(['mounts', 'devices']);

/** name (collector or fact id) -> collector */
const NAME_TO_COLLECTOR = new Map<string, string>(
  Object.entries(COLLECTORS).flatMap(([name, info]) => [[name, name] as const, ...info.factIds.map((id) => [id, name] as const)]),
);
const VALID = new Set(NAME_TO_COLLECTOR.keys());

export class GatherSubsetError extends Error {}

/** The names gather_subset selects (get_collector_names), before they are mapped to collectors. */
function selectedNames(subset: string[]): Set<string> {
  const add = new Set<string>();
  const exclude = new Set<string>();
  const explicit = new Set<string>();
  for (const entry of ['min', ...(subset.length ? subset : ['all'])]) {
    if (entry === 'min') MINIMAL.forEach((n) => add.add(n));
    else if (entry === 'all') VALID.forEach((n) => add.add(n));
    else if (entry.startsWith('!')) {
      const name = entry.slice(1);
      if (name === 'min') MINIMAL.forEach((n) => exclude.add(n));
      else if (name === 'all') VALID.forEach((n) => MINIMAL.has(n) || exclude.add(n));
      else {
        (COLLECTORS[name]?.factIds ?? []).forEach((id) => exclude.add(id));
        exclude.add(name);
      }
    } else {
      if (!VALID.has(entry)) {
        throw new GatherSubsetError(`bad subset '${entry}' (allowed: all, ${[...VALID].sort().join(', ')})`);
      }
      const collector = NAME_TO_COLLECTOR.get(entry)!;
      if (!COLLECTORS[collector]!.implemented || NOT_GATHERED_IDS.has(entry)) {
        throw new GatherSubsetError(`subset '${entry}' is not gathered by prov (see docs/facts.md)`);
      }
      explicit.add(entry);
      add.add(entry);
    }
  }
  if (add.size === 0) VALID.forEach((n) => add.add(n));
  for (const name of exclude) if (!explicit.has(name)) add.delete(name);
  return add;
}

/** The implemented collectors a gather_subset list selects, with the collectors they require. */
export function collectorsFor(subset: string[]): Set<AnsibleCollector> {
  const collectors = new Set([...selectedNames(subset)].map((n) => NAME_TO_COLLECTOR.get(n)!));
  for (const name of [...collectors]) for (const required of COLLECTORS[name]!.requires) collectors.add(required);
  return new Set([...collectors].filter((c) => COLLECTORS[c]!.implemented) as AnsibleCollector[]);
}

/** Checks a gather_subset list (throws GatherSubsetError), for load time. */
export function checkGatherSubset(subset: string[]): void {
  collectorsFor(subset);
}

/** Ansible's `ansible_facts` for a gather_subset: the chosen collectors' facts, then gather_subset and module_setup. */
export function selectAnsibleFacts(groups: AnsibleFactGroups, subset: string[]): Record<string, unknown> {
  const chosen = collectorsFor(subset);
  const facts: Record<string, unknown> = {};
  for (const [name, group] of Object.entries(groups)) if (chosen.has(name as AnsibleCollector)) Object.assign(facts, group);
  facts.gather_subset = subset.length ? [...subset] : ['all'];
  facts.module_setup = true;
  return facts;
}
