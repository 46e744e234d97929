/**
 * Parser for `vtysh -c 'show bgp summary json'` (FRR 7.5 and 8.x/10.x: address families at the
 * top level, `ipv4Unicast.peers` keyed by neighbour address; dynamic neighbours carry
 * `dynamicPeer: true`). Returns only what verify needs.
 */
export interface BgpPeerState {
  address: string;
  state: string;
  /** FRR 8+: "OK", or "Policy" when RFC 8212 blocks a peer without policy. */
  peerState?: string;
  dynamic: boolean;
  prefixesReceived: number | null;
  hostname?: string;
}

export type BgpSummary = { ok: true; routerId: string | null; asn: number | null; peers: BgpPeerState[] } | { ok: false; error: string };

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function parseBgpSummary(stdout: string): BgpSummary {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    const firstLine = stdout.trim().split('\n')[0] ?? '';
    return { ok: false, error: firstLine === '' ? 'no output from vtysh' : `not JSON: ${firstLine}` };
  }
  const root = asRecord(data);
  if (root === null) return { ok: false, error: 'not a JSON object' };
  // No BGP instance or no neighbours in the family: FRR prints {} .
  const family = asRecord(root['ipv4Unicast']);
  if (family === null) return { ok: true, routerId: null, asn: null, peers: [] };
  const peers: BgpPeerState[] = [];
  for (const [address, raw] of Object.entries(asRecord(family['peers']) ?? {})) {
    const peer = asRecord(raw) ?? {};
    peers.push({
      address,
      state: typeof peer['state'] === 'string' ? peer['state'] : 'unknown',
      peerState: typeof peer['peerState'] === 'string' ? peer['peerState'] : undefined,
      dynamic: peer['dynamicPeer'] === true,
      prefixesReceived: typeof peer['pfxRcd'] === 'number' ? peer['pfxRcd'] : null,
      hostname: typeof peer['hostname'] === 'string' ? peer['hostname'] : undefined,
    });
  }
  return {
    ok: true,
    routerId: typeof family['routerId'] === 'string' ? family['routerId'] : null,
    asn: typeof family['as'] === 'number' ? family['as'] : null,
    peers,
  };
}

/** A session that carries routes: Established, and not held back by FRR's policy check. */
export function isEstablished(peer: BgpPeerState): boolean {
  return peer.state === 'Established' && (peer.peerState === undefined || peer.peerState === 'OK');
}
