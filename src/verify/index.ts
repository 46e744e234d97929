export { verifyCommands, type VerifyCommand } from './commands.js';
export { verifyHost } from './host-checks.js';
export { verifyRouter } from './router-checks.js';
export { natConnectionCount, verifySpread } from './traffic-checks.js';
export { parseBgpSummary, isEstablished, type BgpSummary, type BgpPeerState } from './bgp-summary.js';
export { parseIpRoutes, nextHops } from './routes.js';
export { parseIptablesRules, chainPackets, findMasquerade } from './iptables.js';
export { parseSysctlValue } from './sysctl.js';
export type { CheckResult, CommandOutput, CommandOutputs, HostExpectations, RouterExpectations, Peer } from './types.js';
