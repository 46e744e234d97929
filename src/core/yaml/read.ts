/**
 * YAML files from disk: bytes decoded as strict UTF-8 (a UTF-8 byte order mark is dropped), as
 * Ansible's loader decodes them; a file that is not UTF-8 is refused with its name and line
 * rather than read with U+FFFD in place of its bytes.
 */
import { readBoundedFile } from '../bounded-read.js';
import { parseError, ProvError, readFailure } from '../errors.js';
import { parseAnsibleYaml, type ParsedYaml } from './parse.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a file's bytes; `file:line: not valid UTF-8` when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch (err) {
    const bad = firstInvalidByte(bytes);
    const where = bad ? ` (byte 0x${bad.byte.toString(16).padStart(2, '0')} at column ${bad.column})` : '';
    throw parseError(
      file,
      `not valid UTF-8 text${where}: prov reads YAML files as UTF-8, as Ansible does; convert the file (e.g. iconv -f latin1 -t utf-8)`,
      bad?.line,
      err,
    );
  }
}

const lenient = new TextDecoder('utf-8');

/** Where the first byte that is not UTF-8 is (a newline byte never occurs inside a UTF-8 sequence). */
function firstInvalidByte(bytes: Uint8Array): { line: number; column: number; byte: number } | undefined {
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const slice = bytes.subarray(start, end);
    const text = lenient.decode(slice);
    // A U+FFFD in the decoded text is either a replaced byte or a real U+FFFD (EF BF BD) in the file.
    for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
      const offset = Buffer.byteLength(text.slice(0, i));
      const real = slice[offset] === 0xef && slice[offset + 1] === 0xbf && slice[offset + 2] === 0xbd;
      if (!real) return { line, column: i + 1, byte: slice[offset] ?? 0 };
    }
    start = end + 1;
  }
  return undefined;
}

/** Reads and parses one YAML file; every failure is a one-line parse error naming the file (and line). */
export async function readYamlFile(file: string): Promise<unknown> {
  return (await readParsedYamlFile(file)).data;
}

export async function readParsedYamlFile(file: string): Promise<ParsedYaml> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(file);
  } catch (err) {
    const why = readFailure(err);
    throw new ProvError('parse', `${file}: cannot read: ${why}`, { cause: err });
  }
  return parseAnsibleYaml(decodeUtf8(bytes, file), file);
}
