/** Ansible's `user` collector: who the facts are gathered as, from id(1) and the passwd database. */
import { block, blockLines, type Blocks } from './blocks.js';

/**
 * Lines: the Uid: and Gid: lines of /proc/self/status (real, effective, saved, fs), the login name
 * getpass.getuser() would pick, then the passwd entries for that name and for the real uid.
 */
export const userCommand = block(
  'user',
  'grep -E "^(Uid|Gid):" /proc/self/status; n=${LOGNAME:-${USER:-${LNAME:-${USERNAME:-$(id -un)}}}}; echo "$n"; ' +
    'getent passwd "$n" "$(id -ru)" | head -n 2',
);

export function parseUser(blocks: Blocks): Record<string, unknown> {
  const [uidLine = '', gidLine = '', name = '', ...passwd] = blockLines(blocks, 'user');
  const [, uid = '', euid = ''] = uidLine.split(/\s+/);
  const [, gid = ''] = gidLine.split(/\s+/);
  if (!/^Uid:/.test(uidLine) || !/^\d+$/.test(uid)) return {};
  // getent prints the entries it finds in the order asked: the name's first, if it exists.
  const entry = (passwd.find((l) => l.split(':')[0] === name) ?? passwd.find((l) => l.split(':')[2] === uid) ?? '').split(':');
  const facts: Record<string, unknown> = { user_id: name };
  if (entry.length >= 7) {
    Object.assign(facts, {
      user_uid: Number(entry[2]),
      user_gid: Number(entry[3]),
      user_gecos: entry[4],
      user_dir: entry[5],
      user_shell: entry[6],
    });
  }
  Object.assign(facts, {
    real_user_id: Number(uid),
    effective_user_id: Number(euid),
    real_group_id: Number(gid),
    effective_group_id: Number(gid), // sic: Ansible reports the real group id here
  });
  return facts;
}
