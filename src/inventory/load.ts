/**
 * Loads an Ansible YAML inventory, unchanged (the `yaml` inventory plugin of ansible-core 2.14):
 * groups with `hosts`, `vars`, `children` (nested, a group may have several parents, a host may
 * be in several groups and its vars merge), `all` or groups at the top level, the implicit
 * `ungrouped`, host ranges and `name:port`, then group_vars/ and host_vars/ beside the file.
 * An inventory path may also be a directory of YAML inventory files (as Ansible accepts).
 * Where Ansible only warns (a group that is not a mapping, an unknown key), prov stops with a
 * one-line parse error naming the file and line: a typo in an inventory should not silently
 * drop hosts from a run that changes routes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { parseError, ProvError, readFailure } from '../errors.js';
import { parseHostKey } from './host-ranges.js';
import { badInventoryName, hasProtoKey, PROTO_KEY, PROTO_VARIABLE } from './names.js';
import type { Inventory, InventoryGroup, InventoryHost, Vars } from './types.js';
import { describe, notAMapping, readVarsFor } from './vars-files.js';
import { parseAnsibleYaml, type ParsedYaml } from '../yaml/parse.js';
import { decodeUtf8 } from '../yaml/read.js';

const GROUP_KEYS = ['hosts', 'vars', 'children'];
const MAX_NESTING = 100;

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class InventoryBuilder {
  readonly groups = new Map<string, InventoryGroup>();
  readonly hosts = new Map<string, InventoryHost>();
  private readonly parents = new Map<string, Set<string>>();
  private file = '';
  private yaml!: ParsedYaml;

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped', []);
  }

  parseFile(file: string, text: string): void {
    this.file = file;
    const ini = /^\s*\[[^\]\n]+\]\s*$/m.test(text) ? ' (this looks like an INI inventory; prov reads the YAML format: convert it with `ansible-inventory -i FILE --list -y`)' : '';
    try {
      this.yaml = parseAnsibleYaml(text, file);
    } catch (err) {
      if (ini && err instanceof ProvError) throw new ProvError('parse', err.message + ini, { cause: err });
      throw err;
    }
    const data = this.yaml.data;
    if (data === null || data === undefined) throw parseError(file, 'empty inventory: expected groups such as `all:` with hosts');
    if (!isMapping(data)) {
      const err = notAMapping(file, text, data, 'a mapping of groups at the top level');
      throw new ProvError('parse', err.message + ini);
    }
    for (const [name, value] of Object.entries(data)) this.parseGroup(name, value, [name], 0);
  }

  private fail(message: string, path: readonly string[]): never {
    throw parseError(this.file, message, this.yaml.lineOf(path));
  }

  private addGroup(name: string): InventoryGroup {
    let g = this.groups.get(name);
    if (!g) {
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

  private addChild(parent: string, child: string, path: readonly string[]): void {
    if (child === 'all') this.fail(`group '${parent}': 'all' cannot be a child group`, path);
    if (parent === child || this.ancestors(parent).has(child)) {
      this.fail(`group '${parent}': adding child '${child}' creates a cycle in children`, path);
    }
    const p = this.groups.get(parent)!;
    if (!p.children.includes(child)) p.children.push(child);
    this.parents.get(child)!.add(parent);
  }

  /** Refuses a host or group name that cannot be used as a vars file name (names.ts). */
  private checkName(kind: 'host' | 'group', name: string, path: readonly string[]): void {
    const bad = badInventoryName(kind, name);
    if (bad) this.fail(bad, path);
  }

  private parseGroup(name: string, data: unknown, path: string[], depth: number): void {
    this.checkName('group', name, path);
    if (depth > MAX_NESTING) this.fail(`group '${name}': children nested more than ${MAX_NESTING} levels deep`, path);
    if (data !== null && !isMapping(data)) {
      this.fail(`group '${name}' must be a mapping with hosts, vars or children, got ${describe(data)}`, path);
    }
    const group = this.addGroup(name);
    if (data === null) return;
    for (const [key, rawValue] of Object.entries(data)) {
      const keyPath = [...path, key];
      if (!GROUP_KEYS.includes(key)) {
        this.fail(`group '${name}': unknown key '${key}' (a group may only have hosts, vars and children)`, keyPath);
      }
      // Ansible accepts a bare string as a one-entry mapping (`hosts: r1`).
      const value = typeof rawValue === 'string' ? { [rawValue]: null } : rawValue;
      if (value === null) continue;
      if (!isMapping(value)) {
        const what = key === 'hosts' ? 'a mapping of host names' : key === 'children' ? 'a mapping of group names' : 'a mapping of variables';
        this.fail(`group '${name}': '${key}' must be ${what}, got ${describe(value)}`, keyPath);
      }
      if (key === 'vars') this.setGroupVars(group, value, keyPath);
      else if (key === 'children') {
        for (const [child, childData] of Object.entries(value)) {
          this.parseGroup(child, childData, [...keyPath, child], depth + 1);
          this.addChild(name, child, [...keyPath, child]);
        }
      } else {
        for (const [hostKey, hostData] of Object.entries(value)) this.parseHost(group, hostKey, hostData, [...keyPath, hostKey]);
      }
    }
  }

  /** Inline group vars; ansible_group_priority sets the group's priority instead (Group.set_variable). */
  private setGroupVars(group: InventoryGroup, vars: Record<string, unknown>, path: string[]): void {
    if (hasProtoKey(vars)) this.fail(`group '${group.name}': ${PROTO_VARIABLE}`, [...path, PROTO_KEY]);
    for (const [k, v] of Object.entries(vars)) {
      if (k !== 'ansible_group_priority') {
        group.inlineVars![k] = v;
        continue;
      }
      const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        this.fail(`group '${group.name}': ansible_group_priority must be an integer, got ${describe(v)}`, [...path, k]);
      }
      group.priority = n;
    }
  }

  private parseHost(group: InventoryGroup, hostKey: string, data: unknown, path: string[]): void {
    if (data !== null && !isMapping(data)) {
      this.fail(`host '${hostKey}' in group '${group.name}' must be a mapping of variables or empty, got ${describe(data)}`, path);
    }
    let parsed;
    try {
      parsed = parseHostKey(hostKey);
    } catch (err) {
      this.fail(`group '${group.name}': ${(err as Error).message}`, path);
    }
    if (hasProtoKey(data)) this.fail(`host '${hostKey}': ${PROTO_VARIABLE}`, [...path, PROTO_KEY]);
    for (const name of parsed.names) this.checkName('host', name, path);
    for (const name of parsed.names) {
      let host = this.hosts.get(name);
      if (!host) {
        host = { name, vars: {}, inlineVars: {}, fileVars: {} };
        this.hosts.set(name, host);
      }
      if (parsed.port !== undefined) host.inlineVars!['ansible_port'] = parsed.port;
      if (data) Object.assign(host.inlineVars!, data);
      if (!group.hosts.includes(name)) group.hosts.push(name);
    }
  }

  /** Ansible's reconcile_inventory: parentless groups go under `all`; hosts with no group go to `ungrouped`. */
  reconcile(): void {
    for (const [name, parents] of this.parents) {
      if (name !== 'all' && parents.size === 0) this.addChild('all', name, []);
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

async function readText(file: string): Promise<string> {
  try {
    return decodeUtf8(await readFile(file), file);
  } catch (err) {
    if (err instanceof ProvError) throw err;
    const why = readFailure(err);
    throw new ProvError('parse', `${file}: cannot read inventory: ${why}`, { cause: err });
  }
}

/** The inventory files of a path: the file itself, or the YAML/JSON files of a directory (sorted). */
async function inventoryFiles(path: string): Promise<{ files: string[]; dir: string }> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    // readText reports the missing file with its name.
  }
  if (!isDir) return { files: [path], dir: dirname(path) };
  const entries = (await readdir(path, { withFileTypes: true }))
    .filter((e) => e.isFile() && ['.yml', '.yaml', '.json'].includes(extname(e.name)) && !e.name.startsWith('.'))
    .map((e) => join(path, e.name))
    .sort();
  if (entries.length === 0) throw parseError(path, 'inventory directory holds no .yml, .yaml or .json inventory file');
  return { files: entries, dir: path };
}

export async function loadInventory(path: string): Promise<Inventory> {
  const source = resolve(path);
  const { files, dir } = await inventoryFiles(source);
  const builder = new InventoryBuilder();
  for (const file of files) builder.parseFile(file, await readText(file));
  builder.reconcile();
  await Promise.all([
    ...[...builder.groups.values()].map(async (g) => {
      g.fileVars = await readVarsFor(join(dir, 'group_vars'), g.name);
    }),
    ...[...builder.hosts.values()].map(async (h) => {
      h.fileVars = await readVarsFor(join(dir, 'host_vars'), h.name);
    }),
  ]);
  for (const entity of [...builder.groups.values(), ...builder.hosts.values()]) {
    entity.vars = { ...entity.inlineVars, ...entity.fileVars } as Vars;
  }
  return { source, hosts: builder.hosts, groups: builder.groups };
}
