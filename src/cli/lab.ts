import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { chaosCommand, type ChaosFlags } from '../commands/chaos.js';
import { renderHosts } from '../commands/render.js';
import { ExitCode, ProvError } from '../core/errors.js';
import { labDown } from '../lab/down.js';
import { defaultInventoryPath, keyDirFor } from '../lab/inventory.js';
import { parseName, parseUpOptions } from '../lab/options.js';
import { labKeys, sshArgs } from '../lab/ssh.js';
import { readState } from '../lab/state.js';
import { statusText } from '../lab/status.js';
import { NODE_IFACES } from '../lab/topology.js';
import { labUp } from '../lab/up.js';
import { shellJoin } from '../core/transport.js';
import { action } from './action.js';
import { addChaosOptions } from './chaos.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Registers `prov lab …` subcommands. */
export function registerLabCommands(program: Command): void {
  const lab = program.command('lab').description('local lab: Debian nodes as systemd-nspawn containers in network namespaces');

  lab
    .command('up')
    .description('build the image if needed, boot the lab and write its inventory')
    .option('--routers <n>', 'number of routers', '2')
    .option('--hosts <n>', 'number of hosts', '1')
    .option('--release <release>', 'Debian release: bookworm, bullseye or trixie', 'bookworm')
    .option('--name <name>', 'lab name (several labs can run side by side)', 'lab')
    .option('--inventory <path>', 'where to write the inventory (default inventory/<name>.yml)')
    .option(
      '--host-network <manager>',
      "hosts' DHCP on ens6: ifupdown (isc-dhcp-client), networkd (systemd-networkd) or netplan (netplan.io rendering for systemd-networkd)",
      'ifupdown',
    )
    .option(
      '--cloud-init-hosts',
      'hosts configure themselves at first boot: cloud-init with a NoCloud seed of prov render cloud-init user-data (docs/cloud-init.md)',
    )
    .action(
      action(async (opts: Record<string, unknown>) => {
        const options = parseUpOptions(opts);
        if (opts.cloudInitHosts) options.cloudInit = labUserData(options.release, options.hostNetwork);
        const result = await labUp(options, log);
        if (result.status === 'running') {
          log(`lab ${options.name} is already running (nothing changed); inventory: ${result.state.inventoryPath}`);
          return ExitCode.ok;
        }
        const nodes = result.state.topology.nodes.length;
        const secs = (ms: number) => (ms / 1000).toFixed(1);
        log(
          `lab ${options.name} up: ${nodes} nodes answering over SSH in ${secs(result.bootMs)} s ` +
            `(networks, overlays and keys ${secs(result.preparedMs)} s, boot ${secs(result.bootMs - result.preparedMs)} s)`,
        );
        log(`inventory: ${result.state.inventoryPath}`);
        return ExitCode.ok;
      }),
    );

  addChaosOptions(
    lab
      .command('chaos')
      .description('measure failover and failback on the lab: flows through the routers while one is broken and recovered')
      .option('--name <name>', 'lab name', 'lab'),
  ).action(action(async (flags: ChaosFlags & { name: string }) => chaosCommand(defaultInventoryPath(parseName(flags.name)), flags)));

  lab
    .command('down')
    .description('remove everything the lab made (safe to run twice or after a crash)')
    .option('--name <name>', 'lab name', 'lab')
    .action(
      action(async (opts: Record<string, unknown>) => {
        const name = parseName(opts.name);
        if (process.getuid?.() !== 0) throw new ProvError('options', 'lab: must run as root');
        const started = Date.now();
        const r = await labDown(name);
        const what = r.processes + r.mounts + r.namespaces + r.links;
        log(
          what === 0
            ? `lab ${name} was not running; nothing to remove`
            : `lab ${name} down in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
                `(${r.processes} processes, ${r.mounts} mounts, ${r.namespaces} namespaces, ${r.links} links removed)`,
        );
        if (r.lingering.length > 0) {
          log(`lab ${name}: processes ${r.lingering.join(', ')} exited but are still listed in /proc (not yet reaped by their parent)`);
        }
      }),
    );

  lab
    .command('status')
    .description('nodes, their addresses and state')
    .option('--name <name>', 'lab name', 'lab')
    .action(
      action(async (opts: Record<string, unknown>) => {
        const { text, running } = await statusText(parseName(opts.name));
        process.stdout.write(text + '\n');
        return running ? ExitCode.ok : ExitCode.error;
      }),
    );

  lab
    .command('ssh')
    .description('open a shell on NODE (strict host key checking)')
    .argument('<node>')
    .option('--name <name>', 'lab name', 'lab')
    .action(action(async (node: string, opts: Record<string, unknown>) => runSsh(parseName(opts.name), node, [], true)));

  lab
    .command('exec')
    .description('run one command on NODE and pass its exit code through: prov lab exec r1 -- ip route')
    .argument('<node>')
    .argument('<command...>')
    .option('--name <name>', 'lab name', 'lab')
    .action(action(async (node: string, command: string[], opts: Record<string, unknown>) => runSsh(parseName(opts.name), node, command, false)));
}

/**
 * The hosts' user-data, rendered from the lab's inventory for its image. In the lab the routers
 * are applied after the hosts boot, so the first boot waits up to 30 minutes for their BGP routes.
 */
function labUserData(release: string, network: string): (inventoryPath: string) => Promise<Record<string, string>> {
  return async (inventoryPath) => {
    // The lab's networkd hosts have their own .network file for the subnet interface (src/lab/nodes.ts).
    const networkFile = network === 'networkd' ? [`host_network_file=10-${NODE_IFACES.subnet}.network`] : [];
    const rendered = await renderHosts(inventoryPath, { group: 'hosts', release, network, extraVars: ['host_bgp_wait_timeout=1800', ...networkFile] });
    return Object.fromEntries(rendered.map((r) => [r.host, r.userData]));
  };
}

/** One argument is a shell command line as written; several are quoted one by one. */
function remoteCommand(command: string[]): string[] {
  if (command.length <= 1) return command;
  return [shellJoin(command)];
}

function runSsh(name: string, nodeName: string, command: string[], interactive: boolean): Promise<number> {
  const state = readState(name);
  if (!state) throw new ProvError('options', `lab: ${name} is not running; start it with: prov lab up --name ${name}`);
  const node = state.topology.nodes.find((n) => n.name === nodeName);
  if (!node) {
    const names = state.topology.nodes.map((n) => n.name).join(', ');
    throw new ProvError('options', `lab: no node ${nodeName} in lab ${name} (nodes: ${names})`);
  }
  const keys = labKeys(state.keyDir ?? keyDirFor(defaultInventoryPath(name), name));
  const args = [...(interactive ? ['-t'] : []), ...sshArgs(keys, node.mgmtAddress, interactive), ...remoteCommand(command)];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: 'inherit' });
    child.on('error', (err) => reject(new ProvError('internal', `lab: cannot run ssh: ${err.message}`, { cause: err })));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 255 : 1)));
  });
}
