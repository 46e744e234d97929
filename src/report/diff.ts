import { FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import type { FileDiff } from '../core/contract.js';

/**
 * Files larger than this (before or after, in bytes) are not diffed: Ansible's max_diff_size
 * default (104448 bytes, 102 KiB). Diffing is the only super-linear work on file contents.
 */
export const MAX_DIFF_BYTES = 104_448;

/**
 * The most changed lines the minimal (Myers) diff looks for; past it the changed region is
 * shown as one hunk replacing the old lines by the new ones: still a correct diff, computed in
 * linear time, where the minimal one would cost time growing with the square of the changes.
 */
export const MAX_EDIT_LINES = 1000;

const CONTEXT = 3;

/** A unified diff of one file, with Ansible's before/after headers. */
export function unifiedDiff(d: FileDiff): string {
  if (d.binary) return binaryDiff(d);
  const oldName = d.beforeHeader && d.beforeHeader !== d.path ? d.beforeHeader : `before: ${d.path}`;
  const newName = d.afterHeader && d.afterHeader !== d.path ? d.afterHeader : `after: ${d.path}`;
  const size = Math.max(Buffer.byteLength(d.before), Buffer.byteLength(d.after));
  if (size > MAX_DIFF_BYTES) {
    return `--- ${oldName}\n+++ ${newName}\ndiff skipped: file larger than ${MAX_DIFF_BYTES} bytes (102 KiB, as Ansible's max_diff_size)\n`;
  }
  const patch =
    structuredPatch(oldName, newName, d.before, d.after, undefined, undefined, { context: CONTEXT, maxEditLength: MAX_EDIT_LINES }) ??
    replacementPatch(oldName, newName, d.before, d.after);
  return formatPatch(patch, FILE_HEADERS_ONLY);
}

/** Lines with their newline, as jsdiff splits them (the last one may lack it). */
function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l + '\n');
  const last = lines.pop()!;
  if (last !== '\n') lines.push(last.slice(0, -1));
  return lines;
}

/** One hunk: the common first and last lines kept, everything between them removed then added. */
function replacementPatch(oldName: string, newName: string, before: string, after: string): StructuredPatch {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - CONTEXT);
  const lead = a.slice(from, head).map((l) => ' ' + l);
  const trail = a.slice(a.length - tail, a.length - tail + CONTEXT).map((l) => ' ' + l);
  const raw = [...lead, ...a.slice(head, a.length - tail).map((l) => '-' + l), ...b.slice(head, b.length - tail).map((l) => '+' + l), ...trail];
  const lines: string[] = [];
  for (const l of raw) {
    if (l.endsWith('\n')) lines.push(l.slice(0, -1));
    else lines.push(l, '\\ No newline at end of file');
  }
  const oldLines = lead.length + (a.length - tail - head) + trail.length;
  const newLines = lead.length + (b.length - tail - head) + trail.length;
  return {
    oldFileName: oldName,
    newFileName: newName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: [{ oldStart: from + 1, oldLines, newStart: from + 1, newLines, lines }],
  };
}

/** As diff(1) says it: no line diff of a binary (or non-UTF-8) file. */
function binaryDiff(d: FileDiff): string {
  const before = d.beforeHeader && d.beforeHeader !== d.path ? d.beforeHeader : `before: ${d.path}`;
  const after = d.afterHeader && d.afterHeader !== d.path ? d.afterHeader : `after: ${d.path}`;
  return `Binary files ${before} and ${after} differ\n`;
}
