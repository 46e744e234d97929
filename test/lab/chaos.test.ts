/**
 * Chaos on the real lab with two hosts: roles applied (pinning on by default), `prov verify`
 * passes (its traffic-spread check over both hosts), then small flow counts from both hosts, each
 * fault on r1 then recovery. Asserts the qualitative results only; the timings go to the chaos report
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
let verify: Awaited<ReturnType<typeof run>> | undefined;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--hosts', '2']);
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}): ${up.stderr}`);
  const apply = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), 'apply', inventory]);
  if (apply.code !== 0) throw new Error(`apply failed (${apply.code}): ${apply.stdout.slice(-2000)}${apply.stderr}`);
  verify = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), 'verify', inventory]);
  const result = await runChaos(
    inventory,
    { ...DEFAULT_OPTIONS, tcp: 8, udp: 8, faults: ['link', 'power'], warmupS: 2, holdS: 3, settleS: 2 },
    () => undefined,
  );
  reports = result.faults;
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

test.serial('verify passes on both hosts and new connections spread over both routers', (t) => {
  if (!verify) return t.fail('verify did not run');
  t.is(verify.code, 0, verify.stdout + verify.stderr);
  for (const host of ['host', 'host2'])
    t.regex(verify.stdout, new RegExp(`^${host}\\s+default route\\s+ok\\s+ECMP via 192\\.168\\.100\\.20, 192\\.168\\.100\\.21`, 'm'), verify.stdout);
  const spread = /traffic spread\s+ok\s+new connections per router: r1=(\d+) r2=(\d+)/.exec(verify.stdout);
  t.truthy(spread, verify.stdout);
  t.true(Number(spread![1]) > 0 && Number(spread![2]) > 0, spread![0]);
});

for (const fault of ['link', 'power'] as const) {
  test.serial(`${fault}: flows on r1 recover, flows on r2 lose nothing, failback breaks and moves nothing`, (t) => {
    const r = reports.find((x) => x.fault === fault);
    if (!r) return t.fail(`no report for ${fault}`);
    t.log(
      `${fault}: affected ${r.affected.tcp + r.affected.udp}/${r.flows.tcp + r.flows.udp}, UDP outage ${JSON.stringify(r.outageUdp)}, moved ${r.movedOnRecovery.flows}/${r.movedOnRecovery.of}`,
    );
    t.true(r.affected.tcp + r.affected.udp > 0, 'some flows were on r1');
    t.true(r.survivors.flows > 0, 'some flows were on r2');
    t.deepEqual([...new Set(r.perFlow.map((v) => v.id.split(':')[0]))].sort(), ['host', 'host2'], 'flows ran from both hosts');
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
