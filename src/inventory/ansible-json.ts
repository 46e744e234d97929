/**
 * The inventory in the JSON shape of `ansible-inventory --list` / `--host` (ansible-core 2.14,
 * InventoryCLI.json_inventory): groups from `all` down, each `{hosts, children}` with empty
 * keys and empty groups left out (but still named in their parent's children), `all` without
 * hosts, and `_meta.hostvars` holding the merged inventory variables of every host that has any.
 */
import type { Inventory, Vars } from './types.js';
import { inventoryVars } from './vars.js';

interface GroupJson {
  hosts?: string[];
  children?: string[];
}

export type InventoryListJson = Record<string, GroupJson> & { _meta: { hostvars: Record<string, Vars> } };

export function inventoryListJson(inv: Inventory): InventoryListJson {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (name: string): void => {
    const g = inv.groups.get(name);
    if (!g) return;
    const entry: GroupJson = {};
    if (name !== 'all' && g.hosts.length) entry.hosts = [...g.hosts];
    if (g.children.length) entry.children = [...g.children];
    if (entry.hosts || entry.children) out[name] = entry;
    for (const child of g.children) {
      if (!seen.has(child)) {
        seen.add(child);
        format(child);
      }
    }
  };
  format('all');
  const hostvars: Record<string, Vars> = {};
  for (const host of inv.hosts.keys()) {
    const vars = inventoryVars(inv, host);
    if (Object.keys(vars).length) hostvars[host] = vars;
  }
  out['_meta'] = { hostvars };
  return out as InventoryListJson;
}

/** `ansible-inventory --host NAME`: the host's merged inventory variables. */
export function inventoryHostJson(inv: Inventory, host: string): Vars {
  return inventoryVars(inv, host);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    // Null prototype: a nested key named `__proto__` is printed, not taken as the prototype.
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Text as ansible-inventory prints it: Python's json.dumps(sort_keys=True, indent=4), ASCII-escaped. */
export function toAnsibleJsonText(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
