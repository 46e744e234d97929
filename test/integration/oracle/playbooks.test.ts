import test from 'ava';
import { CASES } from './cases.js';
import { comparable, runBoth, type Counter } from './oracle.js';

/**
 * Each case runs with ansible-playbook and with prov (local connection, separate temp dirs,
 * twice) and must give the same exit code, recap counters and files.
 */
const ALL: Counter[] = ['ok', 'changed', 'failed', 'skipped', 'rescued', 'ignored'];

for (const c of CASES) {
  test.serial(`as ansible-playbook does: ${c.name}`, async (t) => {
    const [ansible, ours] = await Promise.all([runBoth('ansible', c.files, c.extra), runBoth('prov', c.files, c.extra)]);
    for (const run of [0, 1]) {
      const want = comparable(ansible[run]!, c.counters ?? ALL);
      const got = comparable(ours[run]!, c.counters ?? ALL);
      t.deepEqual(got, want, `run ${run + 1}\n--- ansible-playbook:\n${ansible[run]!.output.slice(-1500)}\n--- prov:\n${ours[run]!.output.slice(-1500)}`);
    }
  });
}
