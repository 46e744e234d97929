/** The checks of one router: a session from every host, forwarding on, the NAT rule present. */
import { isEstablished, parseBgpSummary } from './bgp-summary.js';
import { findMasquerade, parseIptablesRules } from './iptables.js';
import { parseSysctlValue } from './sysctl.js';
import type { CheckResult, CommandOutputs, RouterExpectations } from './types.js';

export function verifyRouter(outputs: CommandOutputs, expect: RouterExpectations): CheckResult[] {
  const results: CheckResult[] = [];

  const summaryOut = outputs['bgpSummary'];
  if (!summaryOut) results.push({ check: 'bgp sessions', ok: false, detail: 'no output for bgpSummary' });
  else {
    const summary = parseBgpSummary(summaryOut.stdout);
    if (!summary.ok) results.push({ check: 'bgp sessions', ok: false, detail: `bgpd: ${summary.error}` });
    else {
      const established = new Set(summary.peers.filter(isEstablished).map((p) => p.address));
      const absent = expect.hosts.filter((h) => !established.has(h.address));
      results.push(
        absent.length === 0
          ? { check: 'bgp sessions', ok: true, detail: `${expect.hosts.length} host session(s) established` }
          : { check: 'bgp sessions', ok: false, detail: `no session from ${absent.map((h) => `${h.name} (${h.address})`).join(', ')}` },
      );
    }
  }

  const fwdOut = outputs['ipForward'];
  const fwd = fwdOut ? parseSysctlValue(fwdOut.stdout, fwdOut.code) : null;
  results.push({
    check: 'forwarding',
    ok: fwd === '1',
    detail: fwd === '1' ? 'net.ipv4.ip_forward=1' : `net.ipv4.ip_forward=${fwd ?? 'unreadable'}, expected 1`,
  });

  const natOut = outputs['natRules'];
  const nat = natOut && natOut.code === 0 ? findMasquerade(parseIptablesRules(natOut.stdout), expect.upstreamInterface) : undefined;
  results.push(
    nat
      ? { check: 'nat rule', ok: true, detail: `MASQUERADE out of ${expect.upstreamInterface}` }
      : { check: 'nat rule', ok: false, detail: `no MASQUERADE rule out of ${expect.upstreamInterface}` },
  );
  return results;
}
