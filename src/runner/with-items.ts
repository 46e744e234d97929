import { ProvError } from '../core/errors.js';
import { isMapping } from '../core/mapping.js';
import type { WithLookup } from '../playbook/with-loop.js';

const flattenOnce = (items: unknown[]): unknown[] => items.flatMap((i) => (Array.isArray(i) ? i : [i]));

/**
 * The items of a `with_<lookup>` loop from its rendered terms, as Ansible 2.14's lookup plugins
 * make them: items flattens one level, list keeps the list, dict gives {key, value} per entry
 * (dict2items), indexed_items [index, item] pairs over the flattened list, together the lists
 * zipped (the shorter ones padded with null, each tuple flattened one level).
 */
export function withLookupItems(lookup: WithLookup, terms: unknown): unknown[] {
  if (lookup === 'dict') {
    const dicts = Array.isArray(terms) ? terms : [terms];
    return dicts.flatMap((d) => {
      if (!isMapping(d)) throw new ProvError('failed', `with_dict expects a dict, got ${d === null ? 'null' : Array.isArray(d) ? 'a list' : typeof d}`);
      return Object.entries(d).map(([key, value]) => ({ key, value }));
    });
  }
  // A lone string is a one-item list (listify_lookup_plugin_terms).
  const list = typeof terms === 'string' ? [terms] : terms;
  if (!Array.isArray(list)) throw new ProvError('failed', `with_${lookup} expects a list, got ${list === null ? 'null' : typeof list}`);
  switch (lookup) {
    case 'items':
      return flattenOnce(list);
    case 'list':
      return list;
    case 'indexed_items':
      return flattenOnce(list).map((item, index) => [index, item]);
    case 'together': {
      if (list.length === 0) throw new ProvError('failed', 'with_together requires at least one element in each list');
      const lists = list.map((t) => (Array.isArray(t) ? t : [t]));
      const length = Math.max(...lists.map((l) => l.length));
      return Array.from({ length }, (_, i) => flattenOnce(lists.map((l) => (i < l.length ? l[i] : null))));
    }
  }
}
