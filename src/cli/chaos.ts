/** `prov chaos` and the chaos options shared with `prov lab chaos`. */
import type { Command } from 'commander';
import { DEFAULT_OPTIONS } from '../chaos/run.js';
import { FAULT_KINDS } from '../chaos/types.js';
import { chaosCommand, type ChaosFlags } from '../commands/chaos.js';
import { action } from './action.js';
import { seconds, wholeNumber } from './options.js';

/** Adds the chaos options to a command (shared by `prov chaos` and `prov lab chaos`). */
export function addChaosOptions(cmd: Command): Command {
  return cmd
    .option('--tcp <n>', 'TCP connections per host', wholeNumber, DEFAULT_OPTIONS.tcp)
    .option('--udp <n>', 'UDP streams per host', wholeNumber, DEFAULT_OPTIONS.udp)
    .option(
      '--faults <list>',
      `comma-separated: ${FAULT_KINDS.join(', ')} (power needs a lab; host-reconfigure runs networkctl reconfigure on the hosts)`,
      DEFAULT_OPTIONS.faults.join(','),
    )
    .option('--router <name>', 'router to break', DEFAULT_OPTIONS.router)
    .option('--warmup <s>', 'seconds of flows before the fault', seconds, DEFAULT_OPTIONS.warmupS)
    .option('--hold <s>', 'seconds the fault lasts', seconds, DEFAULT_OPTIONS.holdS)
    .option('--settle <s>', 'seconds of flows after the router is back', seconds, DEFAULT_OPTIONS.settleS)
    .option('--cpu-load <s>', 'also run flows for this long with busy loops on every node and count BFD flaps', seconds, 0)
    .option('--target <address:port>', "a receiver.mjs you run yourself (default: started in the lab's test-server namespace)")
    .option('--svg <file>', 'where to write the timeline (one lane per flow)', 'chaos-timeline.svg')
    .option('--png <file>', 'also write the timeline as PNG (needs @resvg/resvg-js)')
    .option('--json', 'print one JSON document instead of the table');
}

/** Registers `prov chaos <inventory>`. */
export function registerChaosCommands(program: Command): void {
  addChaosOptions(
    program
      .command('chaos')
      .description('measure failover and failback: long-lived flows through the routers while faults are injected on one')
      .argument('<inventory>', 'inventory of routers and hosts (a lab inventory, or any with --target)'),
  ).action(action((inventory: string, flags: ChaosFlags) => chaosCommand(inventory, flags)));
}
