import { parseJsonOr, type FactSource } from './fact.js';
import type { RouteEntry } from '../core/facts.js';

/** `ip -j route show table main`, kept as the kernel reports it. */
export function parseRoutes(output: string): RouteEntry[] {
  const parsed = parseJsonOr<unknown>(output.trim(), []);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((r): r is RouteEntry => typeof r === 'object' && r !== null && typeof (r as RouteEntry).dst === 'string');
}

/** Interface of the default route with the lowest metric (first next hop of an ECMP route). */
export function defaultInterface(routes: RouteEntry[]): string | null {
  const defaults = routes.filter((r) => r.dst === 'default' || r.dst === '0.0.0.0/0').sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
  for (const route of defaults) {
    const dev = route.dev ?? route.nexthops?.find((hop) => hop.dev)?.dev;
    if (dev) return dev;
  }
  return null;
}

export const routesFact: FactSource<RouteEntry[]> = {
  name: 'routes',
  command: 'ip -j route show table main',
  parse: parseRoutes,
};
