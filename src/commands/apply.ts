import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAnsibleConfig } from '../config/ansible-config.js';
import { ProvError } from '../core/errors.js';
import { loadInventory } from '../inventory/load.js';
import { selectHosts } from '../inventory/patterns.js';
import { loadPlaybook } from '../playbook/load.js';
import { JsonReporter } from '../report/json.js';
import { ListrReporter } from '../report/listr.js';
import { PlainReporter } from '../report/plain.js';
import { transportOpener } from '../runner/open-host.js';
import { runPlaybook } from '../runner/run.js';
import type { Reporter } from '../runner/types.js';
import { playHasTask } from '../runner/start-at.js';
import { validatePlaybook } from '../runner/validate.js';
import { parseExtraVars } from './extra-vars.js';
import { loadVaultPasswords, type VaultFlags } from './vault-passwords.js';
import { listPlaybook } from './list.js';
import { DEFAULT_SETUP_RETRIES } from '../transport/setup-retries.js';
import { applyTargets, connectionDefaults, defaultForks, positiveSetting, trustNewHostKeys } from './settings.js';

export const DEFAULT_PLAYBOOK = resolve(fileURLToPath(import.meta.url), '../../../playbooks/site.yml');

export interface ApplyFlags extends VaultFlags {
  check?: boolean;
  diff?: boolean;
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  role?: string[];
  forks?: number;
  json?: boolean;
  extraVars?: string[];
  rolesPath?: string[];
  trustNewHostKeys?: boolean;
  timeout?: number;
  /** Further SSH connection setups after one that failed in a way that may pass (never a command). */
  retries?: number;
  /** Commit-confirmed routing: seconds before an unconfirmed routing change rolls back (0: off). */
  confirmTimeout?: number;
  drain?: string[];
  /** In a terminal, a line per host under every task (the plain output always has them). */
  verbose?: boolean;
  listHosts?: boolean;
  listTasks?: boolean;
  listTags?: boolean;
  /** Start at the first task with this name (or glob), as ansible-playbook --start-at-task. */
  startAtTask?: string;
  /** -i, repeatable: the inventory sources (then the one positional argument is the playbook). */
  inventory?: string[];
  /** --playbook: the playbook, in place of a positional argument. */
  playbook?: string;
}

function humanReporter(flags: ApplyFlags, write: (line: string) => void): Reporter {
  const o = { write, diff: Boolean(flags.diff), check: Boolean(flags.check), verbose: Boolean(flags.verbose) };
  const tty = process.stdout.isTTY && !process.env.CI && !flags.json;
  return tty ? new ListrReporter(o) : new PlainReporter(o);
}

/**
 * `prov apply [inventory] [playbook]` (or `-i inventory... [playbook]`, or neither: the configured
 * inventory): returns the exit code. Flags beat ANSIBLE_* variables, which beat ansible.cfg.
 */
export async function applyCommand(first: string | undefined, second: string | undefined, flags: ApplyFlags): Promise<number> {
  const config = loadAnsibleConfig();
  const { sources, playbook: playbookPath } = applyTargets(first, second, flags.inventory, flags.playbook, config);
  const inventoryPath = sources.join(', ');
  const timeout = positiveSetting(flags.timeout, config.timeout, 10, '--timeout');
  await loadVaultPasswords(flags, config);
  const inventory = await loadInventory(sources);
  const forks = positiveSetting(flags.forks, config.forks, defaultForks(inventory.hosts.size), '--forks');
  // --roles-path directories are searched first, then the configured roles_path.
  const playbook = await loadPlaybook(playbookPath ?? DEFAULT_PLAYBOOK, [...(flags.rolesPath ?? []), ...(config.rolesPath ?? [])]);
  validatePlaybook(playbook);
  const extraVars = await parseExtraVars(flags.extraVars ?? []);
  if (flags.drain?.length) {
    const unknown = flags.drain.find((h) => !inventory.hosts.has(h));
    if (unknown) throw new ProvError('options', `--drain '${unknown}' is not a host of ${inventoryPath}`);
    // The router role reads prov_drain: a drained router stops attracting new flows and waits for
    // its established ones to finish before anything restarts it.
    extraVars.prov_drain = flags.drain;
  }
  if (flags.limit && selectHosts(inventory, flags.limit).length === 0) {
    throw new ProvError('options', `--limit '${flags.limit}' matches no host of ${inventoryPath}`);
  }
  const knownRoles = new Set(playbook.plays.flatMap((p) => p.roles.map((r) => r.name)));
  const unknownRole = (flags.role ?? []).find((r) => !knownRoles.has(r));
  if (unknownRole) throw new ProvError('options', `--role '${unknownRole}' is not a role of ${playbook.file} (roles: ${[...knownRoles].join(', ') || 'none'})`);
  if (flags.startAtTask !== undefined && !playbook.plays.some((p) => playHasTask(p, flags.startAtTask!))) {
    throw new ProvError('options', `--start-at-task: no task named '${flags.startAtTask}' in ${playbook.file} (it can only follow static imports)`);
  }
  if (flags.listHosts || flags.listTasks || flags.listTags) {
    process.stdout.write(
      listPlaybook(playbook, playbookPath ?? DEFAULT_PLAYBOOK, inventory, {
        hosts: Boolean(flags.listHosts),
        tasks: Boolean(flags.listTasks),
        tagsList: Boolean(flags.listTags),
        limit: flags.limit,
        tags: flags.tags ?? [],
        skipTags: flags.skipTags ?? [],
        roles: flags.role ?? [],
      }),
    );
    return 0;
  }
  const human = humanReporter(flags, (line) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`));
  const reporter = flags.json ? new JsonReporter((text) => process.stdout.write(`${text}\n`), human) : human;
  const result = await runPlaybook({
    inventory,
    playbook,
    check: Boolean(flags.check),
    diff: Boolean(flags.diff),
    limit: flags.limit,
    tags: flags.tags ?? [],
    skipTags: flags.skipTags ?? [],
    roles: flags.role ?? [],
    startAtTask: flags.startAtTask,
    forks,
    confirmTimeout: flags.confirmTimeout,
    extraVars,
    reporter,
    open: transportOpener({
      trustNewHostKeys: trustNewHostKeys(flags.trustNewHostKeys, config),
      connectTimeoutMs: timeout * 1000,
      connectRetries: flags.retries ?? DEFAULT_SETUP_RETRIES,
      connectionDefaults: connectionDefaults(config),
    }),
  });
  return result.exitCode;
}
