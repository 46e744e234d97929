/** Oracle cases for roles as tasks: import_role (static) and include_role (dynamic). */
import type { OracleCase } from './oracle.js';

const play = (tasks: string, head = '') => `- hosts: localhost\n  gather_facts: false\n${head}  tasks:\n${tasks}`;
const write = (name: string, content: string) => `copy: { dest: "{{ out }}/${name}", content: "${content}" }`;

/** A role `greet` with defaults, vars, other task/vars/defaults files and a handler. */
const GREET: Record<string, string> = {
  'roles/greet/defaults/main.yml': 'who: world\ncolour: grey\n',
  'roles/greet/defaults/loud.yml': 'who: WORLD\ncolour: RED\n',
  'roles/greet/vars/main.yml': 'greeting: hello\n',
  'roles/greet/vars/french.yml': 'greeting: bonjour\n',
  'roles/greet/tasks/main.yml': `- name: greet
  ${write('greet-{{ who }}.txt', '{{ greeting }} {{ who }} {{ colour }}')}
`,
  'roles/greet/tasks/other.yml': `- name: other
  ${write('other-{{ who }}.txt', 'other {{ greeting }} {{ who }} {{ colour }}')}
  notify: greeted
`,
  'roles/greet/handlers/main.yml': `- name: greeted
  ${write('handler-{{ who }}.txt', 'handled {{ greeting }}')}
`,
};

export const ROLE_CASES: OracleCase[] = [
  {
    name: 'import_role: tasks_from and vars; the tags of the import reach its tasks',
    files: {
      ...GREET,
      'site.yml': play(`    - import_role:
        name: greet
        tasks_from: other
      vars:
        who: imported
      tags: [imp]
    - ${write('after.txt', '{{ greeting }}')}
`),
    },
    extra: ['--tags', 'imp'],
  },
  {
    name: "import_role: the role's vars and defaults are the play's, before and after the import; when reaches every task",
    files: {
      ...GREET,
      'site.yml': play(`    - ${write('before.txt', '{{ greeting }} {{ colour }}')}
    - import_role: { name: greet }
      when: false
    - import_role: { name: greet }
    - ${write('after.txt', '{{ greeting }} {{ who }}')}
`),
    },
  },
  {
    name: "include_role: vars are visible to the role's tasks",
    files: {
      ...GREET,
      'site.yml': play(`    - include_role:
        name: greet
      vars:
        who: included
`),
    },
  },
  {
    name: "include_role: in a loop, the item is visible to the role's tasks",
    files: {
      ...GREET,
      'site.yml': play(`    - include_role:
        name: greet
      vars:
        who: "{{ item }}"
      loop: [a, b, c]
`),
    },
  },
  {
    name: "include_role: when false skips the include; the role's tasks never run",
    files: {
      ...GREET,
      'site.yml': play(`    - include_role:
        name: greet
      when: false
    - include_role:
        name: "{{ which }}"
      when: which is defined
    - ${write('after.txt', 'after')}
`),
    },
  },
  {
    name: "include_role: tasks_from, defaults_from and vars_from choose the role's files",
    files: {
      ...GREET,
      'site.yml': play(`    - include_role:
        name: greet
        tasks_from: other.yml
        defaults_from: loud
        vars_from: french
`),
    },
  },
  {
    name: "include_role: without public the role's vars are gone after it; with public they stay",
    files: {
      ...GREET,
      'site.yml': play(`    - include_role: { name: greet }
    - ${write('private.txt', "{{ greeting | default('none') }} {{ who | default('none') }}")}
    - include_role:
        name: greet
        vars_from: french
        public: true
    - ${write('public.txt', "{{ greeting | default('none') }} {{ who | default('none') }}")}
`),
    },
  },
  {
    name: 'include_role: a handler of the included role is notified and runs at the end',
    files: {
      ...GREET,
      'site.yml': play(`    - include_role:
        name: greet
        tasks_from: other
    - ${write('after.txt', 'after')}
`),
    },
  },
  {
    name: 'import_role: a handler of the imported role is notified; flush_handlers runs it early',
    files: {
      ...GREET,
      'site.yml': play(`    - import_role: { name: greet, tasks_from: other }
    - meta: flush_handlers
    - ${write('after.txt', 'after')}
`),
    },
  },
  {
    name: "include_role: in --check the role's tasks run in check mode, nothing is written",
    files: {
      ...GREET,
      'site.yml': play(`    - include_role:
        name: greet
        tasks_from: other
      vars:
        who: checked
`),
    },
    extra: ['--check'],
  },
  {
    name: "include_role: meta dependencies run first, with the included role's vars",
    files: {
      ...GREET,
      'roles/base/tasks/main.yml': `- ${write('base.txt', 'base')}\n`,
      'roles/top/meta/main.yml': 'dependencies: [base]\n',
      'roles/top/tasks/main.yml': `- ${write('top.txt', 'top {{ level }}')}\n`,
      'site.yml': play(`    - include_role: { name: top }
      vars: { level: 1 }
`),
    },
  },
  {
    name: 'import_role and include_role: a role already run by roles: runs again each time it is imported or included, unless include_role has allow_duplicates false',
    files: {
      'roles/r/tasks/main.yml': `- ${write('r.txt', 'r')}\n- debug: { msg: r ran }\n`,
      'site.yml': play(
        `    - import_role: { name: r }
    - import_role: { name: r }
    - include_role: { name: r }
    - include_role: { name: r, allow_duplicates: false }
`,
        '  roles: [r]\n',
      ),
    },
  },
];
