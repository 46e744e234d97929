/**
 * The Ansible-shaped facts come from one section of the fact script (gather.ts) made of named
 * blocks: each block is a marker line with the block's name, then one command's output. A
 * collector's parser reads the blocks by name; a missing block reads as "".
 */
import { shellQuote } from '../../core/transport.js';

export const BLOCK_MARKER = '@@prov-ansible-block@@';

export type Blocks = Map<string, string>;

/** `name` then the output of `command` (stderr discarded; a failing command leaves the block empty). */
export function block(name: string, command: string): string {
  return `printf '\\n%s %s\\n' '${BLOCK_MARKER}' ${shellQuote(name)}\n{ ${command}\n} 2>/dev/null`;
}

/** A block holding `yes` when `path` exists (`test -e`). */
export function existsBlock(path: string): string {
  return block(`exists:${path}`, `[ -e ${shellQuote(path)} ] && echo yes`);
}

/** A block with a file's content. */
export function fileBlock(path: string): string {
  return block(`file:${path}`, `cat ${shellQuote(path)}`);
}

export function splitBlocks(text: string): Blocks {
  const blocks: Blocks = new Map();
  const header = new RegExp(`\\n${BLOCK_MARKER} (\\S+)\\n`, 'g');
  const found = [...`\n${text}`.matchAll(header)];
  const source = `\n${text}`;
  found.forEach((match, i) => {
    const start = match.index! + match[0].length;
    const end = i + 1 < found.length ? found[i + 1]!.index! : source.length;
    blocks.set(match[1]!, source.slice(start, end));
  });
  return blocks;
}

export function blockText(blocks: Blocks, name: string): string {
  return blocks.get(name) ?? '';
}

/** A file's content as Ansible's get_file_content reads it: stripped, null when missing or empty. */
export function fileContent(blocks: Blocks, path: string): string | null {
  const text = blocks.get(`file:${path}`)?.trim();
  return text ? text : null;
}

export function exists(blocks: Blocks, path: string): boolean {
  return blockText(blocks, `exists:${path}`).trim() === 'yes';
}

/** The lines of a block without the empty last one. */
export function blockLines(blocks: Blocks, name: string): string[] {
  const text = blockText(blocks, name);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
