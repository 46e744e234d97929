import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { ProvError, errorMessage } from '../errors.js';
import { chaosJson, chaosTable } from '../chaos/report.js';
import { DEFAULT_OPTIONS, runChaos, type ChaosOptions, type ChaosResult } from '../chaos/run.js';
import { timelineSvg } from '../chaos/timeline.js';
import { FAULT_KINDS, type FaultKind } from '../chaos/types.js';

export interface ChaosFlags {
  tcp?: number;
  udp?: number;
  faults?: string;
  router?: string;
  warmup?: number;
  hold?: number;
  settle?: number;
  cpuLoad?: number;
  target?: string;
  svg?: string;
  json?: boolean;
}

function parseFaults(text: string | undefined): FaultKind[] {
  if (!text) return DEFAULT_OPTIONS.faults;
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) if (!(FAULT_KINDS as readonly string[]).includes(f)) throw new ProvError('options', `chaos: unknown fault '${f}' (one of ${FAULT_KINDS.join(', ')})`);
  return list as FaultKind[];
}

export function chaosOptions(flags: ChaosFlags): ChaosOptions {
  return {
    ...DEFAULT_OPTIONS,
    tcp: flags.tcp ?? DEFAULT_OPTIONS.tcp,
    udp: flags.udp ?? DEFAULT_OPTIONS.udp,
    faults: parseFaults(flags.faults),
    router: flags.router ?? DEFAULT_OPTIONS.router,
    warmupS: flags.warmup ?? DEFAULT_OPTIONS.warmupS,
    holdS: flags.hold ?? DEFAULT_OPTIONS.holdS,
    settleS: flags.settle ?? DEFAULT_OPTIONS.settleS,
    cpuLoadS: flags.cpuLoad ?? DEFAULT_OPTIONS.cpuLoadS,
    ...(flags.target ? { target: flags.target } : {}),
  };
}

/**
 * `prov chaos <inventory>` (and `prov lab chaos`, which passes the lab's inventory): runs the
 * flows, injects the faults, prints the table (or --json) and writes the SVG timeline.
 * Returns the exit code: 0 when the run completed (the figures are a measurement, not a verdict).
 */
export async function chaosCommand(inventoryPath: string, flags: ChaosFlags, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const result: ChaosResult = await runChaos(inventoryPath, chaosOptions(flags), log);
  const svg = flags.svg ?? 'chaos-timeline.svg';
  writeFileSync(svg, timelineSvg(result.faults.map((report, i) => ({ report, flows: result.flows[i]! }))));
  if (flags.json) process.stdout.write(`${JSON.stringify(chaosJson(result), null, 2)}\n`);
  else process.stdout.write(`${chaosTable(result)}\n`);
  log(`chaos: timeline written to ${svg}`);
  return 0;
}

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}
function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds');
  return n;
}

/** Adds the chaos options to a command (shared by `prov chaos` and `prov lab chaos`). */
export function addChaosOptions(cmd: Command): Command {
  return cmd
    .option('--tcp <n>', 'TCP connections per host', int, DEFAULT_OPTIONS.tcp)
    .option('--udp <n>', 'UDP streams per host', int, DEFAULT_OPTIONS.udp)
    .option('--faults <list>', `comma-separated: ${FAULT_KINDS.join(', ')} (power needs a lab)`, DEFAULT_OPTIONS.faults.join(','))
    .option('--router <name>', 'router to break', DEFAULT_OPTIONS.router)
    .option('--warmup <s>', 'seconds of flows before the fault', seconds, DEFAULT_OPTIONS.warmupS)
    .option('--hold <s>', 'seconds the fault lasts', seconds, DEFAULT_OPTIONS.holdS)
    .option('--settle <s>', 'seconds of flows after the router is back', seconds, DEFAULT_OPTIONS.settleS)
    .option('--cpu-load <s>', 'also run flows for this long with busy loops on every node and count BFD flaps', seconds, 0)
    .option('--target <address:port>', 'a receiver.mjs you run yourself (default: started in the lab\'s test-server namespace)')
    .option('--svg <file>', 'where to write the timeline', 'chaos-timeline.svg')
    .option('--json', 'print one JSON document instead of the table');
}

/** Registers `prov chaos <inventory>`. */
export function registerChaosCommands(program: Command): void {
  addChaosOptions(
    program
      .command('chaos')
      .description('measure failover and failback: long-lived flows through the routers while faults are injected on one')
      .argument('<inventory>', 'inventory of routers and hosts (a lab inventory, or any with --target)'),
  ).action(async (inventory: string, flags: ChaosFlags) => {
    try {
      process.exitCode = await chaosCommand(inventory, flags);
    } catch (err) {
      process.stderr.write(`prov: ${errorMessage(err)}\n`);
      process.exitCode = err instanceof ProvError ? err.exitCode : 1;
    }
  });
}
