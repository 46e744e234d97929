/** Gateways of the default route, from `ip -4 -j route show default` (single path or multipath). */
export function defaultGateways(json: string): string[] {
  let routes: { gateway?: string; nexthops?: { gateway?: string }[] }[];
  try {
    routes = JSON.parse(json || '[]');
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const r of routes) {
    if (r.gateway) out.add(r.gateway);
    for (const n of r.nexthops ?? []) if (n.gateway) out.add(n.gateway);
  }
  return [...out].sort();
}

/** Sum of BFD "session-down-event" counters from `show bfd peers counters json`. */
export function bfdDownEvents(json: string): number {
  try {
    const peers = JSON.parse(json || '[]') as Record<string, unknown>[];
    return peers.reduce((n, p) => n + (Number(p['session-down-event']) || 0), 0);
  } catch {
    return 0;
  }
}
