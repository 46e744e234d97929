import test from 'ava';
import { ContentNotKnownError, SimulatedState } from '../../../src/state/simulator.js';
import { createSimulatedDriver } from '../../../src/state/driver.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { getModule } from '../../../src/modules/registry.js';
import { moduleContext } from '../../helpers/module-macro.js';

test('writes, mkdirs, attrs and removes are seen by later reads and never reach the base', async (t) => {
  const base = new FakeMachine({ files: { '/etc/a': { content: 'a', mode: '0640', owner: 'app' } }, dirs: ['/srv/old/sub'] });
  const sim = new SimulatedState(base);
  sim.applyActions([
    { kind: 'write', path: '/etc/a', content: 'A' },
    { kind: 'mkdir', path: '/opt/x/y', mode: '0700' },
    { kind: 'write', path: '/opt/x/y/f', content: 'f' },
    { kind: 'remove', path: '/srv/old' },
    { kind: 'attrs', path: '/etc/a', mode: '0600' },
  ]);
  t.is((await sim.readFile('/etc/a'))?.toString(), 'A');
  t.like(await sim.stat('/etc/a'), { type: 'file', mode: '0600', owner: 'app', size: 1 });
  t.like(await sim.stat('/opt/x/y'), { type: 'directory', mode: '0700' });
  t.like(await sim.stat('/opt/x'), { type: 'directory' });
  t.is((await sim.readFile('/opt/x/y/f'))?.toString(), 'f');
  t.is(await sim.stat('/srv/old'), null);
  t.is(await sim.stat('/srv/old/sub'), null);
  t.like(await sim.stat('/srv'), { type: 'directory' });
  t.is(base.files.get('/etc/a')?.content, 'a');
  t.false(base.dirs.has('/opt'));
  t.true(base.dirs.has('/srv/old/sub'));
});

test('an exec effect answers later queries of its key; other queries go to the base', async (t) => {
  const base = new FakeMachine({ queries: { 'sysctl:net.ipv4.ip_forward': '0', other: 'base' } });
  const sim = new SimulatedState(base);
  const results = sim.applyActions([{ kind: 'exec', command: 'sysctl -w net.ipv4.ip_forward=1', effects: { 'sysctl:net.ipv4.ip_forward': '1' } }]);
  t.deepEqual(results, [{ stdout: '', stderr: '', code: 0 }]);
  t.is((await sim.query('sysctl -n net.ipv4.ip_forward', 'sysctl:net.ipv4.ip_forward')).stdout, '1');
  t.is((await sim.query('x', 'other')).stdout, 'base');
  t.deepEqual(base.executed, [], 'nothing ran on the machine');
  t.deepEqual(sim.skippedCommands, ['sysctl -w net.ipv4.ip_forward=1']);
});

test('check mode: a sysctl set by an earlier simulated task is not changed again', async (t) => {
  const machine = new FakeMachine({ dirs: ['/etc/sysctl.d'], queries: { 'sysctl:net.ipv4.ip_forward': '0' } });
  const driver = createSimulatedDriver(machine);
  const sysctl = getModule('sysctl')!;
  const args = sysctl.schema.parse({ name: 'net.ipv4.ip_forward', value: 1, sysctl_file: '/etc/sysctl.d/90-prov.conf' });
  const ctx = moduleContext({ module: 'sysctl', args, expect: { changed: true } }, driver.state, true);
  const first = await sysctl.plan(args, ctx);
  t.true(first.changed);
  await driver.execute(first.actions);
  const second = await sysctl.plan(args, ctx);
  t.false(second.changed);
  t.false(machine.files.has('/etc/sysctl.d/90-prov.conf'));
});

test('check mode: a service started after its package is installed by an earlier task', async (t) => {
  const machine = new FakeMachine({
    queries: { 'package:frr': { code: 1 }, 'package-candidate:frr': 'Candidate: 8.4.4\n', 'service:frr:active': 'inactive' },
  });
  const driver = createSimulatedDriver(machine);
  const pkg = getModule('apt')!;
  const svc = getModule('service')!;
  const pArgs = pkg.schema.parse({ name: 'frr' });
  const ctx = moduleContext({ module: 'apt', args: pArgs, expect: { changed: true } }, driver.state, true);
  await driver.execute((await pkg.plan(pArgs, ctx)).actions);
  t.false((await pkg.plan(pArgs, ctx)).changed, 'the package counts as installed in check mode');
  const sArgs = svc.schema.parse({ name: 'frr', state: 'started' });
  const start = await svc.plan(sArgs, ctx);
  t.true(start.changed);
  await driver.execute(start.actions);
  t.false((await svc.plan(sArgs, ctx)).changed);
  t.deepEqual(machine.executed, []);
});

test('check mode: a planned package install creates its directories; its shipped files exist with content not known yet', async (t) => {
  const machine = new FakeMachine({
    dirs: ['/etc'],
    files: { '/etc/squid/squid.conf': { content: 'left by a removed squid\n' } },
    queries: {
      'package:iptables-persistent': { code: 1 },
      'package-candidate:iptables-persistent': 'Candidate: 1.0.20\n',
      'package:conntrack': { code: 1 },
      'package-candidate:conntrack': 'Candidate: 1.4.7\n',
    },
  });
  const driver = createSimulatedDriver(machine);
  const pkg = getModule('apt')!;
  const args = pkg.schema.parse({ name: ['iptables-persistent', 'conntrack'] });
  const plan = await pkg.plan(args, moduleContext({ module: 'apt', args, expect: { changed: true } }, driver.state, true));
  t.is(await driver.state.stat('/etc/iptables'), null);
  await driver.execute(plan.actions);
  t.like(await driver.state.stat('/etc/iptables'), { type: 'directory' });
  t.like(await driver.state.stat('/etc/iptables/rules.v4'), { type: 'file' });
  const err = await t.throwsAsync(driver.state.readFile('/etc/iptables/rules.v4'), { instanceOf: ContentNotKnownError });
  t.is(err?.message, '/etc/iptables/rules.v4 is created by installing iptables-persistent: its content is known only after that');
  // A later write in check mode is seen as it is.
  await driver.execute([{ kind: 'write', path: '/etc/iptables/rules.v4', content: '*filter\nCOMMIT\n' }]);
  t.is((await driver.state.readFile('/etc/iptables/rules.v4'))?.toString(), '*filter\nCOMMIT\n');
  t.false(machine.dirs.has('/etc/iptables'), 'nothing reached the machine');
  t.deepEqual(machine.executed, []);

  // A file already on the machine is kept by the install (dpkg --force-confold).
  const squid = createSimulatedDriver(machine);
  squid.state.applyActions([
    {
      kind: 'exec',
      command: 'apt-get install squid',
      creates: [{ by: 'installing squid', directories: ['/etc/squid'], files: ['/etc/squid/squid.conf', '/etc/squid/errorpage.css'] }],
    },
  ]);
  t.is((await squid.state.readFile('/etc/squid/squid.conf'))?.toString(), 'left by a removed squid\n');
  await t.throwsAsync(squid.state.readFile('/etc/squid/errorpage.css'), { instanceOf: ContentNotKnownError });
});
