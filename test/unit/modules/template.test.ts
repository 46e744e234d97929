import test from 'ava';
import { moduleMacro, runModule, moduleContext } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { createSimulatedDriver } from '../../../src/state/driver.js';
import { getModule } from '../../../src/modules/registry.js';

test('renders into a new file with a diff', moduleMacro, {
  module: 'template',
  args: { src: 'frr.conf.ejs', dest: '/etc/frr/frr.conf', owner: 'frr', group: 'frr', mode: '0640' },
  machine: { dirs: ['/etc/frr'] },
  templates: { 'frr.conf.ejs': 'router bgp 65000\n' },
  expect: { changed: true, diff: { before: '', after: 'router bgp 65000\n' } },
  after: (t, m) => t.like(m.files.get('/etc/frr/frr.conf'), { content: 'router bgp 65000\n', owner: 'frr', group: 'frr', mode: '0640' }),
});

test('validate runs on the candidate; on success the file is written', moduleMacro, {
  module: 'template',
  args: { src: 't', dest: '/etc/frr/frr.conf', validate: '/usr/lib/frr/bgpd -C -f %s' },
  machine: { dirs: ['/etc/frr'], commands: [{ match: /^\/usr\/lib\/frr\/bgpd -C -f \/etc\/frr\/\.prov\.candidate$/, respond: { code: 0 } }] },
  templates: { t: 'good\n' },
  expect: { changed: true },
  after: (t, m) => t.is(m.files.get('/etc/frr/frr.conf')?.content, 'good\n'),
});

test('validate failure fails the task naming the command and leaves the live file', async (t) => {
  const m = new FakeMachine({
    files: { '/etc/frr/frr.conf': 'old\n' },
    commands: [
      {
        match: /bgpd -C/,
        respond: (cmd, machine) =>
          machine.files.get(cmd.split(' ').at(-1)!)?.content.includes('bad') ? { code: 1, stderr: 'line 1: % Unknown command: bad\n' } : { code: 0 },
      },
    ],
  });
  const c = {
    module: 'template',
    args: { src: 't', dest: '/etc/frr/frr.conf', validate: 'bgpd -C -f %s' },
    templates: { t: 'bad\n' },
    expect: { changed: true },
  };
  const plan = await runModule(c, m);
  t.true(plan.changed);
  t.like(plan.actions[0], { kind: 'write', validate: 'bgpd -C -f %s' });
  await t.throwsAsync(m.execute(plan.actions), { message: "/etc/frr/frr.conf: validate 'bgpd -C -f %s' failed: line 1: % Unknown command: bad" });
  t.is(m.files.get('/etc/frr/frr.conf')?.content, 'old\n');
  t.false(m.files.has('/etc/frr/.prov.candidate'));
});

test('a template into a missing directory fails (a real apply would)', async (t) => {
  const m = new FakeMachine({ dirs: ['/etc'] });
  await t.throwsAsync(runModule({ module: 'template', args: { src: 't', dest: '/etc/frr/frr.conf' }, templates: { t: 'x' }, expect: { changed: true } }, m), {
    message: 'destination directory /etc/frr does not exist',
  });
});

test('check mode: a template into a directory that an earlier task creates is a change, not an error', async (t) => {
  const machine = new FakeMachine({ dirs: ['/etc'] });
  const sim = createSimulatedDriver(machine);
  const fileModule = getModule('file')!;
  const templateModule = getModule('template')!;
  const c = { module: 'template', args: {}, templates: { t: 'router bgp 65000\n' }, expect: { changed: true } };
  const ctx = moduleContext(c, sim.state, true);

  const mkdir = await fileModule.plan(fileModule.schema.parse({ path: '/etc/frr', state: 'directory', mode: '0755' }), ctx);
  t.true(mkdir.changed);
  await sim.execute(mkdir.actions);

  const plan = await templateModule.plan(templateModule.schema.parse({ src: 't', dest: '/etc/frr/frr.conf' }), ctx);
  t.true(plan.changed);
  t.is(plan.diffs[0]?.after, 'router bgp 65000\n');
  await sim.execute(plan.actions);

  // Nothing reached the machine, and the simulated state now holds the file.
  t.false(machine.dirs.has('/etc/frr'));
  t.is(machine.files.size, 0);
  t.is((await sim.state.readFile('/etc/frr/frr.conf'))?.toString(), 'router bgp 65000\n');
  const again = await templateModule.plan(templateModule.schema.parse({ src: 't', dest: '/etc/frr/frr.conf' }), ctx);
  t.false(again.changed);
});
