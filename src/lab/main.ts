/**
 * The lab's commands on their own (`tsx src/lab/main.ts lab up …`), the same as `prov lab …`.
 * The lab tests and scripts use it so that they depend on the lab code only.
 */
import { Command } from 'commander';
import { registerLabCommands } from './cli.js';

const program = new Command('prov');
program.showHelpAfterError();
registerLabCommands(program);
await program.parseAsync(process.argv);
