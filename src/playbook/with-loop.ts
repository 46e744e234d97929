import { parseError } from '../core/errors.js';

/** The `with_<lookup>` loops prov runs, each as Ansible's lookup plugin of that name builds its items. */
export const WITH_LOOKUPS = ['items', 'list', 'dict', 'indexed_items', 'together'] as const;
export type WithLookup = (typeof WITH_LOOKUPS)[number];

/** Whether a task key is a `with_*` loop keyword (all are loops in Ansible, known to prov or not). */
export function isWithKeyword(key: string): boolean {
  return key.startsWith('with_');
}

/**
 * A task's loop: `loop:` as given, or one `with_<lookup>:` prov knows; any other `with_*`, two of
 * them, or one beside `loop:` is a load-time error naming the keyword.
 */
export function loopOf(raw: Record<string, unknown>, file: string, label: string): { loop?: unknown; loopWith?: WithLookup } {
  const withKeys = Object.keys(raw).filter(isWithKeyword);
  if (withKeys.length === 0) return raw.loop === undefined ? {} : { loop: raw.loop };
  const unknown = withKeys.find((k) => !(WITH_LOOKUPS as readonly string[]).includes(k.slice('with_'.length)));
  if (unknown) throw parseError(file, `${label}: '${unknown}' is not supported by prov (it has ${WITH_LOOKUPS.map((l) => `with_${l}`).join(', ')} and loop)`);
  const loops = raw.loop === undefined ? withKeys : ['loop', ...withKeys];
  if (loops.length > 1) throw parseError(file, `${label}: duplicate loop in task: ${loops.join(', ')}`);
  const key = withKeys[0]!;
  return { loop: raw[key], loopWith: key.slice('with_'.length) as WithLookup };
}
