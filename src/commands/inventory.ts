import { ProvError } from '../core/errors.js';
import { inventoryHostJson, inventoryListJson, toAnsibleJsonText } from '../inventory/ansible-json.js';
import { loadInventory } from '../inventory/load.js';
import { loadAnsibleConfig } from '../config/ansible-config.js';
import { inventorySources } from './settings.js';
import { loadVaultPasswords, type VaultFlags } from './vault-passwords.js';

export interface InventoryFlags extends VaultFlags {
  list?: boolean;
  host?: string;
  /** -i, repeatable. */
  inventory?: string[];
}

/** `prov inventory [<inventory>] [-i ...] --list | --host NAME`, in ansible-inventory's JSON shape. */
export async function inventoryCommand(positional: string | undefined, flags: InventoryFlags): Promise<number> {
  if (Boolean(flags.list) === Boolean(flags.host)) throw new ProvError('options', 'prov inventory needs exactly one of --list or --host NAME');
  const config = loadAnsibleConfig();
  const sources = inventorySources(positional, flags.inventory, config);
  await loadVaultPasswords(flags, config);
  const inv = await loadInventory(sources);
  if (flags.host !== undefined) {
    if (!inv.hosts.has(flags.host)) throw new ProvError('options', `host '${flags.host}' is not in ${sources.join(', ')}`);
    process.stdout.write(`${toAnsibleJsonText(inventoryHostJson(inv, flags.host))}\n`);
  } else {
    process.stdout.write(`${toAnsibleJsonText(inventoryListJson(inv))}\n`);
  }
  return 0;
}
