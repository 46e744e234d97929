/** Oracle corpus: `template:` with Jinja2 (.j2) files, rendered by ansible-playbook and by prov. */
import type { OracleCase } from './oracle.js';

const play = (tasks: string, head = '') => `- hosts: localhost\n  gather_facts: false\n${head}  tasks:\n${tasks}`;

export const JINJA_CASES: OracleCase[] = [
  {
    name: 'a .j2 template with if, for, set and comments, from a role and from the playbook dir',
    files: {
      'roles/web/defaults/main.yml': 'port: 8080\nworkers: [a, b, c]\nlisten: "0.0.0.0:{{ port }}"\n',
      'roles/web/tasks/main.yml': '- template: { src: web.conf.j2, dest: "{{ out }}/web.conf", mode: "0640" }\n',
      'roles/web/templates/web.conf.j2': [
        '{# generated #}',
        'listen {{ listen }}',
        '{% set prefix = "w-" %}',
        '{% for w in workers %}',
        '{% set name = prefix ~ w %}',
        'worker {{ loop.index }}/{{ loop.length }} {{ name }}{% if loop.last %} (last){% endif %}',
        '',
        '{% endfor %}',
        '{% if port is version("1024", "<") %}',
        'privileged',
        '{% elif port > 8000 %}',
        'high',
        '{% else %}',
        'plain',
        '{% endif %}',
        '{%- raw %} {{ kept }} {% endraw %}',
        '',
      ].join('\n'),
      'templates/top.txt.j2': 'top {{ port | default(1) }}\n{% for k, v in {"x": 1}.items() %}\n{{ k }}={{ v }}\n{% endfor %}\n\n',
      'site.yml': `- hosts: localhost
  gather_facts: false
  roles: [web]
  tasks:
    - template: { src: top.txt.j2, dest: "{{ out }}/top.txt" }
`,
    },
  },
  {
    name: 'a .j2 template prints a registered result as it is, braces and all',
    files: {
      'templates/r.j2': 'out={{ r.stdout }}\n{% if r.rc == 0 %}\nok\n{% endif %}\n',
      'site.yml': play(
        `    - command: echo "{{ '{{' }} secret {{ '}}' }}"
      register: r
      changed_when: false
    - template: { src: r.j2, dest: "{{ out }}/r.txt" }
`,
        '  vars: { secret: hunter2 }\n',
      ),
    },
  },
  {
    name: 'a .j2 template into a directory keeps its file name',
    files: {
      'templates/app.conf.j2': '{% if true %}\nyes\n{% endif %}\n',
      'site.yml': play(`    - file: { path: "{{ out }}/etc", state: directory }
    - template: { src: app.conf.j2, dest: "{{ out }}/etc/" }
`),
    },
  },
  {
    name: 'a .j2 template with an undefined variable fails its task',
    files: {
      'templates/bad.j2': 'a\n{% if missing %}x{% endif %}\n',
      'site.yml': play(`    - template: { src: bad.j2, dest: "{{ out }}/bad.txt" }
`),
    },
    counters: ['ok', 'changed', 'failed'],
  },
];
