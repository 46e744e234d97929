/**
 * Loads an Ansible inventory from one or more sources (`-i` given several times), merged in
 * order into one inventory, as ansible-core 2.14's InventoryManager does:
 *   - a file is tried as YAML (only if its name ends in .yml, .yaml or .json, or has no
 *     extension) and, if it is not a YAML inventory (a syntax error, not a mapping, empty), as
 *     INI: the order of Ansible's default `yaml`, `ini` inventory plugins;
 *   - a directory is every file inside it, sorted, recursively, skipping hidden names,
 *     group_vars/, host_vars/, vars_plugins/ and Ansible's ignored extensions (.retry, .orig,
 *     .ini, .cfg, .md, .txt, .rst, .bak, .swp, .pyc, .pyo, .rpm and names ending in `~`);
 *   - group_vars/ and host_vars/ beside each source (the file's directory, or the directory
 *     itself) are read for every group and host, later sources winning.
 * Unlike Ansible, which only warns about a source it cannot parse and goes on without it, prov
 * stops with that source's error: a run that changes routes must not silently miss hosts.
 * Inventory scripts (an executable file starting with `#!`) are refused: prov runs no code
 * from an inventory.
 */
import { access, constants, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { readBoundedFile } from '../core/bounded-read.js';
import { parseError, ProvError, readFailure } from '../core/errors.js';
import { InventoryBuilder } from './builder.js';
import { addIniInventory } from './ini-inventory.js';
import type { Inventory, Vars } from './types.js';
import { readVarsFor } from './vars-files.js';
import { addYamlInventory, notYamlInventory } from './yaml-inventory.js';
import { parseAnsibleYaml, type ParsedYaml } from '../core/yaml/parse.js';
import { decodeUtf8 } from '../core/yaml/read.js';
import { addAwsEc2Inventory, isAwsEc2Document } from './aws-ec2/load.js';
import { isAwsEc2File } from './aws-ec2/config.js';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];
/** InventoryManager's IGNORED: always-ignored names, then INVENTORY_IGNORE_EXTS (REJECT_EXTS + .orig, .ini, .cfg, .retry). */
const IGNORED = /^\.|^host_vars$|^group_vars$|^vars_plugins$|(\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
/** A section header line: the sign that a file that is not YAML was meant as INI. */
const INI_SECTION = /^\s*\[[^\]\n]+\]\s*$/m;

async function readText(file: string): Promise<string> {
  try {
    return decodeUtf8(await readBoundedFile(file), file);
  } catch (err) {
    if (err instanceof ProvError) throw err;
    const why = readFailure(err);
    throw new ProvError('parse', `${file}: cannot read inventory: ${why}`, { cause: err });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // readText reports the missing file with its name
  }
}

/** The inventory files of a directory source, in Ansible's order (sorted names, depth first). */
async function filesOfDirectory(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (IGNORED.test(name)) continue;
    const full = join(dir, name);
    if (await isDirectory(full)) files.push(...(await filesOfDirectory(full)));
    else files.push(full);
  }
  return files;
}

async function isScript(file: string, text: string): Promise<boolean> {
  if (!text.startsWith('#!')) return false;
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Reads one inventory file into the builder: YAML if it is a YAML inventory, else INI. */
async function addInventoryFile(builder: InventoryBuilder, file: string): Promise<void> {
  const text = await readText(file);
  if (await isScript(file, text)) {
    throw parseError(
      file,
      'is an inventory script (executable, starting with #!): prov does not run inventory scripts; save its output with `ansible-inventory -i FILE --list -y` and use that',
    );
  }
  if (!/\S/.test(text.replace(/^\s*[#;].*$/gm, ''))) throw parseError(file, 'empty inventory: expected groups and hosts');
  builder.currentFile = file;
  const ext = extname(file);
  let yamlError: Error | undefined;
  let yamlSyntaxError = false;
  if (ext === '' || YAML_EXTENSIONS.includes(ext)) {
    let yaml: ParsedYaml | undefined;
    try {
      yaml = parseAnsibleYaml(text, file);
      yamlError = notYamlInventory(file, text, yaml);
    } catch (err) {
      if (!(err instanceof ProvError)) throw err;
      yamlError = err;
      yamlSyntaxError = true;
    }
    if (yaml && isAwsEc2File(file) && isAwsEc2Document(yaml.data)) return addAwsEc2Inventory(builder, file, yaml.data);
    if (!yamlError) return addYamlInventory(builder, file, yaml!);
  }
  try {
    addIniInventory(builder, file, text);
  } catch (iniError) {
    // Both readers refused the file: report the error of the format it was meant in. A file
    // without extension is INI unless it is broken YAML with no [section] line.
    if (yamlError && (YAML_EXTENSIONS.includes(ext) || (yamlSyntaxError && !INI_SECTION.test(text)))) throw yamlError;
    throw iniError;
  }
}

/** Loads and merges the inventory sources (files or directories), in order. */
export async function loadInventory(paths: string | readonly string[]): Promise<Inventory> {
  const sources = (typeof paths === 'string' ? [paths] : [...paths]).map((p) => resolve(p));
  if (sources.length === 0) throw new ProvError('options', 'no inventory given');
  const builder = new InventoryBuilder();
  const varsDirs: string[] = [];
  for (const source of sources) {
    const dir = await isDirectory(source);
    const files = dir ? await filesOfDirectory(source) : [source];
    if (dir && files.length === 0) throw parseError(source, 'inventory directory holds no inventory file');
    for (const file of files) await addInventoryFile(builder, file);
    varsDirs.push(dir ? source : dirname(source));
  }
  builder.reconcile();
  const fileVarsOf = async (kind: 'group_vars' | 'host_vars', name: string): Promise<Vars> => {
    const merged: Vars = {};
    for (const d of varsDirs) Object.assign(merged, await readVarsFor(join(d, kind), name));
    return merged;
  };
  await Promise.all([
    ...[...builder.groups.values()].map(async (g) => {
      g.fileVars = await fileVarsOf('group_vars', g.name);
    }),
    ...[...builder.hosts.values()].map(async (h) => {
      h.fileVars = await fileVarsOf('host_vars', h.name);
    }),
  ]);
  for (const entity of [...builder.groups.values(), ...builder.hosts.values()]) {
    entity.vars = { ...entity.inlineVars, ...entity.fileVars } as Vars;
  }
  return { source: sources[0]!, sources, hosts: builder.hosts, groups: builder.groups };
}
