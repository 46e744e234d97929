/** The file module's registered result (path/dest and state), as published roles read it. */
import type { OracleCase } from './oracle.js';

const play = (tasks: string) => `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`;

export const FILE_RESULT_CASES: OracleCase[] = [
  {
    // weareinteractive.environment: touch, then changed only if the path was not a file before.
    name: 'file state=touch registers dest and state=file; changed_when on it',
    files: {
      'site.yml': play(`    - copy: { dest: "{{ out }}/environment", content: "A=1\\n" }
    - file: { path: "{{ out }}/environment", state: touch }
      register: touched
      changed_when: touched.state != "file"
    - copy: { dest: "{{ out }}/result.txt", content: "{{ touched.dest == out ~ '/environment' }} {{ touched.state }}\\n" }
`),
    },
  },
  {
    name: 'file registers path and state for directory, file and absent',
    files: {
      'site.yml': play(`    - file: { path: "{{ out }}/d", state: directory, mode: "0750" }
      register: d
    - file: { path: "{{ out }}/d" }
      register: same
    - file: { path: "{{ out }}/gone", state: absent }
      register: gone
    - copy:
        dest: "{{ out }}/result.txt"
        content: "{{ d.path | basename }} {{ d.state }} {{ same.state }} {{ gone.path | basename }} {{ gone.state }}\\n"
`),
    },
  },
];
