import test from 'ava';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { runPlaybook } from '../../../src/runner/run.js';
import { validatePlaybook } from '../../../src/runner/validate.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { debianFacts } from '../../helpers/facts.js';
import { makeProject } from '../../helpers/project.js';
import { RecordingReporter } from '../../helpers/runner.js';

class CountingMachine extends FakeMachine {
  closes = 0;
  override async close(): Promise<void> {
    this.closes += 1;
  }
}

test('delegate_to localhost: the task runs on one local connection with the host variables, closed at the end', async (t) => {
  const p = await makeProject({
    'inventory.yml': 'all:\n  hosts:\n    r1: { colour: red }\n    r2: { colour: blue, target: db9 }\n',
    'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: on the controller
      copy: { dest: "/tmp/{{ inventory_hostname }}", content: "{{ colour }}" }
      delegate_to: localhost
    - name: elsewhere
      copy: { dest: /tmp/x, content: x }
      delegate_to: "{{ target | default('127.0.0.1') }}"
`,
  });
  t.teardown(p.remove);
  const machines: Record<string, CountingMachine> = {
    r1: new CountingMachine({ dirs: ['/tmp'] }),
    r2: new CountingMachine({ dirs: ['/tmp'] }),
    localhost: new CountingMachine({ dirs: ['/tmp'] }),
  };
  const opened: string[] = [];
  const reporter = new RecordingReporter();
  const playbook = await loadPlaybook(p.path('site.yml'));
  validatePlaybook(playbook);
  const result = await runPlaybook({
    inventory: await loadInventory(p.path('inventory.yml')),
    playbook,
    check: false,
    diff: false,
    tags: [],
    skipTags: [],
    roles: [],
    forks: 5,
    extraVars: {},
    reporter,
    open: async (host, vars) => {
      opened.push(`${host}:${String(vars.ansible_connection ?? 'ssh')}`);
      return { driver: machines[host]!, facts: debianFacts() };
    },
  });
  t.deepEqual(opened.sort(), ['localhost:local', 'r1:ssh', 'r2:ssh'], 'one controller connection for every delegated task');
  t.is(machines.localhost!.files.get('/tmp/r1')?.bytes.toString(), 'red');
  t.is(machines.localhost!.files.get('/tmp/r2')?.bytes.toString(), 'blue');
  t.false(machines.r1!.files.has('/tmp/r1'), 'not on the inventory host');
  t.is(machines.localhost!.closes, 1, 'the delegated connection is closed once');
  t.is(result.stats.r2!.failed, 1, 'delegate_to a templated other host fails the task');
  t.is(result.stats.r1!.failed, 0);
  const failure = result.plays[0]!.tasks[1]!.results.find((r) => r.host === 'r2');
  t.is(failure?.msg, "task 'elsewhere': delegate_to 'db9' is not supported by prov (only localhost and 127.0.0.1)");
});
