import { readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';

/** Ansible 2.14's DEFAULT_MANAGED_STR (no strftime codes in it, so it is the text itself). */
export const ANSIBLE_MANAGED = 'Ansible managed';

/** The user name owning a file on the controller (the uid as text if no name is known). */
function ownerName(uid: number): string {
  if (uid === process.getuid?.()) return userInfo().username;
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(uid));
    if (line) return line.split(':')[0]!;
  } catch {
    // no passwd file: the number
  }
  return String(uid);
}

/**
 * The variables Ansible's template module adds inside a template file (generate_ansible_template_vars):
 * `src` as the task gave it, the file found, the task's `dest`, the controller's host name, the
 * file's owner, and `ansible_managed`. template_mtime and template_run_date (Python datetimes)
 * are not provided.
 */
export function templateFileVars(src: string, fullpath: string, dest: string | undefined): Record<string, unknown> {
  return {
    template_host: hostname(),
    template_path: src,
    template_fullpath: resolve(fullpath),
    template_destpath: dest ?? null,
    template_uid: ownerName(statSync(fullpath).uid),
    ansible_managed: ANSIBLE_MANAGED,
  };
}
