import { ProvError } from '../errors.js';
import { inventoryHostJson, inventoryListJson, toAnsibleJsonText } from '../inventory/ansible-json.js';
import { loadInventory } from '../inventory/load.js';

/** `prov inventory <file> --list | --host NAME`, in ansible-inventory's JSON shape. */
export async function inventoryCommand(path: string, flags: { list?: boolean; host?: string }): Promise<number> {
  if (Boolean(flags.list) === Boolean(flags.host)) throw new ProvError('options', 'prov inventory needs exactly one of --list or --host NAME');
  const inv = await loadInventory(path);
  if (flags.host !== undefined) {
    if (!inv.hosts.has(flags.host)) throw new ProvError('options', `host '${flags.host}' is not in ${path}`);
    process.stdout.write(`${toAnsibleJsonText(inventoryHostJson(inv, flags.host))}\n`);
  } else {
    process.stdout.write(`${toAnsibleJsonText(inventoryListJson(inv))}\n`);
  }
  return 0;
}
