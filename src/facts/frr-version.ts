import type { FactSource } from './fact.js';

/** "8.4.4-1.1~deb12u2" or "1:10.1-0~deb12u1" -> the upstream part ("8.4.4", "10.1"). */
export function upstreamVersion(debianVersion: string): string {
  return debianVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

/**
 * First line `dpkg: <status> <version>` (empty when frr is not a package), then, only when dpkg
 * does not know an installed frr (FRR built from source), `vtysh --help` output, whose banner
 * says "Integrated shell for FRR (version 8.4.4)." (vtysh has no --version; zebra's
 * "zebra version 8.4.4" form is accepted too).
 */
export function parseFrrVersion(output: string): string | null {
  const lines = output.split('\n');
  const dpkg = /^dpkg: (\S{2,3})\s+(\S+)/.exec(lines[0] ?? '');
  if (dpkg && dpkg[1]![1] === 'i') return upstreamVersion(dpkg[2]!);
  for (const line of lines) {
    const banner = /\bFRR\w* \(version ([^)\s]+)\)|^(?:vtysh|zebra) version (\S+)$/.exec(line.trim());
    if (banner) return banner[1] ?? banner[2] ?? null;
  }
  return null;
}

export const frrVersionFact: FactSource<string | null> = {
  name: 'frr-version',
  command:
    `s=$(dpkg-query -W -f='\${db:Status-Abbrev} \${Version}' frr 2>/dev/null); echo "dpkg: $s"; ` +
    `case "$s" in ?i*) ;; *) command -v vtysh >/dev/null 2>&1 && vtysh --help 2>&1 ;; esac`,
  parse: parseFrrVersion,
};
