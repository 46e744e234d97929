/**
 * Python's shlex.split(line, comments=True) in POSIX mode, as Ansible's INI inventory splits a
 * host line (ansible.utils.shlex.shlex_split): words split on whitespace, '…' and "…" quote
 * (joined to the word around them), a backslash escapes the next character outside quotes and
 * `\\` or `\"` inside double quotes, and `#` starts a comment anywhere, even inside a word.
 * Hand-written: the few rules of Python's state machine, which differ from a shell's in details
 * (the comment inside a word) that a general-purpose library does not reproduce.
 */

export class ShlexError extends Error {}

const WHITESPACE = ' \t\r\n';

export function shlexSplit(line: string): string[] {
  const words: string[] = [];
  let token = '';
  let quoted = false;
  let state: 'space' | 'word' | "'" | '"' | 'escape' = 'space';
  let escapedState: 'word' | '"' = 'word';
  const end = (): void => {
    if (token || quoted) words.push(token);
    token = '';
    quoted = false;
  };
  for (let i = 0; i <= line.length; i++) {
    const c = line[i];
    if (state === 'space' || state === 'word') {
      if (c === undefined) break;
      if (WHITESPACE.includes(c)) {
        if (state === 'word') end();
        state = 'space';
      } else if (c === '#') {
        break;
      } else if (c === "'" || c === '"') {
        state = c;
      } else if (c === '\\') {
        escapedState = 'word';
        state = 'escape';
      } else {
        token += c;
        state = 'word';
      }
    } else if (state === "'" || state === '"') {
      quoted = true;
      if (c === undefined) throw new ShlexError('No closing quotation');
      if (c === state) state = 'word';
      else if (c === '\\' && state === '"') {
        escapedState = '"';
        state = 'escape';
      } else token += c;
    } else {
      if (c === undefined) throw new ShlexError('No escaped character');
      // Inside double quotes only the quote itself and the backslash may be escaped.
      if (escapedState === '"' && c !== '"' && c !== '\\') token += '\\';
      token += c;
      state = escapedState;
    }
  }
  end();
  return words;
}
