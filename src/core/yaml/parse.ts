/**
 * The one YAML loader of prov: every file (inventory, group_vars/host_vars, playbooks, role
 * defaults/vars/tasks/handlers/meta, `-e @file`, inline `-e '{...}'`) is parsed here, as Ansible
 * parses it (see schema.ts). A syntax error is `file:line: YAML syntax error: reason`; a duplicate
 * key is Ansible's warning (the last value wins); aliases are bounded (scan.ts).
 */
import { constructFromEvents, parseEvents, YAMLException, type Event } from 'js-yaml';
import { parseError, ProvError } from '../errors.js';
import { markSecret } from '../secrets.js';
import { isVaultText } from '../vault/envelope.js';
import { decryptVaultText, VaultError } from '../vault/keyring.js';
import { warn } from '../warnings.js';
import { KEY_SEP, scanEvents, type DuplicateKey } from './scan.js';
import { ANSIBLE_YAML_SCHEMA } from './schema.js';

export { ANSIBLE_YAML_SCHEMA } from './schema.js';

export interface ParsedYaml {
  data: unknown;
  /** 1-based line of the mapping key at `path` (e.g. ['all', 'children', 'routers']), if known. */
  lineOf(path: readonly string[]): number | undefined;
}

/** Ansible's text for a duplicate key (lib/ansible/parsing/yaml/constructor.py). */
export function duplicateKeyWarning(file: string, dup: DuplicateKey): string {
  return `While constructing a mapping from ${file}, line ${dup.mapping.line}, column ${dup.mapping.column}, found a duplicate dict key (${dup.key}). Using last defined value only.`;
}

/**
 * A vault error as Ansible words it, with the file and the line of the payload: exit 1, as
 * ansible-playbook exits for a file it cannot decrypt.
 */
function vaultFailure(err: VaultError, text: string, file: string): ProvError {
  // The payload's first hex line is unique (it starts with the salt): its header is the line above,
  // and the key (`name: !vault |`) the line above that.
  const probe = err.payload.trim().split('\n')[1]?.trim();
  const at = probe ? text.indexOf(probe) : -1;
  const lines = text.slice(0, Math.max(at, 0)).split('\n');
  const header = lines.length - 1;
  const line = at < 0 ? undefined : lines[header - 2]?.includes('!vault') ? header - 1 : header;
  const where = line === undefined || line < 1 ? file : `${file}:${line}`;
  return new ProvError('internal', `${where}: ${err.message}`, { cause: err });
}

/**
 * Parses one YAML document; `file` names it in errors and warnings. A whole file encrypted with
 * `ansible-vault encrypt` is decrypted first, and every string in it is secret.
 */
export function parseAnsibleYaml(text: string, file: string): ParsedYaml {
  if (isVaultText(text)) {
    let plain: string;
    try {
      plain = decryptVaultText(text);
    } catch (err) {
      if (err instanceof VaultError) throw vaultFailure(err, text, file);
      throw err;
    }
    const parsed = parseAnsibleYaml(plain, file);
    markSecret(parsed.data);
    return parsed;
  }
  let data: unknown;
  let scan: ReturnType<typeof scanEvents>;
  try {
    const events: Event[] = parseEvents(text, { filename: file });
    scan = scanEvents(events, text, file);
    // Merges are bounded by the alias budget of scanEvents (a merged alias counts its whole size).
    const docs = constructFromEvents(events, { source: text, filename: file, schema: ANSIBLE_YAML_SCHEMA, json: true, maxTotalMergeKeys: -1 });
    if (docs.length > 1) throw parseError(file, 'expected one YAML document, found several');
    data = docs[0] ?? null;
  } catch (err) {
    if (err instanceof ProvError) throw err;
    if (err instanceof VaultError) throw vaultFailure(err, text, file);
    if (err instanceof YAMLException) {
      const line = err.mark ? err.mark.line + 1 : undefined;
      throw parseError(file, `YAML syntax error: ${err.reason}`, line, err);
    }
    throw parseError(file, `YAML syntax error: ${String(err)}`, undefined, err);
  }
  for (const dup of scan.duplicates) warn(duplicateKeyWarning(file, dup));
  const lines = scan.keyLines;
  return { data, lineOf: (path) => lines.get(path.join(KEY_SEP)) };
}

/** The value of one YAML document (see parseAnsibleYaml). */
export function parseYaml(text: string, file: string): unknown {
  return parseAnsibleYaml(text, file).data;
}
