import test from 'ava';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { PlainReporter } from '../../../src/report/plain.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { runPlaybook } from '../../../src/runner/run.js';
import { debianFacts } from '../../helpers/facts.js';
import { makeProject } from '../../helpers/project.js';

test('plain output: Ansible-style lines, debug messages, diffs with --diff, and the recap', async (t) => {
  const p = await makeProject({
    'inv.yml': 'all:\n  hosts:\n    r1:\n',
    'site.yml':
      '- hosts: all\n  tasks:\n    - name: say\n      debug: { msg: "drained after 13 s" }\n    - name: write\n      copy: { dest: /etc/x, content: "new\\n" }\n',
  });
  t.teardown(p.remove);
  const lines: string[] = [];
  const machine = new FakeMachine({ files: { '/etc/x': 'old\n' } });
  await runPlaybook({
    inventory: await loadInventory(p.path('inv.yml')),
    playbook: await loadPlaybook(p.path('site.yml')),
    check: false,
    diff: true,
    tags: [],
    skipTags: [],
    roles: [],
    forks: 1,
    extraVars: {},
    open: async () => ({ driver: machine, facts: debianFacts() }),
    reporter: new PlainReporter({ write: (l) => lines.push(l), diff: true, check: false }),
  });
  const out = lines.join('\n');
  t.regex(out, /TASK \[say\] \*+\nok: \[r1\] drained after 13 s/);
  t.regex(out, /TASK \[write\] \*+\nchanged: \[r1\]/);
  t.regex(out, /--- before: \/etc\/x\n\+\+\+ after: \/etc\/x\n@@ -1(,1)? \+1(,1)? @@\n-old\n\+new/);
  t.regex(out, /PLAY RECAP \*+\nr1 : ok=2 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0/);
});
