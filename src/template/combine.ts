/**
 * Ansible's `combine` filter: later mappings win; with `recursive=true` nested mappings merge
 * key by key; `list_merge` says what happens to two lists under the same key.
 */
import { TemplateError } from './errors.js';
import { isMapping, typeName } from './values.js';

export type ListMerge = 'replace' | 'keep' | 'append' | 'prepend' | 'append_rp' | 'prepend_rp';
const LIST_MERGES = new Set<string>(['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp']);

function mergeLists(a: unknown[], b: unknown[], how: ListMerge): unknown[] {
  switch (how) {
    case 'keep':
      return a;
    case 'append':
      return [...a, ...b];
    case 'prepend':
      return [...b, ...a];
    case 'append_rp':
      return [...a.filter((x) => !b.includes(x)), ...b];
    case 'prepend_rp':
      return [...b, ...a.filter((x) => !b.includes(x))];
    default:
      return b;
  }
}

function mergeTwo(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, how: ListMerge): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    if (recursive && isMapping(old) && isMapping(v)) out[k] = mergeTwo(old, v, recursive, how);
    else if (Array.isArray(old) && Array.isArray(v)) out[k] = mergeLists(old, v, how);
    else out[k] = v;
  }
  return out;
}

export function combine(v: unknown, args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  const unknown = Object.keys(kwargs).find((k) => k !== 'recursive' && k !== 'list_merge');
  if (unknown) throw new TemplateError(`filter 'combine' has no argument '${unknown}'`);
  const how = String(kwargs.list_merge ?? 'replace');
  if (!LIST_MERGES.has(how)) throw new TemplateError(`filter 'combine': list_merge must be one of ${[...LIST_MERGES].join(', ')}, not '${how}'`);
  const dicts = [v, ...args].flatMap((d) => (Array.isArray(d) ? d : [d]));
  for (const d of dicts) if (!isMapping(d)) throw new TemplateError(`filter 'combine' needs mappings, got ${typeName(d)}`);
  return (dicts as Record<string, unknown>[]).reduce((acc, d) => mergeTwo(acc, d, kwargs.recursive === true, how as ListMerge), {});
}
