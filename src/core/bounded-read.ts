/**
 * Reading a user file (inventory, vars, playbook, role file, `-e @file`, ansible.cfg) with a
 * size bound: at most MAX_INPUT_FILE_BYTES are ever read, so `-e @/dev/zero`, a FIFO that
 * never ends or a multi-gigabyte file is refused in bounded time and memory instead of being
 * read until the process runs out of heap. Errors keep Node's errno `code` (ENOENT, EISDIR…)
 * so callers word them as before; a file over the bound throws FileTooLargeError.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** 16 MiB: far beyond any real inventory or playbook, small enough to parse in seconds. */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(
    readonly file: string,
    readonly limit: number,
  ) {
    super(`${file}: larger than ${limit / (1024 * 1024)} MiB (or endless, like /dev/zero): refused`);
    this.name = 'FileTooLargeError';
  }
}

const CHUNK = 64 * 1024;

/** The bytes of `file`, at most `limit` of them (async). */
export async function readBoundedFile(file: string, limit = MAX_INPUT_FILE_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw new FileTooLargeError(file, limit);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** The bytes of `file`, at most `limit` of them (sync, for ansible.cfg). */
export function readBoundedFileSync(file: string, limit = MAX_INPUT_FILE_BYTES): Buffer {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const bytesRead = readSync(fd, buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw new FileTooLargeError(file, limit);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
