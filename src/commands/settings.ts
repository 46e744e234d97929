/**
 * What a command runs with, from its flags and the Ansible configuration (src/config): a flag
 * beats an ANSIBLE_* variable, which beats ansible.cfg, which beats prov's default.
 *
 * The inventory of a command: `-i` (repeatable, merged in order), else the positional argument,
 * else the configured one (ANSIBLE_INVENTORY, else ansible.cfg [defaults] inventory). For
 * `prov apply`, see applyTargets.
 */
import type { AnsibleConfig } from '../config/ansible-config.js';
import { ProvError } from '../core/errors.js';
import type { ConnectionDefaults } from '../inventory/connection.js';
import { warn } from '../core/warnings.js';

function configured(config: AnsibleConfig | undefined): string[] {
  if (config?.inventory?.length) return config.inventory;
  throw new ProvError('options', 'no inventory: give one as an argument or with -i, or set ANSIBLE_INVENTORY or inventory in ansible.cfg [defaults]');
}

/** `prov inventory` / `prov verify`: one positional inventory, or -i, never both. */
export function inventorySources(positional: string | undefined, flagSources: string[] | undefined, config?: AnsibleConfig): string[] {
  if (flagSources?.length) {
    if (positional !== undefined) throw new ProvError('options', `give the inventory either as an argument or with -i, not both ('${positional}' and -i)`);
    return flagSources;
  }
  if (positional !== undefined) return [positional];
  return configured(config);
}

/**
 * `prov apply [inventory] [playbook]` with optional -i and --playbook: the inventory sources and
 * the playbook. Without -i the arguments are `[inventory] [playbook]`, as they always were; with
 * -i, a single argument is the playbook; --playbook names the playbook in place of an argument
 * (so `prov apply --playbook site.yml` runs it on the configured inventory).
 */
export function applyTargets(
  first: string | undefined,
  second: string | undefined,
  flagSources: string[] | undefined,
  flagPlaybook: string | undefined,
  config: AnsibleConfig,
): { sources: string[]; playbook?: string } {
  const args = [first, second].filter((a): a is string => a !== undefined);
  const inventoryArgs = flagSources?.length ? 0 : flagPlaybook !== undefined ? 1 : args.length ? 1 : 0;
  const [inventoryArg] = args.slice(0, inventoryArgs);
  const playbookArgs = args.slice(inventoryArgs);
  if (flagPlaybook !== undefined && playbookArgs.length) {
    throw new ProvError('options', `give the playbook either as an argument or with --playbook, not both ('${playbookArgs[0]}' and --playbook)`);
  }
  if (playbookArgs.length > 1) throw new ProvError('options', `with -i, give at most one argument (the playbook), got '${first}' and '${second}'`);
  const playbook = flagPlaybook ?? playbookArgs[0];
  const sources = flagSources?.length ? flagSources : inventoryArg !== undefined ? [inventoryArg] : configured(config);
  return playbook === undefined ? { sources } : { sources, playbook };
}

/** A positive integer setting: the flag, else the configured value, else the default. */
export function positiveSetting(flag: number | undefined, configuredValue: number | undefined, fallback: number, name: string): number {
  const n = flag ?? configuredValue ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw new ProvError('options', `${name} must be a positive integer, not ${n}`);
  return n;
}

/**
 * Host key checking: --trust-new-host-keys, else host_key_checking from the configuration.
 * host_key_checking = false makes prov accept and record the key of a host it does not know yet
 * (trust on first use, as --trust-new-host-keys); a known host whose key changed is still refused,
 * because turning that off too would let any machine in the path impersonate a router. It is
 * never silent: a warning says where the setting came from.
 */
export function trustNewHostKeys(flag: boolean | undefined, config: AnsibleConfig | undefined): boolean {
  if (flag) return true;
  if (config?.hostKeyChecking !== false) return false;
  warn(
    `host_key_checking is false (${config.origin.hostKeyChecking}): prov accepts and records the SSH host key of every host it has not seen before, ` +
      'without checking it (as --trust-new-host-keys); a host whose recorded key changed is still refused',
  );
  return true;
}

export function connectionDefaults(config: AnsibleConfig | undefined): ConnectionDefaults {
  const d: ConnectionDefaults = {};
  if (config?.remoteUser) d.user = config.remoteUser;
  if (config?.privateKeyFile) d.privateKeyFile = config.privateKeyFile;
  if (config?.become !== undefined) d.become = config.become;
  if (config?.becomeUser) d.becomeUser = config.becomeUser;
  return d;
}

/**
 * Without -f or a configured forks, every host runs at once up to 50 (Ansible users set 25-50;
 * Ansible's own 5 turns 20 hosts into four waves of round trips).
 */
export const MAX_DEFAULT_FORKS = 50;
export function defaultForks(hosts: number): number {
  return Math.min(MAX_DEFAULT_FORKS, Math.max(1, hosts));
}
