import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { applyCommand } from './commands/apply.js';
import { registerChaosCommands } from './commands/chaos.js';
import { inventoryCommand } from './commands/inventory.js';
import { verifyCommand } from './commands/verify.js';
import { ExitCode, ProvError, errorMessage } from './errors.js';
import { registerLabCommands } from './lab/cli.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
function commaList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}
function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Sets the exit code for a command's result; the only place that decides how prov exits. */
function run(action: (...args: any[]) => Promise<number>) {
  return async (...args: any[]): Promise<void> => {
    process.exitCode = await action(...args);
  };
}

const program = new Command('prov');
program
  .description('Agentless SSH provisioner for redundant ECMP internet egress (FRR, BGP default routes)')
  .showHelpAfterError()
  .exitOverride();

program
  .command('apply')
  .description('apply a playbook (default playbooks/site.yml) to the hosts of an inventory')
  .argument('<inventory>', 'Ansible YAML inventory file')
  .argument('[playbook]', 'playbook file (default: playbooks/site.yml)')
  .option('-C, --check', 'plan only: change nothing, report what would change')
  .option('-D, --diff', 'show a unified diff of every file that changes (or would change)')
  .option('-l, --limit <pattern>', "hosts or groups, Ansible pattern syntax (r1, routers, 'all:!r2')")
  .option('-t, --tags <tags>', 'run only tasks with these tags (comma-separated, repeatable)', commaList)
  .option('--skip-tags <tags>', 'skip tasks with these tags', commaList)
  .option('--role <name>', 'run only this role\'s tasks (repeatable)', collect)
  .option('-f, --forks <n>', 'hosts in parallel', positiveInt, 10)
  .option('-e, --extra-vars <vars>', 'key=value, @file.yml or a JSON mapping (repeatable)', collect)
  .option('--roles-path <dir>', 'extra directory to look for roles in (repeatable)', collect)
  .option('--trust-new-host-keys', 'accept and record SSH host keys not yet in known_hosts (trust on first use)')
  .option('-T, --timeout <seconds>', 'SSH connection timeout', positiveInt, 10)
  .option('--drain <router>', 'drain this router first: no new flows, wait for established ones (repeatable)', collect)
  .option('--json', 'print one JSON document with every result on stdout')
  .option('--list-hosts', 'list the hosts each play would run on, then exit (connects to nothing)')
  .option('--list-tasks', 'list the tasks each play would run, then exit (connects to nothing)')
  .option('--list-tags', 'list the tags of the tasks each play would run, then exit')
  .option('--start-at-task <name>', 'start at the first task with this name (a glob), as ansible-playbook does')
  .option('-v, --verbose', 'in a terminal, a line per host under every task (default: only hosts that changed or failed)')
  .action(run((inventory: string, playbook: string | undefined, flags) => applyCommand(inventory, playbook, flags)));

program
  .command('inventory')
  .description('print the inventory as ansible-inventory does')
  .argument('<inventory>', 'Ansible YAML inventory file')
  .addOption(new Option('--list', 'all groups and hosts, with _meta.hostvars'))
  .addOption(new Option('--host <name>', 'the merged variables of one host'))
  .action(run((inventory: string, flags) => inventoryCommand(inventory, flags)));

program
  .command('verify')
  .description('live checks of a deployed gateway set: BGP, ECMP routes, NAT, traffic through every router')
  .argument('<inventory>', 'Ansible YAML inventory file')
  .option('--json', 'print the checks as JSON')
  .option('--routers-group <name>', 'inventory group of the routers', 'routers')
  .option('--hosts-group <name>', 'inventory group of the hosts', 'hosts')
  .option('-l, --limit <pattern>', "check only these routers and hosts, Ansible pattern syntax (r1, routers, 'all:!r2')")
  .option('--connections <n>', 'TCP connections per host for the traffic check', positiveInt, 32)
  .option('--trust-new-host-keys', 'accept and record SSH host keys not yet in known_hosts')
  .option('-T, --timeout <seconds>', 'SSH connection timeout', positiveInt, 10)
  .action(run((inventory: string, flags) => verifyCommand(inventory, flags)));

registerChaosCommands(program);
registerLabCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : ExitCode.badOptions;
  } else if (err instanceof ProvError) {
    process.stderr.write(`ERROR! ${err.message}\n`);
    if (process.env.PROV_DEBUG && err.cause) process.stderr.write(`${String((err.cause as Error).stack ?? err.cause)}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`ERROR! internal error: ${errorMessage(err)} (set PROV_DEBUG=1 for details)\n`);
    if (process.env.PROV_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    process.exitCode = ExitCode.error;
  }
}
