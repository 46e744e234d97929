import type { Facts } from '../facts/types.js';
import type { Vars } from '../inventory/types.js';
import type { Play, Task } from '../playbook/types.js';
import { hostDataVars } from '../template/host-data.js';

/** Play-wide inputs to variable resolution (computed once per play). */
export interface PlayScope {
  play: Play;
  roleDefaults: Vars;
  roleVars: Vars;
  extraVars: Vars;
  /** The play's vars_files, read when the play starts (runner/vars-files.ts). */
  varsFiles: Vars;
  groups: Record<string, string[]>;
  /** Inventory variables of every host (Ansible's hostvars), without facts. */
  inventoryVars: Record<string, Vars>;
  check: boolean;
}

/** Per-host state that tasks build up: set_fact results and registered variables. */
export interface HostRuntime {
  facts: Facts;
  runtimeVars: Vars;
}

export function playScope(play: Play, extraVars: Vars, groups: Record<string, string[]>, inventoryVars: Record<string, Vars>, check: boolean): PlayScope {
  return {
    play,
    roleDefaults: Object.assign({}, ...play.roles.map((r) => r.defaults)),
    roleVars: Object.assign({}, ...play.roles.map((r) => r.vars)),
    extraVars,
    varsFiles: {},
    groups,
    inventoryVars,
    check,
  };
}

/**
 * The variables a host is connected with (ansible_host, ansible_port, ansible_user, ...): the
 * inventory's, then play vars, then --extra-vars, which win here too, as in Ansible.
 */
export function connectionVars(scope: PlayScope, host: string): Vars {
  return { ...scope.inventoryVars[host], ...scope.play.vars, ...scope.varsFiles, ...scope.extraVars };
}

/** Facts as Ansible-named variables, for tasks written for Ansible: data from the machine. */
function ansibleFactVars(facts: Facts): Vars {
  return hostDataVars({
    ansible_kernel: facts.kernel,
    ansible_architecture: facts.arch,
    ansible_hostname: facts.hostname,
    ansible_distribution: facts.os.id,
    ansible_distribution_version: facts.os.versionId,
    ansible_distribution_release: facts.os.codename,
    ansible_default_ipv4: { interface: facts.defaultInterface },
  });
}

/**
 * Every variable a task on `host` sees, lowest precedence first, in Ansible's order: role
 * defaults, inventory (group all, child groups, host), play vars, vars_files, role vars, task vars,
 * set_fact/register, role parameters (and the role entry's `vars:`), then --extra-vars; plus
 * Ansible's magic variables. The loop item comes on top of these (runner/task.ts).
 */
export function taskVars(scope: PlayScope, host: string, runtime: HostRuntime, hostvars: Record<string, Vars>, task?: Pick<Task, 'vars' | 'roleParams'>): Vars {
  return {
    ...ansibleFactVars(runtime.facts),
    ...scope.roleDefaults,
    ...scope.inventoryVars[host],
    ...scope.play.vars,
    ...scope.varsFiles,
    ...scope.roleVars,
    ...task?.vars,
    ...runtime.runtimeVars,
    ...task?.roleParams,
    ...scope.extraVars,
    // inventory_hostname, group_names and inventory_dir come with the inventory variables.
    inventory_hostname: host,
    groups: scope.groups,
    hostvars,
    facts: runtime.facts,
    ansible_facts: runtime.facts,
    ansible_check_mode: scope.check,
    playbook_dir: scope.play.file.replace(/\/[^/]*$/, ''),
  };
}
