/**
 * A fact is one shell command and one pure parser of its output (as in pyinfra). gather.ts runs
 * every fact's command in one script, so a command must not read stdin or call `exit`, and its
 * parser must accept empty or garbled output (a missing tool) and return a neutral value.
 */
export interface FactSource<T> {
  name: string;
  command: string;
  parse(output: string): T;
}

/** JSON.parse that returns `fallback` instead of throwing. */
export function parseJsonOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export { firstLine } from '../core/text.js';
