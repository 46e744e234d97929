import { errorMessage, hostsExitCode } from '../errors.js';
import { loadInventory } from '../inventory/load.js';
import { verifyJson, verifyText } from '../report/verify.js';
import { mapLimit } from '../runner/batches.js';
import { openTransport } from '../runner/open-host.js';
import type { Transport } from '../transport/transport.js';
import { PARALLEL_NODES, collectChecks } from '../verify/collect.js';
import { planVerify, sortRows, type CheckRow, type VerifyScope } from '../verify/plan.js';

export interface VerifyFlags extends VerifyScope {
  json?: boolean;
  trustNewHostKeys?: boolean;
  timeout?: number;
}

/**
 * `prov verify <inventory>`: live checks of a deployed gateway set. Plan from the inventory,
 * open the nodes, collect the checks, print them. Returns the exit code.
 */
export async function verifyCommand(inventoryPath: string, flags: VerifyFlags): Promise<number> {
  const plan = planVerify(await loadInventory(inventoryPath), inventoryPath, flags);
  const open = new Map<string, Transport>();
  const rows: CheckRow[] = [];
  const transportOptions = { trustNewHostKeys: Boolean(flags.trustNewHostKeys), connectTimeoutMs: (flags.timeout ?? 10) * 1000 };
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
