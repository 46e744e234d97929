import test from 'ava';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moduleContext } from '../../helpers/module-macro.js';
import { getModule } from '../../../src/modules/registry.js';
import { createRemoteDriver, createSimulatedDriver, type HostDriver } from '../../../src/state/driver.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { Plan } from '../../../src/core/contract.js';

interface Task {
  module: string;
  args: unknown;
}

function tasksIn(dir: string, motd: string): Task[] {
  return [
    { module: 'file', args: { path: join(dir, 'etc/frr'), state: 'directory', mode: '0750' } },
    { module: 'template', args: { src: 'frr.conf', dest: join(dir, 'etc/frr/frr.conf'), mode: '0640' } },
    ...Array.from({ length: 10 }, (_, i) => ({ module: 'copy', args: { content: `file ${i}\n`, dest: join(dir, `etc/f${i}`) } })),
    { module: 'copy', args: { content: motd, dest: join(dir, 'etc/motd') } },
    { module: 'lineinfile', args: { path: join(dir, 'etc/dhclient.conf'), line: 'request subnet-mask;', create: true } },
    { module: 'blockinfile', args: { path: join(dir, 'etc/interfaces'), block: 'auto ens6', create: true } },
    { module: 'sysctl', args: { name: 'net.ipv4.ip_forward', value: 1, sysctl_file: join(dir, 'etc/99-prov.conf'), reload: false } },
    { module: 'command', args: { cmd: `touch ${join(dir, 'stamp')}`, creates: join(dir, 'stamp') } },
  ];
}

async function runTasks(driver: HostDriver, tasks: Task[], check: boolean): Promise<Plan[]> {
  const plans: Plan[] = [];
  const parsed = tasks.map((t) => ({ module: getModule(t.module)!, args: getModule(t.module)!.schema.parse(t.args) }));
  await driver.prefetch(parsed.flatMap(({ module, args }) => module.reads?.(args) ?? []));
  for (const { module, args } of parsed) {
    const ctx = moduleContext({ module: module.name, args, templates: { 'frr.conf': 'router bgp 65000\n' }, expect: { changed: false } }, driver.state, check);
    const plan = await module.plan(args, ctx);
    plans.push(plan);
    if (plan.actions.length > 0) await driver.execute(plan.actions);
  }
  return plans;
}

test('apply, then a no-op rerun reads everything in one exec and changes nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-driver-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const transport = new LocalTransport();
  await transport.exec(`mkdir ${join(dir, 'etc')}`);
  const driver = createRemoteDriver(transport);

  const first = await runTasks(driver, tasksIn(dir, 'hello\n'), false);
  t.true(
    first.every((p) => p.changed),
    first
      .filter((p) => !p.changed)
      .map((p) => p.msg)
      .join(),
  );
  t.is(await readFile(join(dir, 'etc/frr/frr.conf'), 'utf8'), 'router bgp 65000\n');
  t.is(((await stat(join(dir, 'etc/frr/frr.conf'))).mode & 0o777).toString(8), '640');
  t.is(await readFile(join(dir, 'etc/99-prov.conf'), 'utf8'), 'net.ipv4.ip_forward=1\n');

  const before = transport.execCount;
  const started = performance.now();
  const second = await runTasks(createRemoteDriver(transport), tasksIn(dir, 'hello\n'), false);
  const ms = performance.now() - started;
  t.deepEqual(
    second.filter((p) => p.changed).map((p) => p.msg),
    [],
  );
  t.is(transport.execCount - before, 1, 'one exec for the reads of all 18 tasks');
  t.log(`no-op rerun of ${second.length} tasks: ${ms.toFixed(1)} ms, 1 exec`);
});

test('check mode changes nothing on disk and predicts exactly what apply changes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-driver-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const transport = new LocalTransport();
  await transport.exec(`mkdir ${join(dir, 'etc')}`);

  const remote = createRemoteDriver(transport);
  const predicted = await runTasks(createSimulatedDriver(remote.state as never), tasksIn(dir, 'hello\n'), true);
  t.true(predicted.every((p) => p.changed));
  t.deepEqual((await transport.exec(`find ${dir} -mindepth 1`)).stdout, `${join(dir, 'etc')}\n`, 'check mode wrote nothing');

  const applied = await runTasks(createRemoteDriver(transport), tasksIn(dir, 'hello\n'), false);
  t.deepEqual(
    applied.map((p) => p.changed),
    predicted.map((p) => p.changed),
  );

  // Change one input: check mode reports exactly that task, with its diff, and writes nothing.
  const check2 = await runTasks(createSimulatedDriver(createRemoteDriver(transport).state as never), tasksIn(dir, 'bye\n'), true);
  const changed = check2.filter((p) => p.changed);
  t.is(changed.length, 1);
  t.deepEqual(
    changed[0]!.diffs.map((d) => [d.before, d.after]),
    [['hello\n', 'bye\n']],
  );
  t.is(await readFile(join(dir, 'etc/motd'), 'utf8'), 'hello\n');
});
