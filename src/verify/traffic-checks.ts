/**
 * Traffic check: after the hosts opened many TCP connections to the test server, every router
 * must have NATed some of them. Counts are the MASQUERADE rule's packet counters before and
 * after (the nat table sees the first packet of each connection only, so packets = connections).
 */
import { findMasquerade, parseIptablesRules } from './iptables.js';
import type { CheckResult } from './types.js';

export function natConnectionCount(natRulesStdout: string, upstreamInterface: string): number | null {
  return findMasquerade(parseIptablesRules(natRulesStdout), upstreamInterface)?.packets ?? null;
}

export function verifySpread(before: Record<string, number | null>, after: Record<string, number | null>): CheckResult {
  const counts = Object.keys(after).map((router) => {
    const b = before[router];
    const a = after[router];
    return { router, delta: a === null || a === undefined || b === null || b === undefined ? null : a - b };
  });
  const idle = counts.filter((c) => c.delta === null || c.delta <= 0);
  const detail = counts.map((c) => `${c.router}=${c.delta ?? '?'}`).join(' ');
  return idle.length === 0
    ? { check: 'traffic spread', ok: true, detail: `new connections per router: ${detail}` }
    : { check: 'traffic spread', ok: false, detail: `no connections through ${idle.map((c) => c.router).join(', ')} (${detail})` };
}
