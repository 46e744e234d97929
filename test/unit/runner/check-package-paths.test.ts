import test from 'ava';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { makeProject } from '../../helpers/project.js';
import { runOnFakes } from '../../helpers/runner.js';

/**
 * --check on a machine without the packages yet: the writes into the directories that the
 * planned install creates are changes, not failures (the real apply installs, then writes).
 */
const PROJECT = {
  'inventory.yml': 'all:\n  hosts:\n    r1:\n',
  'site.yml': `
- hosts: all
  tasks:
    - name: install FRR and iptables persistence
      package: { name: [frr, iptables-persistent] }
    - name: enable bgpd
      lineinfile: { path: /etc/frr/daemons, regexp: "^bgpd=", line: "bgpd=yes" }
    - name: write the iptables rules
      template: { src: rules.v4.ejs, dest: /etc/iptables/rules.v4, mode: "0640", validate: "iptables-restore --test %s" }
      notify: load iptables rules
    - name: a file of our own in the new directory
      copy: { dest: /etc/iptables/README, content: "managed by prov\\n" }
  handlers:
    - name: load iptables rules
      command: iptables-restore /etc/iptables/rules.v4
`,
  'templates/rules.v4.ejs': '*filter\nCOMMIT\n',
};

function bareMachine(): FakeMachine {
  return new FakeMachine({
    dirs: ['/etc'],
    queries: {
      'package:frr': { code: 1 },
      'package-candidate:frr': 'Candidate: 8.4.4-1.1~deb12u2\n',
      'package:iptables-persistent': { code: 1 },
      'package-candidate:iptables-persistent': 'Candidate: 1.0.20\n',
    },
  });
}

test('check mode predicts the directories and files a planned package install creates', async (t) => {
  const p = await makeProject(PROJECT);
  t.teardown(p.remove);
  const machine = bareMachine();
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { r1: machine }, { check: true, diff: true });
  const { reporter } = run;
  t.is(run.result.exitCode, 0, reporter.events.join('\n'));
  t.is(reporter.statusOf('install FRR and iptables persistence', 'r1'), 'changed');
  t.is(reporter.statusOf('enable bgpd', 'r1'), 'changed');
  t.is(reporter.statusOf('write the iptables rules', 'r1'), 'changed');
  t.is(reporter.statusOf('a file of our own in the new directory', 'r1'), 'changed');
  t.is(reporter.statusOf('load iptables rules', 'r1'), 'changed', 'the handler is notified as in the real apply');
  const rules = reporter.results.find((r) => r.task === 'write the iptables rules')!.result;
  t.is(rules.msg, 'would change /etc/iptables/rules.v4 after installing iptables-persistent (its content is not known before)');
  t.deepEqual(run.result.stats.r1, { ok: 5, changed: 5, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  t.deepEqual(machine.executed, [], 'check mode ran nothing');
  t.false(machine.dirs.has('/etc/iptables'));
});
