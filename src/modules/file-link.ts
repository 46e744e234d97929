/**
 * file state=link / state=hard, as Ansible's file module decides: what is at `path` is asked with
 * one read-only query (a symlink and its target, or a file's device:inode, or a directory), and
 * the link is made with `ln`. The query's answer after `ln` is declared as the action's effect,
 * so check mode and a second run see the link the first run made.
 *
 * Example:
 *   - ansible.builtin.file:
 *       src: /etc/frr/frr.conf
 *       dest: /root/frr.conf
 *       state: link
 */
import { posix } from 'node:path';
import { ProvError } from '../core/errors.js';
import { shellQuote } from '../core/transport.js';
import { noChange, type HostState, type Plan } from '../core/contract.js';

export interface LinkArgs {
  path: string;
  src?: string;
  force?: boolean;
}

/** What a path is: `absent`, `link <target>`, `file <dev:ino>`, `directory <empty|full>`, `other`. */
export function describeCommand(path: string): string {
  const p = shellQuote(path);
  return `if [ -L ${p} ]; then printf 'link %s' "$(readlink -- ${p})"; elif [ -d ${p} ]; then if [ -z "$(ls -A -- ${p})" ]; then echo 'directory empty'; else echo 'directory full'; fi; elif [ -f ${p} ]; then stat -c 'file %d:%i' -- ${p}; elif [ -e ${p} ]; then echo other; else echo absent; fi`;
}

export const describeKey = (path: string): string => `file-describe:${path}`;

async function describe(state: HostState, path: string): Promise<string> {
  return (await state.query(describeCommand(path), describeKey(path))).stdout.trim();
}

export async function planLink(a: LinkArgs, state: HostState, kind: 'link' | 'hard'): Promise<Plan> {
  if (a.src === undefined) throw new ProvError('failed', `src is required for state=${kind} (${a.path})`);
  const now = await describe(state, a.path);
  const prev = now.split(' ')[0]!;
  const force = a.force ?? false;
  const absSrc = posix.isAbsolute(a.src) ? a.src : posix.join(posix.dirname(a.path), a.src);
  let after: string;
  if (kind === 'link') {
    if (now === `link ${a.src}`) return noChange();
    if (!force && !(await state.stat(absSrc))) {
      throw new ProvError('failed', `src file does not exist, use "force=yes" if you really want to create the link: ${absSrc}`);
    }
    if (prev === 'file' && !force) throw new ProvError('failed', `refusing to convert from file to symlink for ${a.path}`);
    if (prev === 'directory' && !force) throw new ProvError('failed', `refusing to convert from directory to symlink for ${a.path}`);
    if (now === 'directory full') throw new ProvError('failed', `the directory ${a.path} is not empty, refusing to convert it`);
    if (prev === 'other') throw new ProvError('failed', `${a.path} exists and is not a file, link or directory`);
    after = `link ${a.src}`;
  } else {
    const source = await describe(state, absSrc);
    if (!source.startsWith('file ')) throw new ProvError('failed', `src does not exist: ${absSrc}`);
    if (now === source) return noChange();
    if (prev === 'directory') throw new ProvError('failed', `refusing to convert from directory to hard link for ${a.path}`);
    if (prev !== 'absent' && !force) throw new ProvError('failed', `Cannot link because a file exists at destination: ${a.path}`);
    after = source;
  }
  const flags = kind === 'link' ? '-s -n -f' : '-f';
  // A forced link over an empty directory: the directory goes first (ln would link inside it).
  const prefix = prev === 'directory' ? `rmdir -- ${shellQuote(a.path)} && ` : '';
  return {
    changed: true,
    actions: [{ kind: 'exec', command: `${prefix}ln ${flags} -- ${shellQuote(a.src)} ${shellQuote(a.path)}`, effects: { [describeKey(a.path)]: after } }],
    diffs: [],
    msg: prev === 'absent' ? `${kind === 'link' ? 'symlink' : 'hard link'} created` : `${kind === 'link' ? 'symlink' : 'hard link'} replaced (was ${prev})`,
  };
}
