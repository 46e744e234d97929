/**
 * The host role's tasks as they run at first boot. Most need nothing: the renderer plans them
 * against the fresh image and records what they do. Two kinds of task cannot be planned without
 * the machine, and are turned into tasks that can, explicitly, before the plan:
 *
 * - a command that reads the machine (`register` on command/shell) must say what it reads at
 *   first boot: the task's `vars: {prov_first_boot: {stdout: …, rc: …}}`. The task becomes a
 *   set_fact of its registered variable with that answer (templates rendered as usual), so the
 *   role's `when`s decide at render time exactly as they would on a fresh machine. A reading
 *   command without an answer is an error naming the task.
 * - lineinfile edits a file whose content only the machine has (/etc/dhcp/dhclient.conf, or
 *   /etc/frr/daemons that installing frr creates): it becomes a command that makes the same
 *   edit at boot (LINEINFILE_PY, run by python3, which cloud-init itself needs, with Python's `re`
 *   as Ansible's lineinfile uses).
 */
import { ProvError } from '../core/errors.js';
import { LINEINFILE_PROGRAM } from './paths.js';
import { isBlock, type Playbook, type Task, type TaskNode } from '../playbook/types.js';

export const FIRST_BOOT_VAR = 'prov_first_boot';

/**
 * Ansible's lineinfile with regexp/line/backrefs (state=present, create=no): the last matching line
 * is replaced (with backrefs, by the expanded match); without a match the line is appended unless
 * backrefs is set or the line is already there. Written back only when it changed.
 */
export const LINEINFILE_PY = `import os, re, sys
path, regexp, line, backrefs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "yes"
if not os.path.exists(path):
    sys.exit("lineinfile: " + path + " does not exist")
with open(path, "rb") as f:
    lines = f.read().decode("utf-8").splitlines(True)
rx = re.compile(regexp) if regexp else None
found = -1
match = None
for i, text in enumerate(lines):
    m = rx.search(text.rstrip("\\r\\n")) if rx else None
    if m:
        found, match = i, m
new = lines[:]
if found >= 0:
    new[found] = (match.expand(line) if backrefs else line) + "\\n"
elif not backrefs and line + "\\n" not in lines and line not in lines:
    if new and not new[-1].endswith("\\n"):
        new[-1] += "\\n"
    new.append(line + "\\n")
if new != lines:
    tmp = path + ".prov-tmp"
    with open(tmp, "wb") as f:
        f.write("".join(new).encode("utf-8"))
    st = os.stat(path)
    os.chmod(tmp, st.st_mode & 0o7777)
    os.chown(tmp, st.st_uid, st.st_gid)
    os.replace(tmp, path)
    print("changed " + path)
`;

const LINEINFILE_ARGS = new Set(['path', 'dest', 'destfile', 'name', 'regexp', 'regex', 'line', 'value', 'backrefs', 'state']);

function where(task: Task): string {
  return `task '${task.name}' (${task.origin.file})`;
}

function answerTask(task: Task, answer: unknown): Task {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new ProvError('parse', `${where(task)}: ${FIRST_BOOT_VAR} must be a mapping with stdout and/or rc`);
  }
  const a = answer as Record<string, unknown>;
  const unknown = Object.keys(a).filter((k) => k !== 'stdout' && k !== 'rc');
  if (unknown.length > 0) throw new ProvError('parse', `${where(task)}: ${FIRST_BOOT_VAR} has unknown keys ${unknown.join(', ')} (stdout, rc)`);
  if (task.loop !== undefined || task.loopWith !== undefined) throw new ProvError('parse', `${where(task)}: a loop cannot have a ${FIRST_BOOT_VAR} answer`);
  const stdout = a.stdout ?? '';
  const rc = a.rc ?? 0;
  const registered = { cmd: 'first boot', stdout, stderr: '', rc, stdout_lines: [], stderr_lines: [], changed: false, failed: false };
  const { register, ...rest } = task;
  if (!register) throw new ProvError('parse', `${where(task)}: ${FIRST_BOOT_VAR} answers what the task registers, but it has no register`);
  const vars = { ...task.vars };
  delete vars[FIRST_BOOT_VAR];
  return {
    ...rest,
    module: 'set_fact',
    args: { [register]: registered },
    changedWhen: undefined,
    failedWhen: undefined,
    checkMode: undefined,
    vars,
  };
}

function lineinfileAtBoot(task: Task): Task {
  if (typeof task.args !== 'object' || task.args === null || Array.isArray(task.args)) {
    throw new ProvError('parse', `${where(task)}: lineinfile in user-data needs its arguments as a mapping`);
  }
  const a = task.args as Record<string, unknown>;
  const extra = Object.keys(a).filter((k) => !LINEINFILE_ARGS.has(k));
  if (extra.length > 0)
    throw new ProvError('parse', `${where(task)}: lineinfile ${extra.join(', ')} is not supported in user-data (path, regexp, line, backrefs)`);
  if (a.state !== undefined && a.state !== 'present')
    throw new ProvError('parse', `${where(task)}: lineinfile state=${String(a.state)} is not supported in user-data`);
  const path = a.path ?? a.dest ?? a.destfile ?? a.name;
  const line = a.line ?? a.value;
  if (typeof path !== 'string' || typeof line !== 'string') throw new ProvError('parse', `${where(task)}: lineinfile in user-data needs path and line`);
  const backrefs = a.backrefs === undefined ? false : a.backrefs;
  if (typeof backrefs !== 'boolean') throw new ProvError('parse', `${where(task)}: lineinfile backrefs must be true or false in user-data`);
  if (task.register) throw new ProvError('parse', `${where(task)}: a lineinfile with register cannot run at first boot`);
  const regexp = a.regexp ?? a.regex ?? '';
  return { ...task, module: 'command', args: { argv: ['python3', LINEINFILE_PROGRAM, path, String(regexp), line, backrefs ? 'yes' : 'no'] } };
}

function isCommand(module: string): boolean {
  return ['command', 'shell', 'ansible.builtin.command', 'ansible.builtin.shell'].includes(module);
}

/** One task as it runs at first boot (see the file's comment). */
export function firstBootTask(task: Task): Task {
  if (FIRST_BOOT_VAR in task.vars) return answerTask(task, task.vars[FIRST_BOOT_VAR]);
  if (task.module === 'lineinfile' || task.module === 'ansible.builtin.lineinfile') return lineinfileAtBoot(task);
  if (isCommand(task.module)) {
    if (task.register) {
      throw new ProvError(
        'parse',
        `${where(task)} registers what a command reads from the machine, known only at first boot: give it vars: {${FIRST_BOOT_VAR}: {stdout: …, rc: …}}`,
      );
    }
    const failedWhen = task.failedWhen ?? [];
    if (failedWhen.length > 0 && !(failedWhen.length === 1 && /^\s*(false|False|no)\s*$/.test(failedWhen[0]!))) {
      throw new ProvError('parse', `${where(task)}: failed_when depends on the command's output, which user-data cannot evaluate`);
    }
  }
  return task;
}

function mapNodes(nodes: TaskNode[]): TaskNode[] {
  return nodes.map((n) => (isBlock(n) ? { ...n, block: mapNodes(n.block), rescue: mapNodes(n.rescue), always: mapNodes(n.always) } : firstBootTask(n)));
}

/** The playbook with every task (and handler) as it runs at first boot. */
export function firstBootPlaybook(playbook: Playbook): Playbook {
  return {
    ...playbook,
    plays: playbook.plays.map((play) => ({ ...play, tasks: mapNodes(play.tasks), handlers: play.handlers.map(firstBootTask) })),
  };
}

/** Whether a failure of this (first-boot) task is ignored, so that the boot goes on. */
export function failureIgnored(task: Task): boolean {
  return task.ignoreErrors || (task.failedWhen ?? []).length > 0;
}
