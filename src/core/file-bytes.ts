/**
 * File contents are bytes end to end (read, compare, diff, write). A string given for a file
 * (copy's `content`, a rendered template, a task's line) is UTF-8 text and becomes its UTF-8 bytes.
 */
import { isUtf8 } from 'node:buffer';

/** What a write action or a desired file holds: bytes, or UTF-8 text. */
export type FileContent = string | Buffer;

export function toBytes(content: FileContent): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** The bytes as text when they are UTF-8 without a NUL; null for a binary (or non-UTF-8) file. */
export function textOf(bytes: Buffer): string | null {
  return isUtf8(bytes) && !bytes.includes(0) ? bytes.toString('utf8') : null;
}

/**
 * A file's bytes as a string for line editing (lineinfile, blockinfile, sysctl), and back,
 * without changing one byte of the lines the edit does not touch. A UTF-8 file is edited as text;
 * any other file one character per byte (latin1), with the task's strings (lines, regexps,
 * markers) turned into their UTF-8 bytes the same way, as Ansible edits bytes.
 */
export interface LineText {
  text: string;
  /** A string from the task (UTF-8) in the terms of `text`. */
  arg(value: string): string;
  arg(value: string | undefined): string | undefined;
  /** The edited text as bytes. */
  bytes(text: string): Buffer;
}

export function lineText(bytes: Buffer | null): LineText {
  if (bytes === null || isUtf8(bytes)) {
    return {
      text: bytes?.toString('utf8') ?? '',
      arg: ((value: string | undefined) => value) as LineText['arg'],
      bytes: (text) => Buffer.from(text, 'utf8'),
    };
  }
  return {
    text: bytes.toString('latin1'),
    arg: ((value: string | undefined) => (value === undefined ? undefined : Buffer.from(value, 'utf8').toString('latin1'))) as LineText['arg'],
    bytes: (text) => Buffer.from(text, 'latin1'),
  };
}
