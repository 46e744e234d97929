/**
 * `prov render cloud-init [inventory] --host NAME | --group GROUP [--out-dir DIR]`: first-boot
 * user-data that does what the playbook (default playbooks/site.yml: the host role) does on each
 * host, with no SSH step (src/cloud-init). docs/cloud-init.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderCloudInit, type RenderedHost } from '../cloud-init/render.js';
import { loadAnsibleConfig } from '../config/ansible-config.js';
import { ProvError } from '../core/errors.js';
import type { Inventory } from '../inventory/types.js';
import { loadInventory } from '../inventory/load.js';
import { selectHosts } from '../inventory/patterns.js';
import { loadPlaybook } from '../playbook/load.js';
import { validatePlaybook } from '../runner/validate.js';
import { DEFAULT_PLAYBOOK } from './apply.js';
import { parseExtraVars } from './extra-vars.js';
import { inventorySources } from './settings.js';
import { loadVaultPasswords, type VaultFlags } from './vault-passwords.js';

export interface RenderFlags extends VaultFlags {
  inventory?: string[];
  host?: string[];
  group?: string;
  outDir?: string;
  playbook?: string;
  rolesPath?: string[];
  extraVars?: string[];
  release?: string;
  network?: string;
  imdsEndpoint?: string;
}

function hostsToRender(inventory: Inventory, flags: RenderFlags, where: string): string[] {
  if ((flags.host?.length ?? 0) > 0 && flags.group !== undefined) throw new ProvError('options', 'render cloud-init: give --host or --group, not both');
  if (flags.group !== undefined) {
    if (!inventory.groups.has(flags.group)) throw new ProvError('options', `render cloud-init: --group '${flags.group}' is not a group of ${where}`);
    const hosts = selectHosts(inventory, flags.group);
    if (hosts.length === 0) throw new ProvError('options', `render cloud-init: group '${flags.group}' has no hosts`);
    return hosts;
  }
  if (!flags.host?.length) throw new ProvError('options', 'render cloud-init: give --host NAME (repeatable) or --group GROUP');
  const unknown = flags.host.find((h) => !inventory.hosts.has(h));
  if (unknown) throw new ProvError('options', `render cloud-init: --host '${unknown}' is not a host of ${where}`);
  return flags.host;
}

/** Renders every host asked for; each one's user-data as a string, in order. */
export async function renderHosts(positional: string | undefined, flags: RenderFlags): Promise<RenderedHost[]> {
  const config = loadAnsibleConfig();
  const sources = inventorySources(positional, flags.inventory, config);
  const where = sources.join(', ');
  await loadVaultPasswords(flags, config);
  const inventory = await loadInventory(sources);
  const playbookPath = flags.playbook ?? DEFAULT_PLAYBOOK;
  const playbook = await loadPlaybook(playbookPath, [...(flags.rolesPath ?? []), ...(config.rolesPath ?? [])]);
  validatePlaybook(playbook);
  const extraVars = await parseExtraVars(flags.extraVars ?? []);
  const out: RenderedHost[] = [];
  for (const host of hostsToRender(inventory, flags, where)) {
    out.push(
      await renderCloudInit({
        inventory,
        playbook,
        host,
        extraVars,
        release: flags.release,
        network: flags.network,
        imdsEndpoint: flags.imdsEndpoint,
        source: [`Rendered by prov render cloud-init from ${where} and ${playbookPath}; render it again after a change.`],
      }),
    );
  }
  return out;
}

/** The command: prints the user-data (one host), or each host's after a `# ==== host NAME` line, or writes DIR/NAME.user-data. */
export async function renderCommand(positional: string | undefined, flags: RenderFlags): Promise<number> {
  const rendered = await renderHosts(positional, flags);
  if (flags.outDir !== undefined) {
    const dir = resolve(flags.outDir);
    mkdirSync(dir, { recursive: true });
    for (const r of rendered) {
      const file = join(dir, `${r.host}.user-data`);
      writeFileSync(file, r.userData, { mode: 0o600 });
      process.stderr.write(`${file}\n`);
    }
    return 0;
  }
  if (rendered.length === 1) {
    process.stdout.write(rendered[0]!.userData);
    return 0;
  }
  for (const r of rendered) process.stdout.write(`# ==== prov render cloud-init: host ${r.host} (its user-data starts at the next line) ====\n${r.userData}`);
  return 0;
}
