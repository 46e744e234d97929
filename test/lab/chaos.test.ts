/**
 * Chaos on the real lab: roles applied (pinning on by default), small flow counts, each fault on
 * r1 then recovery. Asserts the qualitative results only; the timings go to the chaos report
 * and `npm run bench`. The lab is torn down even when a test fails.
 */
import test from 'ava';
import { join } from 'node:path';
import { lab, repoRoot, run } from '../helpers/lab.js';
import { runChaos, DEFAULT_OPTIONS } from '../../src/chaos/run.js';
import type { FaultReport } from '../../src/chaos/types.js';

const NAME = 'lab-tc';
const inventory = join(repoRoot, 'inventory', `${NAME}.yml`);
let reports: FaultReport[] = [];

test.before(async () => {
  const up = await lab(['up', '--name', NAME]);
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}): ${up.stderr}`);
  const apply = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), 'apply', inventory]);
  if (apply.code !== 0) throw new Error(`apply failed (${apply.code}): ${apply.stdout.slice(-2000)}${apply.stderr}`);
  const result = await runChaos(inventory, { ...DEFAULT_OPTIONS, tcp: 8, udp: 8, faults: ['link', 'power'], warmupS: 2, holdS: 3, settleS: 2 }, () => undefined);
  reports = result.faults;
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

for (const fault of ['link', 'power'] as const) {
  test.serial(`${fault}: flows on r1 recover, flows on r2 lose nothing, failback breaks and moves nothing`, (t) => {
    const r = reports.find((x) => x.fault === fault);
    if (!r) return t.fail(`no report for ${fault}`);
    t.log(`${fault}: affected ${r.affected.tcp + r.affected.udp}/${r.flows.tcp + r.flows.udp}, UDP outage ${JSON.stringify(r.outageUdp)}, moved ${r.movedOnRecovery.flows}/${r.movedOnRecovery.of}`);
    t.true(r.affected.tcp + r.affected.udp > 0, 'some flows were on r1');
    t.true(r.survivors.flows > 0, 'some flows were on r2');
    t.is(r.notRecovered, 0, 'every affected flow got echoes again');
    t.not(r.probeDrops.receiver, null, "the receiver's UDP drop counter was read");
    t.not(r.probeDrops.generators, null, "the hosts' UDP drop counters were read");
    t.is(r.survivors.lostPackets, 0, 'flows on r2 lost no packet');
    t.is(r.survivors.brokenTcp, 0, 'no TCP connection on r2 broke');
    t.is(r.broken.onRecovery, 0, 'failback broke no TCP connection');
    t.is(r.movedOnRecovery.flows, 0, 'failback moved no established flow');
    t.true(r.movedOnRecovery.of > 0);
    for (const v of r.perFlow.filter((x) => x.affected)) t.is(v.routerDuringFault, 'r2', `${v.id} moved to r2 during the fault`);
  });
}
