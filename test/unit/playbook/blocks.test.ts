import test from 'ava';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { flattenTasks, isBlock, type Task } from '../../../src/playbook/types.js';
import { startAt } from '../../../src/runner/start-at.js';
import { makeProject } from '../../helpers/project.js';

const SITE = `- hosts: all
  tasks:
    - name: outer
      block:
        - name: a
          debug: { msg: a }
          when: x
        - name: inner
          block:
            - name: b
              debug: { msg: b }
              vars: { v: task }
              ignore_errors: false
          rescue:
            - name: c
              debug: { msg: c }
          vars: { w: inner }
          tags: [t2]
      always:
        - name: d
          debug: { msg: d }
      when: outer_ok
      tags: t1
      vars: { v: block, w: outer }
      ignore_errors: true
      notify: h
  handlers:
    - name: h
      debug: { msg: h }
`;

test('a block keeps its structure and its keywords reach its tasks as Ansible inherits them', async (t) => {
  const p = await makeProject({ 'site.yml': SITE });
  t.teardown(p.remove);
  const play = (await loadPlaybook(p.path('site.yml'))).plays[0]!;
  const outer = play.tasks[0]!;
  t.true(isBlock(outer));
  if (!isBlock(outer)) return;
  t.deepEqual(
    outer.always.map((n) => (n as Task).name),
    ['d'],
  );
  const byName = Object.fromEntries(flattenTasks(play.tasks).map((task) => [task.name, task]));
  t.deepEqual(Object.keys(byName), ['a', 'b', 'c', 'd']);
  t.deepEqual(byName.a!.when, ['outer_ok', 'x']);
  t.deepEqual(byName.b!.tags, ['t1', 't2']);
  t.deepEqual(byName.b!.vars, { v: 'task', w: 'inner' });
  t.false(byName.b!.ignoreErrors, 'the task’s own ignore_errors wins');
  t.true(byName.c!.ignoreErrors);
  t.deepEqual(byName.d!.notify, ['h']);
  t.deepEqual(byName.d!.tags, ['t1']);
});

test('--start-at-task drops what comes before the match, keeps the rest of its block', async (t) => {
  const p = await makeProject({ 'site.yml': SITE });
  t.teardown(p.remove);
  const play = (await loadPlaybook(p.path('site.yml'))).plays[0]!;
  t.deepEqual(
    flattenTasks(startAt(play.tasks, 'b')).map((x) => x.name),
    ['b', 'c', 'd'],
  );
  t.deepEqual(
    flattenTasks(startAt(play.tasks, '[cd]')).map((x) => x.name),
    ['c', 'd'],
  );
  t.deepEqual(flattenTasks(startAt(play.tasks, 'zz*')), []);
});
