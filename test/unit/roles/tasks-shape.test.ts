/**
 * The roles' task files use only the modules and keywords the engine implements, every command
 * says when it changes something (a rerun must report changed=0), and every task has a tag.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { repoRoot } from './render.js';

type Task = Record<string, unknown>;
const modules = new Set([
  'package',
  'apt',
  'copy',
  'file',
  'template',
  'lineinfile',
  'blockinfile',
  'sysctl',
  'service',
  'command',
  'shell',
  'assert',
  'fail',
  'debug',
  'set_fact',
  'wait_for',
  'arm_routing',
  'confirm_routing',
  'meta',
]);
const keywords = new Set(['name', 'when', 'tags', 'notify', 'register', 'changed_when', 'failed_when', 'loop', 'no_log', 'check_mode', 'vars']);

// import_tasks entries pull in other task files (checked where they are owned), not tasks themselves.
const readTasks = (role: string, file: string) =>
  (load(readFileSync(path.join(repoRoot, 'roles', role, file), 'utf8')) as Task[]).filter((task) => !('import_tasks' in task));
const moduleOf = (task: Task) => Object.keys(task).filter((k) => !keywords.has(k));

for (const role of ['router', 'host']) {
  test(`${role}: tasks use known modules and keywords, one module each, all tagged`, (t) => {
    for (const task of readTasks(role, 'tasks/main.yml')) {
      const mods = moduleOf(task);
      t.is(mods.length, 1, `task "${String(task['name'])}" has keys ${mods.join(', ')}`);
      t.true(modules.has(mods[0]!), `task "${String(task['name'])}" uses ${mods[0]}`);
      t.true(Array.isArray(task['tags']) && (task['tags'] as unknown[]).length > 0, `task "${String(task['name'])}" has no tags`);
    }
  });

  test(`${role}: every command either creates something, is gated by a query, or never reports a change`, (t) => {
    for (const task of readTasks(role, 'tasks/main.yml')) {
      const mod = moduleOf(task)[0]!;
      if (mod !== 'command' && mod !== 'shell') continue;
      const args = task[mod];
      const creates = typeof args === 'object' && args !== null && 'creates' in args;
      t.true(creates || 'changed_when' in task || 'when' in task, `command task "${String(task['name'])}" would report changed on every run`);
    }
  });

  test(`${role}: notified handlers exist, frr.conf is validated by FRR and hidden when it holds a password`, (t) => {
    const handlers = new Set(readTasks(role, 'handlers/main.yml').map((h) => h['name']));
    const tasks = readTasks(role, 'tasks/main.yml');
    for (const task of tasks) {
      for (const n of ([] as unknown[]).concat(task['notify'] ?? [])) t.true(handlers.has(n), `handler "${String(n)}" is missing`);
    }
    const frr = tasks.find((task) => (task['template'] as Task | undefined)?.['dest'] === '/etc/frr/frr.conf')!;
    t.is((frr['template'] as Task)['validate'], 'vtysh --dryrun --inputfile %s');
    t.regex(String(frr['no_log']), /bgp_password/);
  });
}

test('host: the DHCP default is moved only after FRR has the BGP route, and the supernet route comes first', (t) => {
  const names = readTasks('host', 'tasks/main.yml').map((task) => String(task['name']));
  const at = (re: RegExp) => {
    const i = names.findIndex((n) => re.test(n));
    t.true(i >= 0, `no task matching ${re}`);
    return i;
  };
  t.true(at(/add the route to the VPC supernet/) < at(/wait until FRR has the BGP default route/));
  t.true(at(/flush_handlers|apply the FRR changes/) < at(/wait until FRR has the BGP default route/));
  t.true(at(/wait until FRR has the BGP default route/) < at(/move the default route from DHCP to BGP/));
  t.true(at(/move the default route from DHCP to BGP/) < at(/stop systemd-networkd from installing a default/));
});

for (const role of ['router', 'host']) {
  test(`${role}: bgpd and bfdd are started when the daemons file enables them but they do not run`, (t) => {
    const tasks = readTasks(role, 'tasks/main.yml');
    const names = tasks.map((task) => String(task['name']));
    const look = tasks.find((task) => String(task['name']).startsWith('look for FRR daemons'))!;
    const restart = tasks.find((task) => String(task['name']).startsWith('restart FRR to start'))!;
    t.is(look['check_mode'], false, 'the query runs in --check too');
    t.is(look['register'], 'frr_missing_daemons');
    t.deepEqual(restart['service'], { name: 'frr', state: 'restarted' });
    t.is(restart['when'], 'frr_missing_daemons.stdout | length > 0');
    t.true(names.indexOf('enable bgpd and bfdd') < names.indexOf(String(restart['name'])));
    t.true(names.findIndex((n) => n.startsWith('write frr.conf')) < names.indexOf(String(restart['name'])), 'a restart loads the new frr.conf');
  });
}

test("host: the dhclient.conf regexp drops routers from Debian's request line and nothing else", (t) => {
  const task = readTasks('host', 'tasks/main.yml').find((x) => String(x['name']).includes('dhclient from asking'))!;
  const args = task['lineinfile'] as { regexp: string; line: string; backrefs: boolean };
  t.true(args.backrefs);
  const re = new RegExp(args.regexp);
  const apply = (l: string) => (re.test(l) ? l.replace(re, args.line.replace(/\\(\d)/g, '$$$1')) : l);
  t.is(apply('request subnet-mask, broadcast-address, time-offset, routers,'), 'request subnet-mask, broadcast-address, time-offset,');
  t.is(apply('request subnet-mask, routers;'), 'request subnet-mask;');
  t.is(apply('\tdomain-name, domain-name-servers, domain-search, host-name,'), '\tdomain-name, domain-name-servers, domain-search, host-name,');
  // Second run: nothing left to match, so lineinfile changes nothing.
  t.false(re.test(apply('request subnet-mask, broadcast-address, time-offset, routers,')));
});

test('site.yml: routers one at a time with the router role, then the hosts', (t) => {
  const plays = load(readFileSync(path.join(repoRoot, 'playbooks', 'site.yml'), 'utf8')) as Task[];
  t.deepEqual(
    plays.map((p) => [p['hosts'], p['serial'], p['roles']]),
    [
      ['routers', 1, ['router']],
      ['hosts', undefined, ['host']],
    ],
  );
});

test('router: the sessions are counted before the first change, and the health check is the last task, after the handlers, only when something changed', (t) => {
  const tasks = readTasks('router', 'tasks/main.yml');
  const index = (name: string) => tasks.findIndex((task) => String(task['name']).startsWith(name));
  const count = index("count the hosts' BGP sessions before any change");
  const health = index('wait until this router has every host session it had before its changes');
  t.true(count >= 0 && health >= 0);
  const registers = ['router_frr_conf', 'router_frr_restart', 'router_frr_password_restart', 'router_rules', 'router_squid_conf'];
  const changing = tasks.filter((task) => 'register' in task && registers.includes(String(task['register'])));
  t.is(changing.length, registers.length, 'frr.conf, the FRR restarts, the iptables rules and squid.conf are registered');
  for (const task of changing) t.true(tasks.indexOf(task) > count, `${String(task['name'])} comes after the count`);
  t.is(health, tasks.length - 1, 'the health check is the last task');
  t.deepEqual(tasks[health - 1]!['meta'], 'flush_handlers', 'the handlers (reloads) run before it');
  const when = (tasks[health]!['when'] as string[]).join(' ');
  for (const reg of registers) t.true(when.includes(`${reg} | default({}) is changed`), reg);
  t.regex(
    when,
    /router_sessions_had \| int > 0 or router_sessions_pending \| int > 0/,
    'a router that served no host, with no check pending, has nothing to wait for',
  );
  t.regex(when, /router_sessions_pending \| int > 0\s+or router_frr_conf/, 'a check an earlier apply left pending runs with no change');
  t.deepEqual(tasks[count]!['check_mode'], false);
  t.deepEqual(tasks[count]!['tags'], ['always'], '--tags runs still count');
});
