import { Command, Option } from 'commander';
import { action, runProgram } from './cli/action.js';
import { registerChaosCommands } from './cli/chaos.js';
import { registerLabCommands } from './cli/lab.js';
import { collect, commaList, positiveInt, wholeNumber } from './cli/options.js';
import { applyCommand } from './commands/apply.js';
import { inventoryCommand } from './commands/inventory.js';
import { renderCommand } from './commands/render.js';
import { vagrantInventoryCommand } from './commands/inventory-vagrant.js';
import { DEFAULT_ROUTERS_PATTERN } from './inventory/vagrant-inventory.js';
import { verifyCommand } from './commands/verify.js';
import { redactProcessOutput } from './cli/redact-output.js';

/** The vault options of every command that reads an inventory (see src/commands/vault-passwords.ts). */
function vaultOptions(cmd: Command): Command {
  return cmd
    .option('--vault-password-file <file>', 'a file with the vault password (or an executable that prints it); repeatable', collect)
    .option('--vault-id <[id@]source>', "a vault password with its id: a file or 'prompt' (repeatable)", collect)
    .option('-J, --ask-vault-pass', 'ask for the vault password (needs a terminal)');
}

const program = new Command('prov');
program.description('Agentless SSH provisioner for redundant ECMP internet egress (FRR, BGP default routes)').showHelpAfterError('(add --help for usage)');

program
  .command('apply')
  .description('apply a playbook (default playbooks/site.yml) to the hosts of an inventory')
  .argument(
    '[inventory]',
    'Ansible inventory (YAML or INI file, or a directory); default: ANSIBLE_INVENTORY, ansible.cfg. With -i, the one argument is the playbook',
  )
  .argument('[playbook]', 'playbook file (default: playbooks/site.yml)')
  .option('-i, --inventory <path>', 'inventory file or directory (repeatable, merged in order)', collect)
  .option('--playbook <file>', 'the playbook, in place of the [playbook] argument (with the configured inventory: prov apply --playbook site.yml)')
  .option('-C, --check', 'plan only: change nothing, report what would change')
  .option('-D, --diff', 'show a unified diff of every file that changes (or would change)')
  .option('-l, --limit <pattern>', "hosts or groups, Ansible pattern syntax (r1, routers, 'all:!r2')")
  .option('-t, --tags <tags>', 'run only tasks with these tags (comma-separated, repeatable)', commaList)
  .option('--skip-tags <tags>', 'skip tasks with these tags', commaList)
  .option('--role <name>', "run only this role's tasks (repeatable)", collect)
  .option('-f, --forks <n>', 'hosts in parallel (default: ANSIBLE_FORKS, ansible.cfg forks, else every host, up to 50)', positiveInt)
  .option('-e, --extra-vars <vars>', 'key=value, @file.yml or a JSON mapping (repeatable)', collect)
  .option('--roles-path <dir>', 'extra directory to look for roles in, before ANSIBLE_ROLES_PATH / ansible.cfg roles_path (repeatable)', collect)
  .option('--trust-new-host-keys', 'accept and record SSH host keys not yet in known_hosts (trust on first use)')
  .option('-T, --timeout <seconds>', 'SSH connection timeout (default: ANSIBLE_TIMEOUT, ansible.cfg timeout, else every host, up to 50)', positiveInt)
  .option('--confirm-timeout <seconds>', 'roll back a routing change the host cannot confirm within this time (0: off)', wholeNumber, 120)
  .option(
    '--retries <n>',
    'open an SSH connection up to N more times, with backoff, when it fails in a way that may pass; never a command (default 2)',
    wholeNumber,
  )
  .option('--drain <router>', 'drain this router first: no new flows, wait for established ones (repeatable)', collect)
  .option('--json', 'print one JSON document with every result on stdout')
  .option('--list-hosts', 'list the hosts each play would run on, then exit (connects to nothing)')
  .option('--list-tasks', 'list the tasks each play would run, then exit (connects to nothing)')
  .option('--list-tags', 'list the tags of the tasks each play would run, then exit')
  .option('--start-at-task <name>', 'start at the first task with this name (a glob), as ansible-playbook does')
  .option('-v, --verbose', 'in a terminal, a line per host under every task (default: only hosts that changed or failed)');
vaultOptions(program.commands.at(-1)!).action(
  action((first: string | undefined, second: string | undefined, flags) => {
    redactProcessOutput();
    return applyCommand(first, second, flags);
  }),
);

const inventory = program
  .command('inventory')
  .description('print the inventory as ansible-inventory does')
  .argument('[inventory]', 'Ansible inventory (YAML or INI file, or a directory); default: -i, ANSIBLE_INVENTORY, ansible.cfg')
  .option('-i, --inventory <path>', 'inventory file or directory (repeatable, merged in order)', collect)
  .addOption(new Option('--list', 'all groups and hosts, with _meta.hostvars'))
  .addOption(new Option('--host <name>', 'the merged variables of one host'));
vaultOptions(inventory).action(
  action((positional: string | undefined, flags) => {
    redactProcessOutput();
    return inventoryCommand(positional, flags);
  }),
);

inventory
  .command('vagrant')
  .description('turn `vagrant ssh-config` into an Ansible YAML inventory (on stdout): routers and hosts')
  .option('--ssh-config <file>', 'read this output of `vagrant ssh-config` (- for stdin) instead of running it')
  .option('--routers <pattern>', 'machines whose name matches this glob are routers, the others hosts', DEFAULT_ROUTERS_PATTERN)
  .action(action((flags) => vagrantInventoryCommand(flags)));

program
  .command('verify')
  .description('live checks of a deployed gateway set: BGP, ECMP routes, NAT, traffic through every router')
  .argument('[inventory]', 'Ansible inventory (YAML or INI file, or a directory); default: -i, ANSIBLE_INVENTORY, ansible.cfg')
  .option('-i, --inventory <path>', 'inventory file or directory (repeatable, merged in order)', collect)
  .option('--json', 'print the checks as JSON')
  .option('--routers-group <name>', 'inventory group of the routers', 'routers')
  .option('--hosts-group <name>', 'inventory group of the hosts', 'hosts')
  .option('-l, --limit <pattern>', "check only these routers and hosts, Ansible pattern syntax (r1, routers, 'all:!r2')")
  .option('--connections <n>', 'TCP connections per host for the traffic check', positiveInt, 32)
  .option('--trust-new-host-keys', 'accept and record SSH host keys not yet in known_hosts')
  .option('-T, --timeout <seconds>', 'SSH connection timeout (default: ANSIBLE_TIMEOUT, ansible.cfg timeout, else every host, up to 50)', positiveInt);
vaultOptions(program.commands.at(-1)!).action(
  action((positional: string | undefined, flags) => {
    redactProcessOutput();
    return verifyCommand(positional, flags);
  }),
);

program
  .command('render')
  .description('render what a playbook does as something else: cloud-init user-data (docs/cloud-init.md)')
  .command('cloud-init')
  .description('first-boot #cloud-config user-data that does what the host role does, with no SSH step')
  .argument('[inventory]', 'Ansible inventory (YAML or INI file, or a directory); default: -i, ANSIBLE_INVENTORY, ansible.cfg')
  .option('-i, --inventory <path>', 'inventory file or directory (repeatable, merged in order)', collect)
  .option('--host <name>', 'the host to render (repeatable)', collect)
  .option('--group <name>', 'every host of this group')
  .option('--out-dir <dir>', 'write DIR/<host>.user-data for each host instead of printing')
  .option('--playbook <file>', 'the playbook to render (default: playbooks/site.yml)')
  .option('--roles-path <dir>', 'extra directory to look for roles in (repeatable)', collect)
  .option('-e, --extra-vars <vars>', 'key=value, @file.yml or a JSON mapping (repeatable)', collect)
  .option('--release <release>', "the image's Debian release: bullseye, bookworm, trixie (default: the host's cloud_init_release, else bookworm)")
  .option('--network <stack>', "the image's network stack: ifupdown, networkd, netplan (default: the host's cloud_init_network, else ifupdown)")
  .option('--imds-endpoint <url>', 'the instance metadata service, when vpc_supernet comes from it (default http://169.254.169.254)');
// No redaction here: the user-data is the product and holds the host's secrets (bgp_password) by design.
vaultOptions(program.commands.find((c) => c.name() === 'render')!.commands[0]!).action(
  action((positional: string | undefined, flags) => renderCommand(positional, flags)),
);

registerChaosCommands(program);
registerLabCommands(program);

await runProgram(program, process.argv);
