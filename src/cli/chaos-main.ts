// Stand-alone entry (`npx tsx src/cli/chaos-main.ts chaos <inventory> …`), the same command as
// `prov chaos`; used by bench/chaos.ts and handy before the CLI wiring.
import { Command } from 'commander';
import { runProgram } from './action.js';
import { registerChaosCommands } from './chaos.js';

const program = new Command('prov');
registerChaosCommands(program);
await runProgram(program, process.argv);
