/** Parser for `ip -j route show ...` (iproute2 JSON; the kernel's own field names). */
import type { RouteEntry } from '../core/facts.js';

export type RouteList = { ok: true; routes: RouteEntry[] } | { ok: false; error: string };

export function parseIpRoutes(stdout: string): RouteList {
  const text = stdout.trim();
  if (text === '') return { ok: true, routes: [] };
  try {
    const data: unknown = JSON.parse(text);
    if (!Array.isArray(data)) return { ok: false, error: 'ip -j route did not print a JSON array' };
    return { ok: true, routes: data as RouteEntry[] };
  } catch {
    return { ok: false, error: `not JSON: ${text.split('\n')[0]}` };
  }
}

/** The gateways of a route: its nexthops' gateways, or its single gateway. */
export function nextHops(route: RouteEntry): string[] {
  if (route.nexthops && route.nexthops.length > 0) {
    return route.nexthops.map((nh) => nh.gateway).filter((gw): gw is string => typeof gw === 'string');
  }
  return route.gateway ? [route.gateway] : [];
}

export function isDefault(route: RouteEntry): boolean {
  return route.dst === 'default' || route.dst === '0.0.0.0/0';
}

export function isBgp(route: RouteEntry): boolean {
  return route.protocol === 'bgp' || route.protocol === '186';
}
