import { writeFileSync } from 'node:fs';
import { ExitCode, ProvError } from '../core/errors.js';
import { chaosJson, chaosTable } from '../chaos/report.js';
import { DEFAULT_OPTIONS, runChaos, type ChaosOptions, type ChaosResult } from '../chaos/run.js';
import { laneTimelineSvg } from '../chaos/lanes.js';
import { svgToPng } from '../chaos/png.js';
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
  png?: string;
  json?: boolean;
}

function parseFaults(text: string | undefined): FaultKind[] {
  if (!text) return DEFAULT_OPTIONS.faults;
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of list)
    if (!(FAULT_KINDS as readonly string[]).includes(f)) throw new ProvError('options', `chaos: unknown fault '${f}' (one of ${FAULT_KINDS.join(', ')})`);
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
export async function chaosCommand(
  inventoryPath: string,
  flags: ChaosFlags,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const result: ChaosResult = await runChaos(inventoryPath, chaosOptions(flags), log);
  const svg = flags.svg ?? 'chaos-timeline.svg';
  const picture = laneTimelineSvg(result.faults.map((report, i) => ({ report, flows: result.flows[i]! })));
  writeFileSync(svg, picture);
  if (flags.png) writeFileSync(flags.png, await svgToPng(picture));
  if (flags.json) process.stdout.write(`${JSON.stringify(chaosJson(result), null, 2)}\n`);
  else process.stdout.write(`${chaosTable(result)}\n`);
  log(`chaos: timeline written to ${svg}${flags.png ? ` and ${flags.png}` : ''}`);
  return ExitCode.ok;
}
