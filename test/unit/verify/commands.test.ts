import test from 'ava';
import { verifyCommands } from '../../../src/verify/commands.js';

test('host and router command keys match what the checks read', (t) => {
  t.deepEqual(
    verifyCommands('host', { vpcSupernet: '192.168.100.0/23' }).map((c) => c.key),
    ['bgpSummary', 'defaultRoutes', 'supernetRoute', 'hashPolicy'],
  );
  t.deepEqual(
    verifyCommands('router').map((c) => c.key),
    ['bgpSummary', 'ipForward', 'natRules', 'egressDenied'],
  );
  t.regex(verifyCommands('host', { vpcSupernet: '192.168.100.0/23' })[2]!.command, /show exact '?192\.168\.100\.0\/23'?$/);
});
