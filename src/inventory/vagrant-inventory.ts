/**
 * The Ansible YAML inventory of Vagrant machines (`prov inventory vagrant`): each machine's
 * HostName, Port, User and IdentityFile become ansible_host, ansible_port, ansible_user and
 * ansible_ssh_private_key_file, with ansible_become: true; machines whose name matches the
 * routers pattern (a glob, default `r[0-9]*`) go to the group routers, the others to hosts.
 * A ProxyCommand becomes `-o ProxyCommand=…` in ansible_ssh_common_args, quoted for
 * shlex.split, which is how Ansible and prov split those arguments. Vagrant turns host-key
 * checking off (UserKnownHostsFile /dev/null, StrictHostKeyChecking no); the inventory keeps
 * it on, in trust-on-first-use form: `StrictHostKeyChecking=accept-new` with the inventory's
 * own known_hosts file (`{{ inventory_dir }}/known_hosts`), never the user's.
 */
import { existsSync } from 'node:fs';
import { minimatch } from 'minimatch';
import type { VagrantMachine } from './vagrant-ssh-config.js';

export const DEFAULT_ROUTERS_PATTERN = 'r[0-9]*';
/** Where the first apply records the machines' host keys: beside the inventory file. */
export const VAGRANT_KNOWN_HOSTS = '{{ inventory_dir }}/known_hosts';

/** One word for shlex.split: bare when it holds only safe characters, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

export interface VagrantInventory {
  document: { all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> } };
  /** Lines for stderr: what the user should know about the import. */
  notes: string[];
}

export interface VagrantInventoryOptions {
  routersPattern?: string;
  /** Whether a key file exists (default: on this machine). */
  exists?: (path: string) => boolean;
}

function sshArgs(machine: VagrantMachine): string[] {
  const args: string[] = [];
  if (machine.proxyCommand !== undefined) args.push('-o', shellQuote(`ProxyCommand=${machine.proxyCommand}`));
  if (machine.hostKeysUnchecked) args.push('-o', shellQuote(`UserKnownHostsFile="${VAGRANT_KNOWN_HOSTS}"`), '-o', 'StrictHostKeyChecking=accept-new');
  return args;
}

export function vagrantInventory(machines: VagrantMachine[], options: VagrantInventoryOptions = {}): VagrantInventory {
  const pattern = options.routersPattern ?? DEFAULT_ROUTERS_PATTERN;
  const exists = options.exists ?? existsSync;
  const routers: Record<string, Record<string, unknown>> = {};
  const hosts: Record<string, Record<string, unknown>> = {};
  const notes: string[] = [];
  const tofu: string[] = [];
  for (const m of machines) {
    const vars: Record<string, unknown> = { ansible_host: m.hostName, ansible_port: m.port };
    if (m.user !== undefined) vars['ansible_user'] = m.user;
    if (m.identityFiles.length > 0) {
      // ssh tries them in order; Ansible takes one key: the first that exists here.
      const key = m.identityFiles.find((f) => exists(f)) ?? m.identityFiles[0]!;
      vars['ansible_ssh_private_key_file'] = key;
      if (m.identityFiles.length > 1)
        notes.push(`${m.name}: ${m.identityFiles.length} IdentityFile lines; using ${key}${exists(key) ? '' : ' (none of them exists here)'}`);
    }
    vars['ansible_become'] = true;
    const args = sshArgs(m);
    if (args.length > 0) vars['ansible_ssh_common_args'] = args.join(' ');
    if (m.hostKeysUnchecked) tofu.push(m.name);
    (minimatch(m.name, pattern) ? routers : hosts)[m.name] = vars;
  }
  if (tofu.length > 0) {
    notes.push(
      `${tofu.join(', ')}: Vagrant does not check host keys (UserKnownHostsFile /dev/null); their keys will be trusted on first use ` +
        `and recorded in known_hosts beside this inventory, never in ~/.ssh/known_hosts`,
    );
  }
  if (Object.keys(routers).length === 0) notes.push(`no machine matches the routers pattern '${pattern}' (--routers PATTERN)`);
  return { document: { all: { children: { routers: { hosts: routers }, hosts: { hosts } } } }, notes };
}
