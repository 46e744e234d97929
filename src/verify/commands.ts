/**
 * The read-only commands `prov verify` runs on each machine, keyed by the names the checks read.
 * The CLI runs them over the transport and hands the outputs to verifyHost/verifyRouter.
 */
import { shellQuote } from '../core/transport.js';

export interface VerifyCommand {
  key: string;
  command: string;
}

export function verifyCommands(role: 'host' | 'router', opts: { vpcSupernet?: string } = {}): VerifyCommand[] {
  const common: VerifyCommand[] = [{ key: 'bgpSummary', command: "vtysh -c 'show bgp summary json'" }];
  if (role === 'host') {
    const supernet = opts.vpcSupernet ?? '';
    return [
      ...common,
      { key: 'defaultRoutes', command: 'ip -4 -j route show default' },
      { key: 'supernetRoute', command: `ip -4 -j route show exact ${shellQuote(supernet)}` },
      { key: 'hashPolicy', command: 'sysctl -n net.ipv4.fib_multipath_hash_policy' },
    ];
  }
  return [
    ...common,
    { key: 'ipForward', command: 'sysctl -n net.ipv4.ip_forward' },
    { key: 'natRules', command: 'iptables -w -t nat -v -S POSTROUTING' },
    { key: 'egressDenied', command: 'iptables -w -v -S PROV-EGRESS-DENIED' },
  ];
}
