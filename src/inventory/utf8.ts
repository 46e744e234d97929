/**
 * The text of an inventory, vars or playbook file. Ansible's YAML reader accepts UTF-8 only, so
 * any other bytes are a parse error naming the file and line (never read as U+FFFD).
 */
import { isUtf8 } from 'node:buffer';
import { parseError } from '../core/errors.js';

export function utf8Text(bytes: Buffer, file: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  // '\n' is never inside a multi-byte character, so the first bad line is the first invalid one.
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    const piece = bytes.subarray(start, end < 0 ? bytes.length : end);
    if (!isUtf8(piece) || end < 0) {
      const bad = [...piece].find((b) => b >= 0x80) ?? 0;
      throw parseError(file, `not valid UTF-8 (byte 0x${bad.toString(16).padStart(2, '0')}): YAML files must be UTF-8, as Ansible reads them`, line);
    }
    start = end + 1;
  }
}
