/**
 * Line helpers that mirror Python's bytes.splitlines(True) on '\n' files and re.match.expand,
 * so lineinfile and blockinfile behave like Ansible's modules.
 */
import { ProvError } from '../../core/errors.js';
import { pythonRegexSource } from '../../core/py-regex.js';

/** Splits after every '\n', keeping it; a last line without '\n' is kept as it is. */
export function splitKeepNewlines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

/** The line without its line ending. */
export function chomp(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/**
 * Compiles an Ansible (Python) regular expression for JavaScript. Python's `$` also matches
 * before a final newline; callers search the chomped line, which gives the same result.
 */
export function pyRegExp(source: string, what: string): RegExp {
  try {
    return new RegExp(pythonRegexSource(source));
  } catch (err) {
    throw new ProvError('failed', `${what}: invalid regular expression ${JSON.stringify(source)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Python's match.expand(template): \1, \g<1>, \g<name>, and \n, \t, \\ escapes. */
export function expandBackrefs(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/g, (_all, g: string | undefined, d: string | undefined, ch: string | undefined) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? match[Number(g)] : match.groups?.[g]) ?? '';
    if (d !== undefined) return match[Number(d)] ?? '';
    if (ch === 'n') return '\n';
    if (ch === 't') return '\t';
    if (ch === '\\') return '\\';
    return `\\${ch}`;
  });
}
