import { loadAnsibleConfig } from '../config/ansible-config.js';
import { errorMessage, hostsExitCode } from '../core/errors.js';
import { loadInventory } from '../inventory/load.js';
import { verifyJson, verifyText } from '../report/verify.js';
import { mapLimit } from '../runner/batches.js';
import { openTransport } from '../runner/open-host.js';
import type { Transport } from '../core/transport.js';
import { PARALLEL_NODES, collectChecks } from '../verify/collect.js';
import { planVerify, sortRows, type CheckRow, type VerifyScope } from '../verify/plan.js';
import { connectionDefaults, inventorySources, positiveSetting, trustNewHostKeys } from './settings.js';
import { loadVaultPasswords, type VaultFlags } from './vault-passwords.js';

export interface VerifyFlags extends VerifyScope, VaultFlags {
  json?: boolean;
  trustNewHostKeys?: boolean;
  timeout?: number;
  /** -i, repeatable. */
  inventory?: string[];
}

/**
 * `prov verify [inventory]` (or -i, or the configured inventory): live checks of a deployed
 * gateway set. Plan from the inventory, open the nodes, collect the checks, print them.
 * Returns the exit code.
 */
export async function verifyCommand(positional: string | undefined, flags: VerifyFlags): Promise<number> {
  const config = loadAnsibleConfig();
  const sources = inventorySources(positional, flags.inventory, config);
  await loadVaultPasswords(flags, config);
  const plan = planVerify(await loadInventory(sources), sources.join(', '), flags);
  const transportOptions = {
    trustNewHostKeys: trustNewHostKeys(flags.trustNewHostKeys, config),
    connectTimeoutMs: positiveSetting(flags.timeout, config.timeout, 10, '--timeout') * 1000,
    connectionDefaults: connectionDefaults(config),
  };
  const open = new Map<string, Transport>();
  const rows: CheckRow[] = [];
  await mapLimit([...plan.routers, ...plan.hosts], PARALLEL_NODES, async (name) => {
    try {
      open.set(name, await openTransport(name, plan.vars[name]!, transportOptions));
    } catch (err) {
      rows.push({ node: name, check: 'reachable', ok: false, detail: errorMessage(err) });
    }
  });
  const unreachable = rows.length > 0;
  try {
    rows.push(...(await collectChecks(plan, open)));
  } finally {
    await Promise.all([...open.values()].map((t) => t.close().catch(() => undefined)));
  }
  const sorted = sortRows(plan, rows);
  process.stdout.write(flags.json ? verifyJson(sorted) : verifyText(sorted));
  // An unreachable node decides the outcome (exit 3); otherwise any failed check exits 2.
  return hostsExitCode({ failed: !unreachable && sorted.some((r) => !r.ok), unreachable });
}
