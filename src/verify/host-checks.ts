/** The checks of one host: sessions, ECMP default route, hash policy, supernet route, no DHCP default. */
import { isEstablished, parseBgpSummary } from './bgp-summary.js';
import { isBgp, isDefault, nextHops, parseIpRoutes } from './routes.js';
import { parseSysctlValue } from './sysctl.js';
import type { CheckResult, CommandOutputs, HostExpectations } from './types.js';

const missing = (check: string, key: string): CheckResult => ({ check, ok: false, detail: `no output for ${key}` });

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

export function verifyHost(outputs: CommandOutputs, expect: HostExpectations): CheckResult[] {
  const results: CheckResult[] = [];

  // 1. a session with every router
  let healthy: string[] = [];
  const summaryOut = outputs['bgpSummary'];
  if (!summaryOut) results.push(missing('bgp sessions', 'bgpSummary'));
  else {
    const summary = parseBgpSummary(summaryOut.stdout);
    if (!summary.ok) results.push({ check: 'bgp sessions', ok: false, detail: `bgpd: ${summary.error}` });
    else {
      const byAddress = new Map(summary.peers.map((p) => [p.address, p]));
      const down = expect.routers.filter((r) => {
        const peer = byAddress.get(r.address);
        return !peer || !isEstablished(peer);
      });
      healthy = expect.routers.filter((r) => !down.includes(r)).map((r) => r.address);
      const describe = (r: { name: string; address: string }) => {
        const peer = byAddress.get(r.address);
        return `${r.name} (${r.address}) ${peer ? peer.state + (peer.peerState && peer.peerState !== 'OK' ? `/${peer.peerState}` : '') : 'not configured'}`;
      };
      results.push(
        down.length === 0
          ? { check: 'bgp sessions', ok: true, detail: `established with ${expect.routers.map((r) => r.name).join(', ')}` }
          : { check: 'bgp sessions', ok: false, detail: `not established: ${down.map(describe).join(', ')}` },
      );
    }
  }

  // 2. the default route: one next hop per healthy router, and 5. nothing but BGP's default
  const routesOut = outputs['defaultRoutes'];
  if (!routesOut) {
    results.push(missing('default route', 'defaultRoutes'), missing('no dhcp default', 'defaultRoutes'));
  } else {
    const parsed = parseIpRoutes(routesOut.stdout);
    if (!parsed.ok) {
      results.push({ check: 'default route', ok: false, detail: parsed.error }, { check: 'no dhcp default', ok: false, detail: parsed.error });
    } else {
      const defaults = parsed.routes.filter(isDefault);
      const bgp = defaults.find(isBgp);
      const hops = bgp ? nextHops(bgp) : [];
      if (!bgp) results.push({ check: 'default route', ok: false, detail: 'no BGP default route' });
      else if (healthy.length === 0 && summaryOut === undefined) {
        results.push({ check: 'default route', ok: false, detail: `next hops ${hops.join(', ')}; sessions unknown` });
      } else {
        results.push(
          sameSet(hops, healthy)
            ? { check: 'default route', ok: true, detail: `ECMP via ${hops.join(', ')}` }
            : { check: 'default route', ok: false, detail: `next hops ${hops.join(', ') || 'none'}, expected ${healthy.join(', ') || 'none'}` },
        );
      }
      const others = defaults.filter((r) => !isBgp(r));
      results.push(
        others.length === 0
          ? { check: 'no dhcp default', ok: true, detail: 'only the BGP default route' }
          : {
              check: 'no dhcp default',
              ok: false,
              detail: `other default route(s): ${others.map((r) => `via ${nextHops(r).join(',') || r.dev} proto ${r.protocol ?? 'boot'}`).join('; ')}`,
            },
      );
    }
  }

  // 3. per-flow hashing
  const hashOut = outputs['hashPolicy'];
  if (!hashOut) results.push(missing('hash policy', 'hashPolicy'));
  else {
    const value = parseSysctlValue(hashOut.stdout, hashOut.code);
    results.push({
      check: 'hash policy',
      ok: value === '1',
      detail: value === '1' ? 'fib_multipath_hash_policy=1 (L4)' : `fib_multipath_hash_policy=${value ?? 'unreadable'}, expected 1`,
    });
  }

  // 4. the supernet route via the subnet gateway
  const supernetOut = outputs['supernetRoute'];
  if (!supernetOut) results.push(missing('supernet route', 'supernetRoute'));
  else {
    const parsed = parseIpRoutes(supernetOut.stdout);
    const route = parsed.ok ? parsed.routes.find((r) => nextHops(r).includes(expect.subnetGateway)) : undefined;
    results.push(
      route
        ? { check: 'supernet route', ok: true, detail: `${expect.vpcSupernet} via ${expect.subnetGateway}` }
        : { check: 'supernet route', ok: false, detail: `no route ${expect.vpcSupernet} via ${expect.subnetGateway}` },
    );
  }
  return results;
}
