/**
 * The inventory being built, shared by every inventory source (as Ansible's InventoryData is
 * shared by its inventory plugins): the YAML and INI parsers add groups, hosts, children and
 * variables here, in file order, then `reconcile` applies Ansible's rules once all sources are
 * read. Every rule that can fail calls the `fail` of the caller, which names the file and line.
 */
import { ProvError } from '../core/errors.js';
import { badInventoryName, PROTO_KEY, PROTO_VARIABLE } from './names.js';
import type { InventoryGroup, InventoryHost } from './types.js';
import { describe } from './vars-files.js';

/** Throws the caller's one-line error (the caller knows the file and line). */
export type Fail = (message: string) => never;

/** For the builder's own steps (all, ungrouped, reconcile), which cannot break a rule. */
const cannotFail: Fail = (message) => {
  throw new ProvError('internal', `inventory: ${message}`);
};

export class InventoryBuilder {
  readonly groups = new Map<string, InventoryGroup>();
  readonly hosts = new Map<string, InventoryHost>();
  private readonly parents = new Map<string, Set<string>>();
  /** The file being read: a new host's inventory_file (Ansible: the first source a host is seen in). */
  currentFile = '';

  constructor() {
    this.addGroup('all', cannotFail);
    this.addGroup('ungrouped', cannotFail);
    this.addChild('all', 'ungrouped', cannotFail);
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  addGroup(name: string, fail: Fail): InventoryGroup {
    let g = this.groups.get(name);
    if (!g) {
      const bad = badInventoryName('group', name);
      if (bad) fail(bad);
      g = { name, hosts: [], children: [], vars: {}, inlineVars: {}, fileVars: {} };
      this.groups.set(name, g);
      this.parents.set(name, new Set());
    }
    return g;
  }

  private ancestors(name: string): Set<string> {
    const seen = new Set<string>();
    const todo = [...(this.parents.get(name) ?? [])];
    while (todo.length) {
      const g = todo.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      todo.push(...(this.parents.get(g) ?? []));
    }
    return seen;
  }

  addChild(parent: string, child: string, fail: Fail): void {
    if (child === 'all') fail(`group '${parent}': 'all' cannot be a child group`);
    if (parent === child || this.ancestors(parent).has(child)) {
      fail(`group '${parent}': adding child '${child}' creates a cycle in children`);
    }
    const p = this.groups.get(parent)!;
    if (!p.children.includes(child)) p.children.push(child);
    this.parents.get(child)!.add(parent);
  }

  /** Ansible's add_host: the port applies only when the host is new (Host(name, port)). */
  addHost(name: string, group: InventoryGroup, port: number | undefined, fail: Fail): InventoryHost {
    let host = this.hosts.get(name);
    if (!host) {
      const bad = badInventoryName('host', name);
      if (bad) fail(bad);
      host = { name, vars: {}, inlineVars: {}, fileVars: {}, file: this.currentFile };
      if (port !== undefined) host.inlineVars!['ansible_port'] = port;
      this.hosts.set(name, host);
    }
    if (!group.hosts.includes(name)) group.hosts.push(name);
    return host;
  }

  setHostVar(host: InventoryHost, key: string, value: unknown, fail: Fail): void {
    if (key === PROTO_KEY) fail(`host '${host.name}': ${PROTO_VARIABLE}`);
    host.inlineVars![key] = value;
  }

  /** Inline group vars; ansible_group_priority sets the group's priority instead (Group.set_variable). */
  setGroupVar(group: InventoryGroup, key: string, value: unknown, fail: Fail): void {
    if (key === PROTO_KEY) fail(`group '${group.name}': ${PROTO_VARIABLE}`);
    if (key !== 'ansible_group_priority') {
      group.inlineVars![key] = value;
      return;
    }
    const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      fail(`group '${group.name}': ansible_group_priority must be an integer, got ${describe(value)}`);
    }
    group.priority = n;
  }

  /** Ansible's reconcile_inventory: parentless groups go under `all`; hosts with no group go to `ungrouped`. */
  reconcile(): void {
    for (const [name, parents] of this.parents) {
      if (name !== 'all' && parents.size === 0) this.addChild('all', name, cannotFail);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    const grouped = new Set<string>();
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.name !== 'ungrouped') for (const h of g.hosts) grouped.add(h);
    }
    ungrouped.hosts = ungrouped.hosts.filter((h) => !grouped.has(h));
    for (const h of this.hosts.keys()) {
      if (!grouped.has(h) && !ungrouped.hosts.includes(h)) ungrouped.hosts.push(h);
    }
  }
}
