/**
 * Ansible's name rules for what the aws_ec2 plugin builds: group names sanitised as
 * constructed's _sanitize_group_name (to_safe_group_name with force: a leading digit or any
 * non-word character becomes `_`), and botocore's field names turned into snake_case as
 * camel_dict_to_snake_dict does (Tags kept as they are).
 */

/** `^[\d\W]|[^\w]` (Python 3, Unicode \w) → `_`. */
export function sanitizeGroupName(name: string): string {
  return name.replace(/^[\p{Nd}]|[^\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}]/gu, '_');
}

/** ansible.module_utils.common.dict_transformations._camel_to_snake (not reversible). */
export function camelToSnake(name: string): string {
  let s1 = name.replace(/[A-Z]{3,}s$/, (m) => `_${m.toLowerCase()}`);
  if (s1.startsWith('_') && !name.startsWith('_')) s1 = s1.slice(1);
  const s2 = s1.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return s2.replace(/([a-z0-9])([A-Z]+)/g, '$1_$2').toLowerCase();
}

/** camel_dict_to_snake_dict(value, ignore_list=[...]): keys of mappings (in lists too), values of ignored keys untouched. */
export function camelDictToSnake(value: unknown, ignore: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => camelDictToSnake(v, ignore));
  if (value instanceof Date) return pythonIsoformat(value);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[camelToSnake(k)] = ignore.includes(k) ? v : camelDictToSnake(v, ignore);
  return out;
}

/** A timestamp as ansible-inventory prints boto3's datetime: Python's isoformat(), UTC. */
export function pythonIsoformat(date: Date): string {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  const ms = date.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`}+00:00`;
}
