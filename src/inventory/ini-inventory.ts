/**
 * One Ansible INI inventory file, read as the `ini` inventory plugin of ansible-core 2.14 reads it
 * (lib/ansible/plugins/inventory/ini.py):
 *   - lines are stripped; empty lines and lines starting with `#` or `;` are skipped;
 *   - `[group]` (hosts), `[group:vars]`, `[group:children]`, a `#` comment after the header;
 *     lines before any header are hosts of `ungrouped`;
 *   - a host line is split like a shell line (shlex.ts): the host (`name`, `name:port`, a range
 *     `web[01:10]`), then `key=value` words; `#` starts a comment;
 *   - a `[group:vars]` line is `key = value`, split at the first `=`, both sides stripped;
 *   - every value, host or group, is read as a Python literal if it is one, else kept as the
 *     string (python-literal.ts): `a=1` is the number 1, `a=yes` the string "yes";
 *   - a child group or a `:vars` section may name a group defined later in the same file; a name
 *     never defined is an error.
 * Errors are one line, `file:line: message`, with Ansible's wording where it has one.
 */
import { parseError } from '../core/errors.js';
import type { Fail, InventoryBuilder } from './builder.js';
import { parseHostKey } from './host-ranges.js';
import { iniValue, LiteralError } from './python-literal.js';
import { ShellWordsError, splitShellWords } from '../core/shell-words.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;
/** Python's str.splitlines() line boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

/** Adds the groups and hosts of one INI inventory file to the builder. */
export function addIniInventory(builder: InventoryBuilder, file: string, text: string): void {
  let lineno = 0;
  const fail: Fail = (message) => {
    throw parseError(file, message, lineno);
  };
  const value = (v: string): unknown => {
    try {
      return iniValue(v);
    } catch (err) {
      if (err instanceof LiteralError) fail(`value ${JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)}: ${err.message}`);
      throw err;
    }
  };
  const pending = new Map<string, Pending>();
  const addPendingChildren = (group: string): void => {
    const p = pending.get(group)!;
    for (const parent of p.parents) {
      builder.addChild(parent, group, fail);
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent);
    }
    pending.delete(group);
  };

  let groupName = 'ungrouped';
  let state = 'hosts';
  text = text.replace(/^\ufeff/, '');
  for (const raw of text.split(LINE_BREAK)) {
    lineno++;
    const line = raw.trim();
    if (!line || line[0] === '#' || line[0] === ';') continue;
    const m = SECTION.exec(line);
    if (m) {
      groupName = m[1]!;
      state = m[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) fail(`Section [${m[1]}:${m[2]}] has unknown type: ${state}`);
      if (!builder.hasGroup(groupName)) {
        // [group] or [group:children] declares a group; [group:vars] only if it is declared somewhere.
        if (state === 'vars' && !pending.has(groupName)) pending.set(groupName, { line: lineno, state: 'vars', parents: [] });
        builder.addGroup(groupName, fail);
      }
      const p = pending.get(groupName);
      if (p && state !== 'vars') {
        if (p.state === 'children') addPendingChildren(groupName);
        else pending.delete(groupName);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`);
    }
    if (state === 'hosts') addHostLine(builder, line, groupName, fail, value);
    else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`Expected key=value, got: ${line}`);
      builder.setGroupVar(builder.addGroup(groupName, fail), line.slice(0, eq).trim(), value(line.slice(eq + 1).trim()), fail);
    } else {
      const child = GROUP_NAME.exec(line)?.[1];
      if (child === undefined) fail(`Expected group name, got: ${line}`);
      if (!builder.hasGroup(child)) {
        const p = pending.get(child);
        if (!p) pending.set(child, { line: lineno, state: 'children', parents: [groupName] });
        else p.parents.push(groupName);
      } else builder.addChild(groupName, child, fail);
    }
  }
  for (const [name, p] of pending) {
    lineno = p.line;
    if (p.state === 'vars') fail(`Section [${name}:vars] not valid for undefined group: ${name}`);
    fail(`Section [${p.parents[p.parents.length - 1]}:children] includes undefined group: ${name}`);
  }
}

function addHostLine(builder: InventoryBuilder, line: string, groupName: string, fail: Fail, value: (v: string) => unknown): void {
  let tokens: string[];
  try {
    tokens = splitShellWords(line, { comments: true });
  } catch (err) {
    if (err instanceof ShellWordsError) fail(`Error parsing host definition '${line}': ${err.message}`);
    throw err;
  }
  if (tokens.length === 0) return;
  const pattern = tokens[0]!;
  if (pattern.trim().endsWith(':')) {
    fail(`Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`);
  }
  let parsed;
  try {
    parsed = parseHostKey(pattern);
  } catch (err) {
    fail(`group '${groupName}': ${(err as Error).message}`);
  }
  if (parsed.names.some((n) => n.trim() === '---')) {
    fail(`Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`);
  }
  const variables: Array<[string, unknown]> = [];
  for (const t of tokens.slice(1)) {
    const eq = t.indexOf('=');
    if (eq < 0) fail(`Expected key=value host variable assignment, got: ${t}`);
    variables.push([t.slice(0, eq), value(t.slice(eq + 1))]);
  }
  const group = builder.addGroup(groupName, fail);
  for (const name of parsed.names) {
    const host = builder.addHost(name, group, parsed.port, fail);
    for (const [k, v] of variables) builder.setHostVar(host, k, v, fail);
  }
}
