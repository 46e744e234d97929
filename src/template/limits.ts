/**
 * Allocation limits of the `{{ }}` expression engine, so that `range(1000000000)`, `[1] * 1e9`
 * or `'x' * 1e9` fail the task with an error naming the limit instead of exhausting the
 * controller's memory (a V8 crash). The limits are far above what a playbook needs: a list
 * (range, repetition, concatenation, flatten) holds at most MAX_LIST_ITEMS items, and a string
 * built by the engine (repetition, `~`, `+`, join, replace, repr, to_json) at most
 * MAX_STRING_CHARS characters. Documented in the README's Security section.
 */
import { TemplateError } from './errors.js';

export const MAX_LIST_ITEMS = 1_000_000;
export const MAX_STRING_CHARS = 10_000_000;

/** Fails when `what` would make a list of `items` items, over MAX_LIST_ITEMS (NaN and Infinity too). */
export function checkListItems(items: number, what: string): void {
  if (!(items <= MAX_LIST_ITEMS)) {
    throw new TemplateError(`${what} would make a list of ${items} items, over the limit of ${MAX_LIST_ITEMS} items per list`);
  }
}

/** Fails when `what` would make a string of `chars` characters, over MAX_STRING_CHARS. */
export function checkStringChars(chars: number, what: string): void {
  if (!(chars <= MAX_STRING_CHARS)) {
    throw new TemplateError(`${what} would make a string of ${chars} characters, over the limit of ${MAX_STRING_CHARS} characters per string`);
  }
}

/**
 * Collects the pieces of a string being built (a repr, a join), failing as soon as they exceed
 * MAX_STRING_CHARS: a list holding the same big list a million times fails after 10 MB of
 * output, not after the terabytes its full repr would take.
 */
export class BoundedText {
  private text = '';
  constructor(private readonly what: string) {}
  push(piece: string): void {
    if (this.text.length + piece.length > MAX_STRING_CHARS) checkStringChars(this.text.length + piece.length, this.what);
    this.text += piece;
  }
  toString(): string {
    return this.text;
  }
}

/** Converts a V8 RangeError (string or array too long, stack overflow) into a task error. */
export function asLimitError(err: unknown): unknown {
  if (!(err instanceof RangeError)) return err;
  return new TemplateError(
    `expression too large: ${err.message} (limits: ${MAX_LIST_ITEMS} items per list, ${MAX_STRING_CHARS} characters per string)`,
    'failed',
    { cause: err },
  );
}
