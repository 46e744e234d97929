/** Walks of the group tree with Ansible's orderings (ansible/inventory/group.py). */
import type { Inventory } from './types.js';

/** Depth of every group: the longest path from `all` (all = 0), as Group.depth ends up in Ansible. */
export function groupDepths(inv: Inventory): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (name: string, d: number, onPath: Set<string>): void => {
    if ((depth.get(name) ?? -1) >= d || onPath.has(name)) return;
    depth.set(name, d);
    onPath.add(name);
    for (const child of inv.groups.get(name)?.children ?? []) visit(child, d + 1, onPath);
    onPath.delete(name);
  };
  visit('all', 0, new Set());
  for (const name of inv.groups.keys()) if (!depth.has(name)) depth.set(name, 1);
  return depth;
}

/** The group and its descendants, breadth first, in file order (Group.get_descendants(preserve_ordering)). */
export function descendants(inv: Inventory, group: string): string[] {
  const ordered = [group];
  const seen = new Set(ordered);
  for (let i = 0; i < ordered.length; i++) {
    for (const child of inv.groups.get(ordered[i]!)?.children ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        ordered.push(child);
      }
    }
  }
  return ordered;
}

/** Every host of a group, its descendants' included, in Ansible's order (Group.get_hosts). */
export function hostsOfGroup(inv: Inventory, group: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const g of descendants(inv, group)) {
    for (const h of inv.groups.get(g)?.hosts ?? []) {
      if (!seen.has(h)) {
        seen.add(h);
        out.push(h);
      }
    }
  }
  return out;
}

/** Every group a host belongs to, directly or through a parent group, `all` included. */
export function groupsOfHost(inv: Inventory, host: string): Set<string> {
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) {
    for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), g.name]);
  }
  const out = new Set<string>();
  const todo = [...inv.groups.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name);
  while (todo.length) {
    const g = todo.pop()!;
    if (out.has(g)) continue;
    out.add(g);
    todo.push(...(parents.get(g) ?? []));
  }
  if (inv.hosts.has(host)) out.add('all');
  return out;
}
