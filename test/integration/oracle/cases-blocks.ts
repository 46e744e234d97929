/** Oracle cases for playbook structure: blocks, includes and imports, roles as tasks, vars_files, --start-at-task. */
import type { OracleCase } from './oracle.js';

const play = (tasks: string, head = '') => `- hosts: localhost\n  gather_facts: false\n${head}  tasks:\n${tasks}`;
const write = (name: string, content: string) => `copy: { dest: "{{ out }}/${name}", content: "${content}" }`;

export const BLOCK_CASES: OracleCase[] = [
  {
    name: 'block: a failing command runs the rescue, then always; the host is rescued, not failed',
    files: {
      'site.yml': play(`    - name: work
      block:
        - ${write('one.txt', '1')}
        - command: /bin/false
        - ${write('never.txt', 'x')}
      rescue:
        - ${write('rescue.txt', '{{ ansible_failed_task.name }} rc={{ ansible_failed_result.rc }}')}
      always:
        - ${write('always.txt', 'always')}
    - ${write('after.txt', 'after')}
`),
    },
  },
  {
    name: 'block: a block that succeeds skips its rescue and runs always',
    files: {
      'site.yml': play(`    - block:
        - ${write('ok.txt', 'ok')}
      rescue:
        - ${write('rescue.txt', 'x')}
      always:
        - ${write('always.txt', 'a')}
`),
    },
  },
  {
    name: 'block: a failing rescue fails the host, always still runs',
    files: {
      'site.yml': play(`    - block:
        - fail: { msg: first }
      rescue:
        - fail: { msg: second }
      always:
        - ${write('always.txt', 'a')}
    - ${write('after.txt', 'never')}
`),
    },
  },
  {
    name: 'block: without rescue a failure fails the host after always',
    files: {
      'site.yml': play(`    - block:
        - name: breaks
          command: /bin/false
      always:
        - ${write('always.txt', 'a')}
    - ${write('after.txt', 'never')}
`),
    },
  },
  {
    name: 'block: nested blocks, the inner failure is rescued by the outer block',
    files: {
      'site.yml': play(`    - name: outer
      block:
        - name: inner
          block:
            - fail: { msg: inner failure }
          always:
            - ${write('inner-always.txt', 'ia')}
        - ${write('never.txt', 'x')}
      rescue:
        - ${write('outer-rescue.txt', '{{ ansible_failed_result.msg }}')}
    - ${write('after.txt', 'after')}
`),
    },
  },
  {
    name: 'block: when, vars and tags on the block are inherited by its tasks',
    files: {
      'site.yml': play(
        `    - block:
        - ${write('{{ name }}.txt', '{{ greeting }}')}
        - ${write('own.txt', '{{ greeting }}')}
          vars: { greeting: own }
      vars: { name: v, greeting: block }
      when: run_it
      tags: [blk]
    - block:
        - ${write('skipped.txt', 'x')}
      when: not run_it
`,
        '  vars: { run_it: true }\n',
      ),
    },
  },
  {
    name: 'block: --tags selects the tasks of a tagged block',
    extra: ['--tags', 'blk'],
    files: {
      'site.yml': play(`    - block:
        - ${write('tagged.txt', 't')}
      tags: blk
    - ${write('untagged.txt', 'u')}
`),
    },
  },
  {
    name: 'block: ignore_errors on the block lets the host go on',
    files: {
      'site.yml': play(`    - block:
        - command: /bin/false
        - ${write('next.txt', 'n')}
      ignore_errors: true
`),
    },
  },
  {
    name: 'block: in --check a failing task still runs the rescue',
    extra: ['--check'],
    files: {
      'site.yml': play(`    - block:
        - fail: { msg: checked }
      rescue:
        - debug: { msg: "rescued {{ ansible_failed_result.msg }}" }
      always:
        - debug: { msg: always }
`),
    },
  },
  {
    name: 'block: a handler notified inside a rescued block runs',
    files: {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - block:
        - ${write('a.txt', 'a')}
          notify: written
        - fail: { msg: boom }
      rescue:
        - ${write('r.txt', 'r')}
          notify: rescued
  handlers:
    - name: written
      ${write('handler-a.txt', 'h')}
    - name: rescued
      ${write('handler-r.txt', 'h')}
`,
    },
  },
  {
    name: 'block: notify on a block applies to its tasks',
    files: {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - block:
        - ${write('a.txt', 'a')}
      notify: h
  handlers:
    - name: h
      ${write('h.txt', 'h')}
`,
    },
  },
  {
    name: 'block: any_errors_fatal does not stop the play for a rescued failure',
    files: {
      'site.yml': play(
        `    - block:
        - fail: { msg: boom }
      rescue:
        - ${write('r.txt', 'r')}
    - ${write('after.txt', 'after')}
`,
        '  any_errors_fatal: true\n',
      ),
    },
  },
  {
    name: 'include_tasks: a templated file, once per loop item, with vars and the item visible',
    files: {
      'site.yml': play(
        `    - name: per item
      include_tasks: "sub/{{ which }}.yml"
      loop: [a, b, c]
      when: item != 'b'
      vars: { suffix: txt }
    - include_tasks: sub/each.yml
      when: false
`,
        '  vars: { which: each }\n',
      ),
      'sub/each.yml': `- ${write('{{ item }}.{{ suffix }}', 'item {{ item }}')}
- include_tasks: inner.yml
`,
      'sub/inner.yml': `- ${write('inner-{{ item }}.txt', 'inner')}
`,
    },
  },
  {
    name: 'include_tasks: a registered value from before the include picks the file',
    files: {
      'site.yml': play(`    - set_fact: { part: second }
    - include_tasks: "{{ part }}.yml"
    - include_tasks: first.yml
      loop: "{{ [1, 2] }}"
      loop_control: { loop_var: n }
`),
      'first.yml': `- ${write('first-{{ n }}.txt', 'n={{ n }}')}
`,
      'second.yml': `- ${write('second.txt', '2')}
`,
    },
  },
  {
    name: 'import_tasks: vars, when and tags on the import reach its tasks',
    extra: ['--skip-tags', 'skipme'],
    files: {
      'site.yml': play(`    - import_tasks: tasks.yml
      vars: { word: imported }
    - import_tasks: tasks.yml
      vars: { word: never }
      when: false
    - import_tasks: tasks.yml
      vars: { word: skipped }
      tags: skipme
`),
      'tasks.yml': `- ${write('{{ word }}.txt', '{{ word }}')}
`,
    },
  },
  {
    name: 'include_tasks: a failure in an included file is rescued by the block around the include',
    files: {
      'site.yml': play(`    - block:
        - include_tasks: broken.yml
      rescue:
        - ${write('rescued.txt', '{{ ansible_failed_result.msg }}')}
`),
      'broken.yml': `- ${write('before.txt', 'b')}
- fail: { msg: from the include }
`,
    },
  },
  {
    name: 'vars_files: templated names, first found of a list, later files win, over play vars and under role vars',
    extra: ['-e', 'env=prod'],
    files: {
      'site.yml': `- hosts: localhost
  gather_facts: false
  vars: { common: play, level: play, fromplay: p, dir: vars }
  vars_files:
    - vars/common.yml
    - "{{ dir }}/{{ env }}.yml"
    - [vars/missing.yml, vars/fallback.yml]
  roles: [r]
  tasks:
    - ${write('result.txt', '{{ common }} {{ level }} {{ fromplay }} {{ fallback }}')}
`,
      'vars/common.yml': 'common: common\nlevel: common\n',
      'vars/prod.yml': 'level: prod\n',
      'vars/fallback.yml': 'fallback: yes-fallback\nrolewins: file\n',
      'roles/r/vars/main.yml': 'rolewins: role\n',
      'roles/r/tasks/main.yml': `- ${write('role.txt', '{{ rolewins }}')}
`,
    },
  },
  {
    name: '--start-at-task: starts inside a block (a glob), earlier tasks and plays do not run, later plays do',
    extra: ['--start-at-task', 'sec*'],
    files: {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: early play task
      ${write('early.txt', 'x')}
- hosts: localhost
  gather_facts: false
  tasks:
    - name: first
      ${write('first.txt', 'x')}
    - block:
        - name: skipped in block
          ${write('skipped.txt', 'x')}
        - name: second
          ${write('second.txt', '2')}
        - fail: { msg: after the start }
      rescue:
        - name: rescue
          ${write('rescue.txt', 'r')}
- hosts: localhost
  gather_facts: false
  tasks:
    - name: later play
      ${write('later.txt', 'l')}
`,
    },
  },
];
