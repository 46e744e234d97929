import test from 'ava';
import { boolish } from '../../../src/modules/common/schema.js';
import { parseBool } from '../../../src/inventory/connection.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { ansibleBoolean, boolFilter } from '../../../src/core/boolean.js';
import { makeProject } from '../../helpers/project.js';

/** One parser for Ansible's booleans (convert_bool.boolean), used by module args, keywords and connection vars. */

const TRUE = [true, 1, 'y', 'Y', 'yes', 'YES', ' on ', 'On', '1', 'true', 'True', 't', 'T'];
const FALSE = [false, 0, 'n', 'N', 'no', 'No', 'off', 'OFF', '0', 'false', 'FALSE', 'f', 'F'];
const NEITHER = ['maybe', 2, -1, '', 'yes please', null, undefined, [], {}];

test("ansibleBoolean is Ansible's boolean(): y/yes/on/1/true/t and their opposites, any case; else undefined", (t) => {
  for (const v of TRUE) t.is(ansibleBoolean(v), true, JSON.stringify(v));
  for (const v of FALSE) t.is(ansibleBoolean(v), false, JSON.stringify(v));
  for (const v of NEITHER) t.is(ansibleBoolean(v), undefined, JSON.stringify(v));
});

test('module arguments, task keywords and connection variables all take the same words', async (t) => {
  for (const v of TRUE) {
    t.is(boolish.parse(v), true, `module arg ${JSON.stringify(v)}`);
    t.is(parseBool(v, 'h', 'ansible_become'), true, `connection var ${JSON.stringify(v)}`);
  }
  for (const v of FALSE) {
    t.is(boolish.parse(v), false, `module arg ${JSON.stringify(v)}`);
    t.is(parseBool(v, 'h', 'ansible_become'), false, `connection var ${JSON.stringify(v)}`);
  }
  t.throws(() => boolish.parse('maybe'));
  t.throws(() => parseBool('maybe', 'h', 'ansible_become'), { message: /ansible_become must be a boolean/ });
  const p = await makeProject({
    'site.yml':
      '- hosts: all\n  gather_facts: "n"\n  any_errors_fatal: "Y"\n  tasks:\n    - name: t\n      debug: { msg: x }\n      ignore_errors: "t"\n      no_log: "Yes"\n      check_mode: "F"\n',
  });
  t.teardown(p.remove);
  const play = (await loadPlaybook(p.path('site.yml'))).plays[0]!;
  t.false(play.gatherFacts);
  t.true(play.anyErrorsFatal);
  t.like(play.tasks[0], { ignoreErrors: true, noLog: true, checkMode: false });
});

test("the bool filter is Ansible's to_bool: true only for true, 1 and yes/on/1/true", (t) => {
  for (const v of [true, 1, 'yes', 'On', '1', 'TRUE']) t.true(boolFilter(v), JSON.stringify(v));
  for (const v of [false, 0, 'y', 't', 'no', 'maybe', null, 2]) t.false(boolFilter(v), JSON.stringify(v));
});
