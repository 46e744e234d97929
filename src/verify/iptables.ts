/**
 * Parser for `iptables -v -S CHAIN` output: one rule per line, with `-c PACKETS BYTES` when -v
 * is given. Hand-written: the format is a line of iptables arguments, and no library parses it.
 */
export interface IptablesRule {
  chain: string;
  /** The rule's arguments without -A CHAIN and without the counters. */
  spec: string;
  packets: number | null;
  bytes: number | null;
}

export function parseIptablesRules(stdout: string): IptablesRule[] {
  const rules: IptablesRule[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^-A (\S+)\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    let spec = m[2] ?? '';
    let packets: number | null = null;
    let bytes: number | null = null;
    const counters = /(?:^|\s)-c (\d+) (\d+)(?=\s|$)/.exec(spec);
    if (counters) {
      packets = Number(counters[1]);
      bytes = Number(counters[2]);
      spec = (spec.slice(0, counters.index) + spec.slice(counters.index + counters[0].length)).replace(/\s+/g, ' ').trim();
    }
    rules.push({ chain: m[1]!, spec, packets, bytes });
  }
  return rules;
}

/** The MASQUERADE rule out of an interface, if present. */
export function findMasquerade(rules: IptablesRule[], outInterface: string): IptablesRule | undefined {
  return rules.find(
    (r) =>
      r.chain === 'POSTROUTING' &&
      / -j MASQUERADE\b/.test(` ${r.spec}`) &&
      new RegExp(`(^|\\s)-o ${outInterface.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(r.spec),
  );
}

/** Packets counted by a chain's rules (for PROV-EGRESS-DENIED: what the egress policy dropped). */
export function chainPackets(rules: IptablesRule[], chain: string): number {
  return rules.filter((r) => r.chain === chain).reduce((sum, r) => sum + (r.packets ?? 0), 0);
}
