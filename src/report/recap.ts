import type { HostStats } from '../runner/types.js';

/** Ansible's recap line: `r1 : ok=12 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0`. */
export function recapLine(host: string, s: HostStats, width = host.length): string {
  return `${host.padEnd(width)} : ok=${s.ok} changed=${s.changed} unreachable=${s.unreachable} failed=${s.failed} skipped=${s.skipped} rescued=${s.rescued} ignored=${s.ignored}`;
}

export function recapLines(stats: Record<string, HostStats>): string[] {
  const width = Math.max(0, ...Object.keys(stats).map((h) => h.length));
  return Object.entries(stats).map(([h, s]) => recapLine(h, s, width));
}
