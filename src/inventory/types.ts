/** The inventory as prov holds it after loading Ansible YAML or INI inventories (src/inventory/load.ts). */
export type Vars = Record<string, unknown>;

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly under this group, in file order. */
  hosts: string[];
  /** Child group names, in file order. */
  children: string[];
  /** The group's own vars: inline `vars:` merged with group_vars/<name>(.yml|/). */
  vars: Vars;
  /** Optional split of `vars` (added for Ansible's precedence: group_vars/all beats inline child-group vars). */
  inlineVars?: Vars;
  fileVars?: Vars;
  /** ansible_group_priority (default 1): orders groups of equal depth when merging vars; not itself a variable. */
  priority?: number;
}

export interface InventoryHost {
  name: string;
  /** Host-level vars: inline host vars merged with host_vars/<name>(.yml|/). */
  vars: Vars;
  /** Optional split of `vars`: inline inventory vars, and vars from host_vars/ files. */
  inlineVars?: Vars;
  fileVars?: Vars;
  /** The inventory file the host was first seen in (Ansible's inventory_file). */
  file?: string;
}

export interface Inventory {
  /** Absolute path of the (first) inventory source: a file or a directory. */
  source: string;
  /** Every inventory source, in the order given (`-i` several times). */
  sources?: string[];
  hosts: Map<string, InventoryHost>;
  /** Always has "all" and "ungrouped", as Ansible does. */
  groups: Map<string, InventoryGroup>;
}

/** How to reach a host, from its merged variables. */
export interface Connection {
  /** ansible_host, or the inventory name. */
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string;
  become: boolean;
  becomeUser: string;
  /** Extra known_hosts file named in the inventory (prov_known_hosts_file, or UserKnownHostsFile in ansible_ssh_common_args). */
  knownHostsFile?: string;
  /** `-o StrictHostKeyChecking=accept-new` in the ssh arguments: record an unknown host key instead of refusing it. */
  trustNewHostKeys?: boolean;
  /** ansible_connection: "ssh" (default) or "local". */
  kind: 'ssh' | 'local';
  /** How the SSH connection is carried: a jump host chain (ProxyJump / -J) or a ProxyCommand (src/inventory/ssh-args.ts). */
  proxy?: SshProxy;
}

/** One hop of a ProxyJump chain: `[user@]address[:port]`. */
export interface JumpHost {
  /** The hop's user (the controller's user when the spec names none, as ssh does). */
  user: string;
  address: string;
  port: number;
}

/** `-o ProxyJump=a,b` / `-J a,b` (hops in order), or `-o ProxyCommand=…` (%h, %p, %r, %n, %% not yet expanded). */
export type SshProxy = { kind: 'jump'; hops: JumpHost[] } | { kind: 'command'; command: string };
