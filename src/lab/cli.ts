import type { Command } from 'commander';
/** Registers `prov lab …` subcommands. (Being built: issue 3.) */
export function registerLabCommands(program: Command): void {
  program.command('lab').description('local lab (not yet built)');
}
