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
];
