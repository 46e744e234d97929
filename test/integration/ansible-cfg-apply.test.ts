/**
 * `prov apply` with no inventory argument runs on the inventory ansible.cfg names (an INI file
 * with group_vars beside it), finds roles in ansible.cfg's roles_path, and lets ANSIBLE_INVENTORY
 * and then -i override it: CLI flag > environment > ansible.cfg, as in Ansible. Local connection,
 * files only in a temp directory; HOME is a temp directory so ~/.ansible.cfg is never read.
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  return { ...env, HOME: home, ...extra };
}

test('prov apply without an inventory argument uses ansible.cfg inventory and roles_path; env and -i override it', async (t) => {
  const p = await makeProject({
    'home/.keep': '',
    'out/.keep': '',
    'project/ansible.cfg': '[defaults]\ninventory = inventory/hosts ; the INI inventory\nroles_path = myroles\nforks = 1\nsome_setting_prov_ignores = 1\n',
    'project/inventory/hosts': '[local]\nlocalhost ansible_connection=local\n',
    'project/inventory/group_vars/local.yml': 'greeting: from-cfg-inventory\n',
    'project/other/hosts.yml': 'local:\n  hosts:\n    localhost: { ansible_connection: local, greeting: from-env-inventory }\n',
    'project/flag/hosts': '[local]\nlocalhost ansible_connection=local greeting=from-flag-inventory\n',
    'project/site.yml': '- hosts: local\n  gather_facts: false\n  roles: [writer]\n',
    'project/myroles/writer/tasks/main.yml': '- name: write\n  copy: { dest: "{{ out }}/result.txt", content: "{{ greeting }} {{ inventory_hostname }}\\n" }\n',
  });
  t.teardown(p.remove);
  const out = ['-e', `out=${p.path('out')}`];
  const cwd = p.path('project');
  const result = () => readFile(p.path('out/result.txt'), 'utf8');

  const fromCfg = await prov(['apply', '--playbook', 'site.yml', ...out], { cwd, env: cleanEnv(p.path('home')) });
  t.is(fromCfg.code, 0, fromCfg.stdout + fromCfg.stderr);
  t.is(await result(), 'from-cfg-inventory localhost\n');

  const fromEnv = await prov(['apply', '--playbook', 'site.yml', ...out], { cwd, env: cleanEnv(p.path('home'), { ANSIBLE_INVENTORY: 'other/hosts.yml' }) });
  t.is(fromEnv.code, 0, fromEnv.stdout + fromEnv.stderr);
  t.is(await result(), 'from-env-inventory localhost\n');

  const fromFlag = await prov(['apply', '-i', 'flag/hosts', 'site.yml', ...out], {
    cwd,
    env: cleanEnv(p.path('home'), { ANSIBLE_INVENTORY: 'other/hosts.yml' }),
  });
  t.is(fromFlag.code, 0, fromFlag.stdout + fromFlag.stderr);
  t.is(await result(), 'from-flag-inventory localhost\n');

  // The positional form is unchanged: `prov apply INVENTORY PLAYBOOK`.
  const positional = await prov(['apply', 'other/hosts.yml', 'site.yml', ...out], { cwd, env: cleanEnv(p.path('home')) });
  t.is(positional.code, 0, positional.stdout + positional.stderr);
  t.is(await result(), 'from-env-inventory localhost\n');
});

test('prov apply with no inventory anywhere, or a bad ansible.cfg value: one-line errors', async (t) => {
  const p = await makeProject({
    'home/.keep': '',
    'empty/.keep': '',
    'bad/ansible.cfg': '[defaults]\nforks = lots\n',
    'bad/site.yml': '- hosts: all\n  tasks: []\n',
  });
  t.teardown(p.remove);
  const none = await prov(['apply', '--playbook', 'x.yml'], { cwd: p.path('empty'), env: cleanEnv(p.path('home')) });
  t.is(none.code, 5);
  t.regex(none.stderr.trim(), /^ERROR! no inventory: give one as an argument or with -i, or set ANSIBLE_INVENTORY or inventory in ansible\.cfg \[defaults\]$/);
  const bad = await prov(['apply', '-i', 'x', 'site.yml'], { cwd: p.path('bad'), env: cleanEnv(p.path('home')) });
  t.is(bad.code, 4);
  t.is(bad.stderr.trim(), `ERROR! ${p.path('bad/ansible.cfg')}:2: [defaults] forks must be an integer, got "lots"`);
});
