/** A binary file from a role's files/ goes to the machine as its bytes, once (issue 10, item 6). */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { PlainReporter } from '../../../src/report/plain.js';
import { runPlaybook } from '../../../src/runner/run.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { debianFacts } from '../../helpers/facts.js';
import { makeProject } from '../../helpers/project.js';
import { runOnFakes } from '../../helpers/runner.js';

test('copy src: file.bin writes the controller file byte for byte; a rerun changes nothing; --check --diff says binary', async (t) => {
  const p = await makeProject({
    'inv.yml': 'all:\n  hosts:\n    r1:\n',
    'site.yml': '- hosts: all\n  tasks:\n    - name: binary\n      copy: { src: file.bin, dest: /srv/file.bin }\n',
  });
  t.teardown(p.remove);
  const bytes = randomBytes(4096);
  await mkdir(p.path('files'));
  await writeFile(p.path('files/file.bin'), bytes);
  const machine = new FakeMachine({ dirs: ['/srv'] });

  const first = await runOnFakes(p.path('inv.yml'), p.path('site.yml'), { r1: machine });
  t.is(first.result.stats.r1!.changed, 1);
  t.true(machine.files.get('/srv/file.bin')!.bytes.equals(bytes), 'written bytes identical');
  const second = await runOnFakes(p.path('inv.yml'), p.path('site.yml'), { r1: machine });
  t.is(second.result.stats.r1!.changed, 0, 'a rerun changes nothing');

  const changed = Buffer.from(bytes);
  changed[0] = changed[0]! ^ 0xff;
  machine.files.get('/srv/file.bin')!.bytes = changed;
  const lines: string[] = [];
  await runPlaybook({
    inventory: await loadInventory(p.path('inv.yml')),
    playbook: await loadPlaybook(p.path('site.yml')),
    check: true,
    diff: true,
    tags: [],
    skipTags: [],
    roles: [],
    forks: 1,
    extraVars: {},
    open: async () => ({ driver: machine, facts: debianFacts() }),
    reporter: new PlainReporter({ write: (l) => lines.push(l), diff: true, check: true }),
  });
  const out = lines.join('\n');
  t.regex(out, /Binary files before: \/srv\/file\.bin and after: \/srv\/file\.bin differ/);
  t.notRegex(out, /\ufffd|^@@/m);
  t.true(machine.files.get('/srv/file.bin')!.bytes.equals(changed), 'check mode wrote nothing');
});
