import test from 'ava';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { debianFacts } from '../../helpers/facts.js';
import { makeProject } from '../../helpers/project.js';
import { runOnFakes } from '../../helpers/runner.js';

/** What a compromised machine prints: a template that would read the controller's secret. */
const HOSTILE = '{{ ctl_secret }}';

const INVENTORY = `
all:
  vars:
    ctl_secret: hunter2
  hosts:
    h1:
    h2:
`;

/** `copy` tasks writing /out/<name> with the given content template. */
function copies(contents: Record<string, string>): string {
  return Object.entries(contents)
    .map(([name, content]) => `    - name: write ${name}\n      copy: { dest: /out/${name}, content: ${JSON.stringify(content)} }\n`)
    .join('');
}

const PLAYBOOK = `
- hosts: all
  tasks:
    - name: hostile output
      command: cat /hostile
      register: r
    - name: hostile output in a loop
      command: cat /hostile
      loop: [1]
      register: rl
    - name: copies
      set_fact:
        f: "{{ r.stdout }}"
        g: "{{ r.stdout ~ 'x' }}"
        fh: "{{ ansible_hostname }}"
        raw: "{% raw %}{{ ctl_secret }}{% endraw %}"
${copies({
  direct: '{{ r.stdout }}',
  concat: "{{ r.stdout ~ 'x' }}",
  json: '{{ r | to_json }}',
  set_fact: '{{ f }}',
  set_fact_concat: '{{ g }}',
  loop_result: '{{ rl.results[0].stdout }}',
  fact: '{{ ansible_hostname }}',
  fact_dict: '{{ ansible_facts.hostname }}',
  fact_set_fact: '{{ fh }}',
  other_host: "{{ hostvars['h2'].r.stdout }}",
  other_host_fact: "{{ hostvars['h2'].f }}",
  code_raw: '{{ raw }}',
})}
    - name: write loop_item
      copy: { dest: /out/loop_item, content: "{{ item }}" }
      loop: "{{ r.stdout_lines }}"
    - name: write loop_registered
      copy: { dest: /out/loop_registered, content: "{{ item.stdout }}" }
      loop: "{{ rl.results }}"
    - name: copy of another host's result
      set_fact:
        hv: "{{ hostvars['h2'].r.stdout }}"
${copies({ other_host_set_fact: '{{ hv }}' })}
`;

function machine(): FakeMachine {
  return new FakeMachine({ dirs: ['/out'], commands: [{ match: 'cat /hostile', respond: HOSTILE }] });
}

test('output and facts from a machine are data: a later copy writes the braces, never the secret', async (t) => {
  const p = await makeProject({ 'inventory.yml': INVENTORY, 'site.yml': PLAYBOOK });
  t.teardown(p.remove);
  const m = { h1: machine(), h2: machine() };
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m, {}, () => debianFacts({ hostname: HOSTILE }));
  t.is(run.result.exitCode, 0, run.reporter.events.join('\n'));
  const written = (name: string): string | undefined => m.h1.files.get(`/out/${name}`)?.content;
  for (const name of [
    'direct',
    'set_fact',
    'loop_result',
    'fact',
    'fact_dict',
    'fact_set_fact',
    'other_host',
    'other_host_fact',
    'loop_item',
    'loop_registered',
    'other_host_set_fact',
  ]) {
    t.is(written(name), HOSTILE, name);
  }
  t.is(written('concat'), `${HOSTILE}x`);
  t.is(written('set_fact_concat'), `${HOSTILE}x`);
  t.is(JSON.parse(written('json')!).stdout, HOSTILE);
  t.is(written('code_raw'), 'hunter2', 'a {% raw %} template from the playbook is code: rendered when used, as in Ansible');
  for (const [path, file] of m.h1.files) t.false(path.startsWith('/out/') && path !== '/out/code_raw' && file.content.includes('hunter2'), path);
});

test('a condition that pastes host output into an expression fails instead of evaluating it', async (t) => {
  const p = await makeProject({
    'inventory.yml': INVENTORY,
    'site.yml': `
- hosts: h1
  tasks:
    - name: hostile output
      command: cat /hostile
      register: r
    - name: guarded
      copy: { dest: /out/guarded, content: "x" }
      when: "{{ r.stdout }} == 'hunter2'"
`,
  });
  t.teardown(p.remove);
  const m = { h1: new FakeMachine({ dirs: ['/out'], commands: [{ match: 'cat /hostile', respond: 'ctl_secret' }] }) };
  const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), m);
  t.is(run.reporter.statusOf('guarded', 'h1'), 'failed');
  t.regex(run.reporter.results.find((r) => r.task === 'guarded')!.result.msg ?? '', /data from a machine/);
  t.false(m.h1.files.has('/out/guarded'));
});
