/**
 * Ansible's booleans, in one place. Three different rules exist in Ansible, and prov follows each
 * where Ansible applies it:
 *
 * - YAML: PyYAML's SafeLoader (YAML 1.1) reads the plain scalars in YAML_TRUE / YAML_FALSE as
 *   booleans, in these three spellings only, and NOT `y`/`n` (those stay strings).
 * - boolean() (module_utils/parsing/convert_bool.py): module arguments of type bool, task and play
 *   keywords, connection variables. Strings are lower-cased and trimmed; also 1/0.
 * - the `bool` Jinja filter (to_bool in plugins/filter/core.py): true only for yes/on/1/true.
 */

export const YAML_TRUE: readonly string[] = ['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
export const YAML_FALSE: readonly string[] = ['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];

const BOOLEANS_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOLEANS_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** Ansible's boolean(value, strict=True): the boolean, or undefined when `value` is not one. */
export function ansibleBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (BOOLEANS_TRUE.has(word)) return true;
  if (BOOLEANS_FALSE.has(word)) return false;
  return undefined;
}

const BOOL_FILTER_TRUE = new Set(['yes', 'on', '1', 'true']);

/** The `bool` filter: true for true, 1 and the strings yes/on/1/true (any case); false otherwise. */
export function boolFilter(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return BOOL_FILTER_TRUE.has(value.trim().toLowerCase());
  return value === 1;
}
