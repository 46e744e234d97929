/**
 * A host's inventory variables, merged with Ansible's precedence (VariableManager.get_vars with
 * the default VARIABLE_PRECEDENCE), lowest first:
 *   1. inline vars of `all`, then of the host's other groups sorted by (depth, ansible_group_priority, name)
 *   2. group_vars/all, then group_vars/<group> in the same order
 *   3. inline host vars, then host_vars/<host>
 * So group_vars/all.yml beats an inline `vars:` of a child group, as it does in Ansible.
 * Merging is shallow (hash_behaviour=replace).
 */
import { dirname, extname } from 'node:path';
import { ProvError } from '../core/errors.js';
import { groupDepths, groupsOfHost, hostsOfGroup } from './graph.js';
import type { Inventory, InventoryGroup, Vars } from './types.js';

function inline(e: { vars: Vars; inlineVars?: Vars }): Vars {
  return e.inlineVars ?? e.vars;
}
function fromFiles(e: { fileVars?: Vars }): Vars {
  return e.fileVars ?? {};
}

function priorityOf(g: InventoryGroup): number {
  return g.priority ?? 1;
}

/** The host's groups other than `all`, in Ansible's merge order (sort_groups). */
export function sortedGroupsOf(inv: Inventory, host: string): InventoryGroup[] {
  const depth = groupDepths(inv);
  return [...groupsOfHost(inv, host)]
    .filter((g) => g !== 'all')
    .map((g) => inv.groups.get(g)!)
    .sort((a, b) => depth.get(a.name)! - depth.get(b.name)! || priorityOf(a) - priorityOf(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Inventory variables only (what `ansible-inventory --host` prints): no magic variables. */
export function inventoryVars(inv: Inventory, host: string): Vars {
  const h = inv.hosts.get(host);
  if (!h) throw new ProvError('options', `unknown host '${host}' in inventory ${inv.source}`);
  const all = inv.groups.get('all')!;
  const groups = sortedGroupsOf(inv, host);
  return Object.assign({}, inline(all), ...groups.map(inline), fromFiles(all), ...groups.map(fromFiles), inline(h), fromFiles(h)) as Vars;
}

/**
 * Ansible's inventory_dir of a host: the directory of the inventory file it was first seen in
 * (for a directory source, the directory holding that file).
 */
export function inventoryDir(inv: Inventory, host?: string): string {
  const file = host === undefined ? undefined : inv.hosts.get(host)?.file;
  if (file) return dirname(file);
  return ['.yml', '.yaml', '.json'].includes(extname(inv.source)) ? dirname(inv.source) : inv.source;
}

/**
 * Merged variables of a host plus Ansible's magic variables: inventory_hostname,
 * inventory_hostname_short, group_names (sorted, without `all`; an ungrouped host has
 * ['ungrouped'], as in Ansible), inventory_dir and inventory_file.
 */
export function hostVars(inv: Inventory, host: string): Vars {
  const vars = inventoryVars(inv, host);
  vars['inventory_hostname'] = host;
  vars['inventory_hostname_short'] = host.split('.')[0];
  vars['group_names'] = [...groupsOfHost(inv, host)].filter((g) => g !== 'all').sort();
  vars['inventory_dir'] = inventoryDir(inv, host);
  const file = inv.hosts.get(host)?.file;
  if (file) vars['inventory_file'] = file;
  return vars;
}

/** hostVars of every host of the inventory (Ansible's `hostvars` before facts). */
export function allHostVars(inv: Inventory): Record<string, Vars> {
  const out: Record<string, Vars> = {};
  for (const host of inv.hosts.keys()) out[host] = hostVars(inv, host);
  return out;
}

/** Ansible's `groups` magic variable: every group (all and ungrouped included) -> its hosts, descendants' included. */
export function groupsMap(inv: Inventory): Record<string, string[]> {
  // Null prototype: groups['constructor'] is a group or nothing, never an inherited function.
  const out: Record<string, string[]> = Object.create(null);
  for (const name of inv.groups.keys()) out[name] = hostsOfGroup(inv, name);
  return out;
}
