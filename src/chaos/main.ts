// Stand-alone entry (`npx tsx src/chaos/main.ts chaos <inventory> …`), the same command as
// `prov chaos`; used by bench/chaos.ts and handy before the CLI wiring.
import { Command } from 'commander';
import { runProgram } from '../cli/action.js';
import { registerChaosCommands } from '../cli/chaos.js';

const program = new Command('prov');
registerChaosCommands(program);
await runProgram(program, process.argv);
