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
];
