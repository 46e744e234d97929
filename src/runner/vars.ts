import type { Facts } from '../core/facts.js';
import type { Vars } from '../inventory/types.js';
import type { Play, Task } from '../playbook/types.js';
import { selectAnsibleFacts } from '../facts/ansible/subset.js';
import { asHostData, hostDataVars } from '../template/host-data.js';

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

/** A play's view of a host's facts, computed once per (facts, play). */
interface FactView {
  /** Ansible's `ansible_facts` ({} when the play does not gather facts). */
  ansibleFacts: Vars;
  /** The facts injected as variables (INJECT_FACTS_AS_VARS): `ansible_<name>`, gather_subset, module_setup. */
  injected: Vars;
}

/** A fact's variable name: `ansible_<name>`, but gather_subset and module_setup as they are (as Ansible injects them). */
function injectedName(fact: string): string {
  return fact === 'gather_subset' || fact === 'module_setup' ? fact : `ansible_${fact}`;
}

const factViews = new WeakMap<Facts, WeakMap<Play, FactView>>();
const provViews = new WeakMap<Facts, unknown>();

function factView(play: Play, facts: Facts): FactView {
  let perPlay = factViews.get(facts);
  if (!perPlay) factViews.set(facts, (perPlay = new WeakMap()));
  let view = perPlay.get(play);
  if (!view) {
    const selected = play.gatherFacts ? selectAnsibleFacts(facts.ansible ?? {}, play.gatherSubset ?? ['all']) : {};
    const injected = Object.fromEntries(Object.entries(selected).map(([k, v]) => [injectedName(k), v]));
    view = { ansibleFacts: asHostData(selected) as Vars, injected: hostDataVars(injected) };
    perPlay.set(play, view);
  }
  return view;
}

/** prov's own facts (`prov_facts`), without the Ansible-shaped part. */
function provFacts(facts: Facts): unknown {
  let view = provViews.get(facts);
  if (view === undefined) {
    const { ansible: _ansible, ...own } = facts;
    provViews.set(facts, (view = asHostData(own)));
  }
  return view;
}

/** The fact variables of a host in a play, as hostvars shows them: the injected facts and ansible_facts. */
export function hostFactVars(play: Play, facts: Facts | undefined): Vars {
  if (!facts) return {};
  const view = factView(play, facts);
  // hostvars as a whole is host data, so its values are plain: the marked copy's own entries.
  const injected = Object.entries(view.ansibleFacts).map(([k, v]) => [injectedName(k), v]);
  return { ...Object.fromEntries(injected), ansible_facts: view.ansibleFacts };
}

/**
 * Every variable a task on `host` sees, lowest precedence first, in Ansible's order: role
 * defaults, inventory (group all, child groups, host), the host's facts as `ansible_*` variables
 * (when the play gathers facts), play vars, vars_files, role vars, task vars,
 * set_fact/register, role parameters (and the role entry's `vars:`), then --extra-vars; plus
 * Ansible's magic variables. The loop item comes on top of these (runner/task.ts).
 */
export function taskVars(
  scope: PlayScope,
  host: string,
  runtime: HostRuntime,
  hostvars: Record<string, Vars>,
  task?: Pick<Task, 'vars' | 'roleParams' | 'roleScope'>,
): Vars {
  const facts = factView(scope.play, runtime.facts);
  return {
    ...scope.roleDefaults,
    ...task?.roleScope?.defaults,
    ...scope.inventoryVars[host],
    ...facts.injected,
    ...scope.play.vars,
    ...scope.varsFiles,
    ...scope.roleVars,
    ...task?.roleScope?.vars,
    ...task?.vars,
    ...runtime.runtimeVars,
    ...task?.roleParams,
    ...scope.extraVars,
    // inventory_hostname, group_names and inventory_dir come with the inventory variables.
    inventory_hostname: host,
    groups: scope.groups,
    hostvars,
    prov_facts: provFacts(runtime.facts),
    ansible_facts: facts.ansibleFacts,
    ansible_check_mode: scope.check,
    playbook_dir: scope.play.file.replace(/\/[^/]*$/, ''),
  };
}
