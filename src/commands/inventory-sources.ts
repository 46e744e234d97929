import { ProvError } from '../errors.js';

/**
 * The inventory sources of a command: `-i` (repeatable) or the positional argument, never both.
 */
export function inventorySources(positional: string | undefined, flagSources: string[] | undefined): string[] {
  if (flagSources?.length) {
    if (positional !== undefined) throw new ProvError('options', `give the inventory either as an argument or with -i, not both ('${positional}' and -i)`);
    return flagSources;
  }
  if (positional !== undefined) return [positional];
  throw new ProvError('options', 'no inventory: give one as an argument or with -i');
}
