/** Oracle cases for Ansible compatibility features published roles use: with_* loops, free-form k=v arguments, loop failures, copy content, template variables. */
import type { OracleCase } from './oracle.js';

const play = (tasks: string, head = '') => `- hosts: localhost\n  gather_facts: false\n${head}  tasks:\n${tasks}`;

export const COMPAT_CASES: OracleCase[] = [
  {
    name: 'with_dict: item.key and item.value, in order',
    files: {
      'site.yml': play(
        `    - copy: { dest: "{{ out }}/{{ item.key }}.txt", content: "{{ item.value }}\\n" }
      with_dict: { zeta: 1, alpha: two, mid: 3.5 }
    - copy: { dest: "{{ out }}/var.txt", content: "{{ item.key }}={{ item.value }}\\n" }
      with_dict: "{{ settings }}"
`,
        '  vars:\n    settings: { LC_ALL: C }\n',
      ),
    },
  },
  {
    name: 'with_list keeps nested lists, with_items flattens them',
    files: {
      'site.yml': play(`    - set_fact: { a: [], b: [] }
    - set_fact: { a: "{{ a + [item | string] }}" }
      with_list: [[1, 2], 3]
    - set_fact: { b: "{{ b + [item | string] }}" }
      with_items: [[1, 2], 3]
    - copy: { dest: "{{ out }}/lists.txt", content: "{{ a | join('|') }} {{ b | join('|') }}\\n" }
`),
    },
  },
  {
    name: 'with_indexed_items and with_together',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/i{{ item.0 }}.txt", content: "{{ item.1 }}\\n" }
      with_indexed_items: [a, [b, c]]
    - copy: { dest: "{{ out }}/t{{ item.0 }}.txt", content: "{{ item.1 if item.1 is not none else 'padded' }}\\n" }
      with_together: [[1, 2, 3], [x, y]]
`),
    },
  },
  {
    name: 'a loop goes on after a failed item; the task fails',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/{{ item }}.txt", content: "{{ item }}\\n" }
      loop: [a, b, c]
      failed_when: item == 'b'
      register: looped
      ignore_errors: true
    - copy: { dest: "{{ out }}/results.txt", content: "{{ looped.results | map(attribute='failed') | list }} {{ looped is failed }}\\n" }
    - copy: { dest: "{{ out }}/{{ item }}.txt", content: "{{ item }}\\n" }
      loop: [x, y]
      failed_when: item == 'x'
`),
    },
  },
  {
    name: 'free-form key=value arguments, quotes respected, values templated afterwards',
    files: {
      'site.yml': play(
        `    - file: path={{ out }}/touched state=touch mode=0600
    - copy: content="a b\\n" dest={{ out }}/f force=yes
    - copy: content='{{ greeting }} there' dest="{{ out }}/g"
    - set_fact: joined="{{ greeting }}, {{ who }}"
    - copy: dest={{ out }}/j content={{ joined | quote }}
    - debug: msg="a b"
    - debug: var=joined
    - command: chdir={{ out }} touch made-by-command creates={{ out }}/made-by-command
    - shell: echo  'x  y' a=b > shell.txt chdir={{ out }}
`,
        '  vars: { greeting: hello, who: world }\n',
      ),
    },
  },
  {
    name: 'copy content that is not a string: numbers and booleans as Python prints them, lists and dicts as JSON',
    files: {
      'site.yml': play(
        `    - copy: { dest: "{{ out }}/int", content: 42 }
    - copy: { dest: "{{ out }}/bool", content: true }
    - copy: { dest: "{{ out }}/float", content: 1.5 }
    - copy: { dest: "{{ out }}/list", content: [1, "a", { b: null }] }
    - copy: { dest: "{{ out }}/dict", content: "{{ settings }}" }
`,
        '  vars:\n    settings: { name: x, on: [true, false], n: 2 }\n',
      ),
    },
  },
  {
    name: 'template variables: ansible_managed, template_path, template_destpath, template_fullpath, template_host, template_uid',
    files: {
      'templates/t.j2': `# {{ ansible_managed }}
path={{ template_path }}
dest={{ template_destpath | basename }}
full={{ template_fullpath | basename }} {{ template_fullpath.startswith('/') }}
host={{ template_host | length > 0 }} uid={{ template_uid | length > 0 }}
{% if false %}
{% include 'never.j2' %}
{% endif %}
`,
      'site.yml': play(`    - template: { src: t.j2, dest: "{{ out }}/t.txt" }
`),
    },
  },
];
