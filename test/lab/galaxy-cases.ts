/**
 * The published roles that prov runs as Ansible does today (test/lab/galaxy-roles.test.ts). Each
 * is vendored unchanged in test/fixtures/galaxy/<role> (see its README.md for the commit and
 * licence); the vars are what a user of the role would write.
 */
import type { GalaxyRoleCase } from './galaxy-support.js';

export const GALAXY_ROLE_CASES: GalaxyRoleCase[] = [
  {
    // apt with update_cache + cache_valid_time (procps is in the image), then ansible.posix.sysctl with_items, reload.
    role: 'oefenweb.sysctl',
    vars: {
      apt_install_state: 'present',
      sysctl_settings: [
        { name: 'net.ipv4.ip_forward', value: 1 },
        { name: 'net.ipv4.conf.all.rp_filter', value: 2 },
        { name: 'net.core.somaxconn', value: 1024 },
      ],
    },
    files: ['/etc/sysctl.conf'],
    runtime: 'sysctl -n net.ipv4.ip_forward net.ipv4.conf.all.rp_filter net.core.somaxconn',
    expect: [/^net\.ipv4\.ip_forward ?= ?1$/m, /^net\.core\.somaxconn ?= ?1024$/m, /== runtime\n1\n2\n1024\n/],
  },
  {
    // file: state=touch + register + changed_when on the result's state, lineinfile over with_dict.
    role: 'weareinteractive.environment',
    vars: { environment_config: { LC_ALL: 'C', EDITOR: 'vim', http_proxy: 'http://proxy.example.test:3128' } },
    files: ['/etc/environment'],
    expect: [/^LC_ALL='C'$/m, /^EDITOR='vim'$/m, /^http_proxy='http:\/\/proxy\.example\.test:3128'$/m, /^644 root:root regular/m],
  },
  {
    // A Jinja2 template file ({% if %}, {% for %}, an {% include %} in a branch not taken) with ansible_managed.
    role: 'bertvv.hosts',
    vars: {
      hosts_add_default_ipv4: false,
      hosts_add_basic_ipv6: true,
      hosts_entries: [
        { ip: '192.168.100.20', name: 'r1.lab.test', aliases: ['r1'] },
        { ip: '198.51.100.10', name: 'server.lab.test' },
      ],
    },
    files: ['/etc/hosts'],
    expect: [/^# Ansible managed$/m, /^192\.168\.100\.20 {2}r1\.lab\.test r1$/m, /^::1 {6}localhost6/m, /^644 root:root regular/m],
  },
];
