/** The harmless playbook of `npm run bench:memory`: a few files under {{ work }}/<host> per host. */
export function harmlessPlaybook(): string {
  return `- hosts: all
  tasks:
    - { name: dir, file: { path: "{{ work }}/{{ inventory_hostname }}", state: directory } }
    - { name: copy, copy: { dest: "{{ work }}/{{ inventory_hostname }}/a", content: "a\\n" } }
    - { name: template, template: { src: t.ejs, dest: "{{ work }}/{{ inventory_hostname }}/t" } }
    - { name: line, lineinfile: { path: "{{ work }}/{{ inventory_hostname }}/l", line: "port=1", create: true } }
    - { name: block, blockinfile: { path: "{{ work }}/{{ inventory_hostname }}/b", create: true, block: "x" } }
    - { name: creates, command: { cmd: "touch {{ work }}/{{ inventory_hostname }}/c", creates: "{{ work }}/{{ inventory_hostname }}/c" } }
`;
}
