import { Command } from 'commander';
import { registerLabCommands } from './lab/cli.js';

const program = new Command('prov');
program.description('Agentless provisioner for redundant ECMP internet egress').showHelpAfterError();
registerLabCommands(program);
await program.parseAsync(process.argv);
