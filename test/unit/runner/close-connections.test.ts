import test from 'ava';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { runPlaybook } from '../../../src/runner/run.js';
import { validatePlaybook } from '../../../src/runner/validate.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { debianFacts } from '../../helpers/facts.js';
import { makeProject } from '../../helpers/project.js';
import { RecordingReporter } from '../../helpers/runner.js';

/** A fake machine whose close() is logged among the reporter's events, to see when it happens. */
class LoggedMachine extends FakeMachine {
  closes = 0;
  constructor(
    private readonly host: string,
    private readonly events: string[],
  ) {
    super({ dirs: ['/etc'] });
  }
  override async close(): Promise<void> {
    this.closes += 1;
    this.events.push(`close ${this.host}`);
  }
}

const PROJECT = {
  'inventory.yml': `
all:
  children:
    routers: { hosts: { r1: , r2: } }
    hosts: { hosts: { h1: } }
`,
  'site.yml': `
- name: first
  hosts: all
  tasks:
    - name: motd
      copy: { dest: /etc/motd, content: "hi\\n" }
      notify: note
    - name: r2 fails here
      fail: { msg: broken }
      when: inventory_hostname == 'r2'
  handlers:
    - name: note
      copy: { dest: /etc/noted, content: "yes\\n" }
- name: second
  hosts: routers
  tasks:
    - name: routers only
      copy: { dest: /etc/router, content: "r\\n" }
`,
};

test("a host's connection is closed when its last task and handlers are done, not at the end of the run", async (t) => {
  const p = await makeProject(PROJECT);
  t.teardown(p.remove);
  const reporter = new RecordingReporter();
  const machines = Object.fromEntries(['r1', 'r2', 'h1'].map((h) => [h, new LoggedMachine(h, reporter.events)]));
  const inventory = await loadInventory(p.path('inventory.yml'));
  const playbook = await loadPlaybook(p.path('site.yml'));
  validatePlaybook(playbook);
  const result = await runPlaybook({
    inventory,
    playbook,
    check: false,
    diff: false,
    tags: [],
    skipTags: [],
    roles: [],
    forks: 5,
    extraVars: {},
    reporter,
    open: async (host) => ({ driver: machines[host]!, facts: debianFacts() }),
  });
  t.is(result.exitCode, 2);
  const at = (event: string) => {
    const i = reporter.events.indexOf(event);
    t.not(i, -1, `${event} in ${reporter.events.join(' | ')}`);
    return i;
  };
  // h1 is in the first play only: closed after that play's handler ran on it, before play two.
  t.true(at('h1 note changed') < at('close h1'));
  t.true(at('close h1') < at('play second r1'));
  // r2 failed in play one: it takes no part in play two, so it is closed too.
  t.true(at('close r2') < at('play second r1'));
  // r1 still has play two to do.
  t.true(at('r1 routers only changed') < at('close r1'));
  t.true(machines.r1!.files.has('/etc/router'));
  // Each connection is closed exactly once.
  t.deepEqual(
    Object.values(machines).map((m) => m.closes),
    [1, 1, 1],
  );
});
