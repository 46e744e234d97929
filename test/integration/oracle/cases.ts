/** The oracle corpus: small playbooks whose outcome prov must share with ansible-playbook 2.14. */
import type { OracleCase } from './oracle.js';

const play = (tasks: string, head = '') => `- hosts: localhost\n  gather_facts: false\n${head}  tasks:\n${tasks}`;
const GREET_ROLE = {
  'roles/greet/defaults/main.yml': 'who: nobody\n',
  'roles/greet/tasks/main.yml': '- copy: { dest: "{{ out }}/{{ who }}.txt", content: "hello {{ who }}\\n" }\n',
};

export const CASES: OracleCase[] = [
  {
    name: 'role parameters: one role twice with different parameters',
    files: { ...GREET_ROLE, 'site.yml': '- hosts: localhost\n  gather_facts: false\n  roles:\n    - { role: greet, who: a }\n    - { role: greet, who: b }\n' },
  },
  {
    name: 'vars on a role entry',
    files: { ...GREET_ROLE, 'site.yml': '- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: greet\n      vars: { who: c }\n    - greet\n' },
  },
  {
    name: 'role parameters win over play vars',
    files: { ...GREET_ROLE, 'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars: { who: play }\n  roles:\n    - { role: greet, who: param }\n' },
  },
  {
    name: 'set_fact in a loop sees the previous iteration',
    files: {
      'site.yml': play(`    - set_fact: { acc: [] }
    - set_fact: { acc: "{{ acc + [item] }}" }
      loop: [1, 2, 3]
    - copy: { dest: "{{ out }}/acc.txt", content: "{{ acc | join(',') }}" }
`),
    },
  },
  {
    name: 'set_fact wins over task vars',
    files: {
      'site.yml': play(`    - set_fact: { x: fact }
    - copy: { dest: "{{ out }}/x.txt", content: "{{ x }}" }
      vars: { x: taskvar }
`),
    },
  },
  {
    name: 'with_items flattens one level of nested lists',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/{{ item }}", content: "{{ item }}" }
      with_items: [[a, b], c]
`),
    },
  },
  {
    name: 'loop_control: loop_var, index_var',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/{{ idx }}-{{ name }}", content: "{{ name }}" }
      loop: [x, y]
      loop_control: { loop_var: name, index_var: idx }
`),
    },
  },
  {
    name: 'loop_control: extended',
    files: {
      'site.yml': play(`    - copy:
        dest: "{{ out }}/{{ item }}"
        content: "{{ ansible_loop.index }}/{{ ansible_loop.length }} first={{ ansible_loop.first }} last={{ ansible_loop.last }} index0={{ ansible_loop.index0 }} revindex={{ ansible_loop.revindex }}"
      loop: [p, q, r]
      loop_control: { extended: true }
`),
    },
  },
  {
    name: '--tags tagged does not run tasks tagged never',
    extra: ['--tags', 'tagged'],
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/never", content: "n" }
      tags: [never, debugonly]
    - copy: { dest: "{{ out }}/tagged", content: "t" }
      tags: [web]
    - copy: { dest: "{{ out }}/untagged", content: "u" }
`),
    },
  },
  {
    name: 'a bare variable holding the string "false" in when',
    files: {
      'site.yml': play(
        `    - copy: { dest: "{{ out }}/ran", content: "r" }
      when: flag
`,
        '  vars: { flag: "false" }\n',
      ),
    },
  },
  {
    name: 'a failed task with ignore_errors in the recap',
    files: {
      'site.yml': play(`    - command: "false"
      ignore_errors: true
    - copy: { dest: "{{ out }}/after", content: "a" }
`),
    },
  },
  {
    name: 'combine with recursive=true merges nested mappings',
    files: {
      'site.yml': play(`    - copy:
        dest: "{{ out }}/merged.json"
        content: "{{ {'a': {'x': 1, 'y': 2}, 'b': 1} | combine({'a': {'y': 3, 'z': 4}}, recursive=true) | to_json }}"
`),
    },
  },
  {
    name: 'to_json spacing',
    files: {
      'site.yml': play(`    - copy:
        dest: "{{ out }}/j.txt"
        content: "{{ {'k': [1, 'two', {'n': none}], 'b': true} | to_json }}"
`),
    },
  },
  // Features prov already shares with Ansible: they keep the score honest.
  {
    name: 'file, copy with mode, lineinfile and a converged rerun',
    files: {
      'site.yml': play(`    - file: { path: "{{ out }}/etc", state: directory, mode: "0750" }
    - copy: { dest: "{{ out }}/etc/a.conf", content: "a=1\\nb=2\\n", mode: "0640" }
    - lineinfile: { path: "{{ out }}/etc/a.conf", regexp: "^b=", line: "b=3" }
    - lineinfile: { path: "{{ out }}/etc/a.conf", line: "c=4", insertbefore: "^a=" }
`),
    },
  },
  {
    name: 'register, changed_when and when on a registered result',
    files: {
      'site.yml': play(`    - command: "echo hi"
      register: r
      changed_when: false
    - copy: { dest: "{{ out }}/out.txt", content: "{{ r.stdout }} {{ r.rc }}" }
      when: r.rc == 0
    - copy: { dest: "{{ out }}/never.txt", content: "x" }
      when: r.stdout == 'nope'
`),
    },
  },
  {
    name: 'blockinfile with a marker',
    files: {
      'site.yml': play(`    - blockinfile: { path: "{{ out }}/b.txt", create: true, block: "one\\ntwo", marker: "# {mark} prov" }
`),
    },
  },
  {
    name: 'a handler runs once for two notifying changes',
    files: {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - copy: { dest: "{{ out }}/one", content: "1" }
      notify: h
    - copy: { dest: "{{ out }}/two", content: "2" }
      notify: h
  handlers:
    - name: h
      shell: "echo ran >> {{ out }}/handler.log"
`,
    },
  },
  {
    name: 'failed_when on a command and the recap of a failed host',
    files: {
      'site.yml': play(`    - command: "echo boom"
      register: r
      failed_when: "'boom' in r.stdout"
    - copy: { dest: "{{ out }}/not-reached", content: "x" }
`),
    },
  },
];
