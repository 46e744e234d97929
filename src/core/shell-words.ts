/**
 * Splits a command line into words as Python's shlex.split (POSIX mode) does, which is how
 * Ansible turns `command: …` and `validate: …` strings into argv without a shell: quotes and
 * backslashes group and escape, and nothing else is special (no $, globs, ;, |, redirections,
 * comments). Joined back with shellJoin, the words reach the program literally. With
 * `comments: true` (shlex.split(…, comments=True), as Ansible's INI inventory splits a host line),
 * a `#` outside quotes ends the line, even inside a word. Errors carry Python's own words.
 */
export class ShellWordsError extends Error {}

const SPACE = new Set([' ', '\t', '\n', '\r']);

export function splitShellWords(text: string, options: { comments?: boolean } = {}): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#' && options.comments) break;
    if (SPACE.has(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new ShellWordsError('No escaped character');
      word = (word ?? '') + text[++i];
    } else if (c === "'" || c === '"') {
      const end = closingQuote(text, i);
      word = (word ?? '') + unquote(text.slice(i + 1, end), c);
      i = end;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Index of the quote that closes the one at `start` (in "…", \" and \\ do not close). */
function closingQuote(text: string, start: number): number {
  const q = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
    else if (text[i] === q) return i;
  }
  throw new ShellWordsError('No closing quotation');
}

function unquote(body: string, q: string): string {
  return q === '"' ? body.replace(/\\(["\\])/g, '$1') : body;
}

/** Why a command string cannot be split into words (or has none), or undefined when it can. */
export function shellWordsProblem(text: string): string | undefined {
  try {
    return splitShellWords(text).length === 0 ? 'the command is empty' : undefined;
  } catch (err) {
    if (err instanceof ShellWordsError) return `${err.message} in ${JSON.stringify(text)}`;
    throw err;
  }
}
