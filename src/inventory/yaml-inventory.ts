/**
 * One Ansible YAML inventory file (the `yaml` inventory plugin of ansible-core 2.14): groups with
 * `hosts`, `vars`, `children` (nested, a group may have several parents, a host may be in several
 * groups and its vars merge), `all` or groups at the top level, host ranges and `name:port`.
 * Where Ansible only warns (a group that is not a mapping, an unknown key), prov stops with a
 * one-line parse error naming the file and line: a typo in an inventory should not silently
 * drop hosts from a run that changes routes.
 */
import { parseError } from '../core/errors.js';
import type { Fail, InventoryBuilder } from './builder.js';
import { parseHostKey } from './host-ranges.js';
import type { InventoryGroup } from './types.js';
import { describe, notAMapping } from './vars-files.js';
import type { ParsedYaml } from '../core/yaml/parse.js';
import { isMapping } from '../core/mapping.js';

const GROUP_KEYS = ['hosts', 'vars', 'children'];
const MAX_NESTING = 100;

/** Why YAML data is not a YAML inventory (Ansible's yaml plugin then lets the ini plugin try), or undefined. */
export function notYamlInventory(file: string, text: string, yaml: ParsedYaml): Error | undefined {
  const data = yaml.data;
  if (data === null || data === undefined) return parseError(file, 'empty inventory: expected groups such as `all:` with hosts');
  if (!isMapping(data)) return notAMapping(file, text, data, 'a mapping of groups at the top level');
  return undefined;
}

/** Adds the groups and hosts of one parsed YAML inventory (checked with notYamlInventory first). */
export function addYamlInventory(builder: InventoryBuilder, file: string, yaml: ParsedYaml): void {
  const failAt =
    (path: readonly string[]): Fail =>
    (message) => {
      throw parseError(file, message, yaml.lineOf(path));
    };

  const parseGroup = (name: string, data: unknown, path: string[], depth: number): void => {
    const fail: Fail = failAt(path);
    if (depth > MAX_NESTING) fail(`group '${name}': children nested more than ${MAX_NESTING} levels deep`);
    if (data !== null && !isMapping(data)) {
      fail(`group '${name}' must be a mapping with hosts, vars or children, got ${describe(data)}`);
    }
    const group = builder.addGroup(name, fail);
    if (data === null) return;
    for (const [key, rawValue] of Object.entries(data)) {
      const keyPath = [...path, key];
      const failKey: Fail = failAt(keyPath);
      if (!GROUP_KEYS.includes(key)) {
        failKey(`group '${name}': unknown key '${key}' (a group may only have hosts, vars and children)`);
      }
      // Ansible accepts a bare string as a one-entry mapping (`hosts: r1`).
      const value = typeof rawValue === 'string' ? { [rawValue]: null } : rawValue;
      if (value === null) continue;
      if (!isMapping(value)) {
        const what = key === 'hosts' ? 'a mapping of host names' : key === 'children' ? 'a mapping of group names' : 'a mapping of variables';
        failKey(`group '${name}': '${key}' must be ${what}, got ${describe(value)}`);
      }
      if (key === 'vars') {
        for (const [k, v] of Object.entries(value)) builder.setGroupVar(group, k, v, failAt([...keyPath, k]));
      } else if (key === 'children') {
        for (const [child, childData] of Object.entries(value)) {
          parseGroup(child, childData, [...keyPath, child], depth + 1);
          builder.addChild(name, child, failAt([...keyPath, child]));
        }
      } else {
        for (const [hostKey, hostData] of Object.entries(value)) parseHost(group, hostKey, hostData, [...keyPath, hostKey]);
      }
    }
  };

  const parseHost = (group: InventoryGroup, hostKey: string, data: unknown, path: string[]): void => {
    const fail: Fail = failAt(path);
    if (data !== null && !isMapping(data)) {
      fail(`host '${hostKey}' in group '${group.name}' must be a mapping of variables or empty, got ${describe(data)}`);
    }
    let parsed;
    try {
      parsed = parseHostKey(hostKey);
    } catch (err) {
      fail(`group '${group.name}': ${(err as Error).message}`);
    }
    for (const name of parsed.names) {
      const host = builder.addHost(name, group, parsed.port, fail);
      for (const [k, v] of Object.entries(data ?? {})) builder.setHostVar(host, k, v, failAt([...path, k]));
    }
  };

  const data = yaml.data as Record<string, unknown>;
  if (typeof data['plugin'] === 'string') {
    // Ansible's `auto` plugin would load this inventory plugin (aws_ec2, constructed, ...) and run it.
    failAt(['plugin'])(
      `is the configuration of the inventory plugin '${data['plugin']}': prov does not run inventory plugins; save their output with \`ansible-inventory -i FILE --list -y\` and use that`,
    );
  }
  for (const [name, value] of Object.entries(data)) parseGroup(name, value, [name], 0);
}
