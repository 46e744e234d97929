/** Oracle cases for task-level keywords and result tests: until/retries, run_once, delegate_to, `is changed`… */
import type { OracleCase } from './oracle.js';

const play = (tasks: string, head = '') => `- hosts: localhost\n  gather_facts: false\n${head}  tasks:\n${tasks}`;

export const TASK_CASES: OracleCase[] = [
  {
    name: 'result tests: is changed, is skipped, is succeeded, is failed in when',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/a.txt", content: "a" }
      register: wrote
    - command: "true"
      when: false
      register: never
    - command: "false"
      register: bad
      ignore_errors: true
    - copy: { dest: "{{ out }}/changed.txt", content: "changed" }
      when: wrote is changed
    - copy: { dest: "{{ out }}/unchanged.txt", content: "unchanged" }
      when: wrote is not changed
    - copy: { dest: "{{ out }}/skipped.txt", content: "{{ never is skipped }} {{ wrote is skipped }}" }
      when: never is skipped
    - copy: { dest: "{{ out }}/status.txt", content: "{{ bad is failed }} {{ bad is failure }} {{ wrote is succeeded }} {{ wrote is success }} {{ bad is success }}" }
`),
    },
  },
  {
    name: 'result tests on a loop result: is changed when one item changed',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/{{ item }}", content: "{{ item }}" }
      loop: [x, y]
      register: many
    - copy: { dest: "{{ out }}/loop.txt", content: "{{ many is changed }} {{ many.results[0] is changed }} {{ many is skipped }} {{ many is failed }}" }
`),
    },
  },
  {
    name: 'until: succeeds on the second attempt (a counter file), attempts registered',
    files: {
      'site.yml': play(`    - shell: "n=$(cat {{ out }}/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{ out }}/count; echo $n"
      register: r
      until: r.stdout | int >= 2
      delay: 0
    - copy: { dest: "{{ out }}/attempts.txt", content: "{{ r.attempts }} {{ r is changed }} {{ r is failed }}" }
`),
    },
  },
  {
    name: 'until: a failing attempt is retried until it succeeds',
    files: {
      'site.yml': play(`    - shell: "test -f {{ out }}/flag || { touch {{ out }}/flag; exit 1; }"
      register: r
      until: r.rc == 0
      retries: 2
      delay: 0
    - copy: { dest: "{{ out }}/rc.txt", content: "{{ r.rc }} {{ r.attempts }}" }
`),
    },
  },
  {
    name: 'until: retries exhausted fail the task (ignore_errors), attempts one less than made',
    files: {
      'site.yml': play(`    - command: "false"
      register: r
      until: r.rc == 0
      retries: 2
      delay: 0
      ignore_errors: true
    - copy: { dest: "{{ out }}/r.txt", content: "{{ r.attempts }} {{ r is failed }} {{ r.rc }}" }
`),
    },
  },
  {
    name: 'until: retries exhausted fail the host',
    files: {
      'site.yml': play(
        `    - command: "false"
      register: r
      until: r.rc == 0
      retries: "{{ tries }}"
      delay: 0
    - copy: { dest: "{{ out }}/never.txt", content: "not reached" }
`,
        '  vars: { tries: 1 }\n',
      ),
    },
  },
  {
    name: 'until in a loop: retried per item',
    files: {
      'site.yml': play(`    - shell: "n=$(cat {{ out }}/{{ item }} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{ out }}/{{ item }}; echo $n"
      loop: [a, b]
      register: r
      until: r.stdout | int >= 2
      delay: 0
    - copy: { dest: "{{ out }}/attempts.txt", content: "{{ r.results | map(attribute='attempts') | list }} {{ r is changed }}" }
`),
    },
  },
  {
    name: 'until with retries 0: one attempt, the condition is not looked at',
    files: {
      'site.yml': play(`    - command: "false"
      register: r
      until: r.rc == 0
      retries: 0
      ignore_errors: true
    - copy: { dest: "{{ out }}/r.txt", content: "{{ r.attempts }} {{ r is failed }}" }
`),
    },
  },
  {
    name: 'until in --check: a copy predicted changed satisfies the condition',
    extra: ['--check'],
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/c.txt", content: "c" }
      register: c
      until: c is changed
      delay: 0
`),
    },
  },
  {
    name: 'run_once with register: the first host of each serial batch runs it, every host of the batch gets the result',
    hosts: ['other', 'third'],
    files: {
      'site.yml': `- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - command: "echo ran on {{ inventory_hostname }}"
      run_once: true
      register: r
    - copy: { dest: "{{ out }}/ran-{{ inventory_hostname }}", content: "x" }
      run_once: true
    - copy: { dest: "{{ out }}/seen-by-{{ inventory_hostname }}", content: "{{ r.stdout }} {{ r is changed }}" }
`,
    },
  },
  {
    name: 'run_once: set_fact reaches every host, when is evaluated on the first host only',
    hosts: ['other'],
    files: {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { picked: "{{ inventory_hostname }}" }
      run_once: true
    - command: "echo never"
      run_once: true
      when: inventory_hostname != 'localhost'
      register: s
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: "{{ picked }} {{ s is skipped }}" }
`,
    },
  },
  {
    name: 'run_once: a failure fails every host of the batch',
    hosts: ['other'],
    files: {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: "false"
      run_once: true
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: "not reached" }
`,
    },
  },
  {
    name: 'run_once in --check',
    hosts: ['other'],
    extra: ['--check'],
    files: {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ out }}/once", content: "once" }
      run_once: true
      register: c
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: "changed={{ c is changed }}" }
`,
    },
  },
  {
    name: "delegate_to localhost: runs on the controller with each inventory host's variables",
    hosts: ['other'],
    files: {
      'site.yml': `- hosts: all
  gather_facts: false
  vars: { ctl: 127.0.0.1 }
  tasks:
    - copy: { dest: "{{ out }}/from-{{ inventory_hostname }}", content: "{{ inventory_hostname }} {{ colour }}\\n" }
      delegate_to: localhost
      register: c
      vars: { colour: "{{ 'blue' if inventory_hostname == 'other' else 'red' }}" }
    - copy: { dest: "{{ out }}/templated-{{ inventory_hostname }}", content: "changed={{ c is changed }}" }
      delegate_to: "{{ ctl }}"
    - copy: { dest: "{{ out }}/once", content: "once\\n" }
      delegate_to: localhost
      run_once: true
`,
    },
  },
  {
    name: 'delegate_to localhost in --check',
    hosts: ['other'],
    extra: ['--check'],
    files: {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: "x" }
      delegate_to: localhost
`,
    },
  },
  {
    name: 'to_nice_yaml and to_yaml into files',
    files: {
      'site.yml': play(
        `    - copy:
        dest: "{{ out }}/nice.yml"
        content: "{{ conf | to_nice_yaml }}"
    - copy:
        dest: "{{ out }}/nice2.yml"
        content: "{{ conf | to_nice_yaml(indent=2, width=40) }}"
    - copy:
        dest: "{{ out }}/flow.yml"
        content: "{{ conf | to_yaml }}"
`,
        `  vars:
    conf:
      name: "web: front"
      port: 8080
      enabled: true
      nothing: null
      version: "1.10"
      answers: ["yes", "no", 'it''s']
      empty_list: []
      empty_map: {}
      motd: "Welcome\\nto the machine\\n"
      greeting: "héllo wörld"
      users:
        - { name: alice, groups: [wheel, dev] }
        - { name: bob, groups: [] }
      description: "a long line of words that goes on and on past the width so that PyYAML folds it"
`,
      ),
    },
  },
  {
    name: 'file state=link and state=hard: created, repointed, idempotent',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/v1.txt", content: "one" }
    - copy: { dest: "{{ out }}/v2.txt", content: "two" }
    - file: { path: "{{ out }}/current", src: "{{ out }}/v1.txt", state: link }
    - file: { path: "{{ out }}/current", src: v2.txt, state: link }
    - file: { path: "{{ out }}/hard.txt", src: "{{ out }}/v1.txt", state: hard }
    - file: { path: "{{ out }}/hard.txt", src: "{{ out }}/v1.txt", state: hard }
      register: again
    - copy: { dest: "{{ out }}/again.txt", content: "changed={{ again is changed }}" }
`),
    },
  },
  {
    name: 'file state=link and state=hard in --check',
    extra: ['--check'],
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/v1.txt", content: "one" }
      check_mode: false
    - file: { path: "{{ out }}/l", src: "{{ out }}/v1.txt", state: link }
    - file: { path: "{{ out }}/h", src: "{{ out }}/v1.txt", state: hard }
`),
    },
  },
];
