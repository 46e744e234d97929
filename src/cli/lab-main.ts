/**
 * The lab's commands on their own (`tsx src/cli/lab-main.ts lab up …`), the same as `prov lab …`.
 * The lab tests and scripts use it so that they depend on the lab code only.
 */
import { Command } from 'commander';
import { runProgram } from './action.js';
import { registerLabCommands } from './lab.js';

const program = new Command('prov');
program.showHelpAfterError();
registerLabCommands(program);
await runProgram(program, process.argv);
