/**
 * The YAML schema of Ansible: PyYAML's SafeLoader resolution (YAML 1.1), which Ansible uses for
 * every file it reads (inventory, vars, playbooks, roles, `-e @file`).
 *
 * Why a custom schema: js-yaml's default (YAML 1.2 core) reads `yes`/`on` as strings and `0644`
 * as 644, and its YAML11_SCHEMA also turns `y`/`n` into booleans and dates into Date objects.
 * PyYAML does neither, so `flag: no` must be false and `mode: 0644` the int 420, while `y: 1`
 * keeps the key "y". Timestamps stay strings (as ansible-inventory prints them); merge keys `<<`.
 */
import { defineScalarTag, FAILSAFE_SCHEMA, floatYaml11Tag, intYaml11Tag, mergeTag, NOT_RESOLVED, nullYaml11Tag, Schema } from 'js-yaml';
import { YAML_FALSE, YAML_TRUE } from '../boolean.js';
import { decryptVaultText } from '../vault/keyring.js';

const pyyamlBoolTag = defineScalarTag('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O'],
  resolve: (source) => (YAML_TRUE.includes(source) ? true : YAML_FALSE.includes(source) ? false : NOT_RESOLVED),
  identify: (v) => typeof v === 'boolean',
  represent: (v) => (v ? 'true' : 'false'),
});

/** `!vault |` values: decrypted while the file is read (a wrong or missing password stops the load). */
const vaultTag = defineScalarTag('!vault', {
  resolve: (source) => decryptVaultText(source),
  identify: () => false,
});

export const ANSIBLE_YAML_SCHEMA = new Schema([...FAILSAFE_SCHEMA.tags, nullYaml11Tag, pyyamlBoolTag, intYaml11Tag, floatYaml11Tag, mergeTag, vaultTag]);
