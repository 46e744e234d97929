/**
 * The recorded first-boot steps as cloud-config: `packages` for what the role installs,
 * `write_files` for everything the boot needs in place (each file's content, staged root-only,
 * and the small script that installs it), `runcmd` for the steps in the role's order.
 *
 * Files are staged and put in place by runcmd, not written by write_files at their paths:
 * write_files runs before the packages and before any command, and the role's order is its
 * safety rule (the DHCP drop-in that drops the cloud's default route lands only after FRR's
 * ECMP default is in; frr.conf is checked by vtysh and owned by frr, which exists only once
 * frr is installed). Each file goes in as prov apply writes it (src/state/file-script.ts).
 */
import { dump } from 'js-yaml';
import { textOf, toBytes } from '../core/file-bytes.js';
import { shellQuote } from '../core/transport.js';
import { buildFileScript } from '../state/file-script.js';
import { SUPERNET_FILE, SUPERNET_PLACEHOLDER, supernetSed, withBootSupernet } from './imds.js';
import type { FirstBootRecord } from './recorder.js';

import { LINEINFILE_PY } from './first-boot-tasks.js';
import { FIRST_BOOT_DIR, FIRST_BOOT_LOG, LINEINFILE_PROGRAM, LOG_PROGRAM } from './paths.js';

/** Seconds since the machine (or the container) booted: now minus PID 1's start (in a container /proc/uptime is the host's). */
const LOG_SH = `#!/bin/sh
# prov: a progress line with the seconds since boot, in ${FIRST_BOOT_LOG} and on cloud-init's output.
since=$(awk -v now="$(cut -d' ' -f1 /proc/uptime)" -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", now - $22 / hz }' /proc/1/stat)
echo "prov first boot: $since s since boot: $*" | tee -a ${FIRST_BOOT_LOG}
`;

export interface UserDataOptions {
  host: string;
  /** Header lines (comments) saying where the document comes from. */
  source: string[];
  /** sh script that writes the supernet from the instance metadata, when the inventory has none. */
  supernetScript?: string;
}

interface WriteFile {
  path: string;
  permissions: string;
  owner: string;
  content: string;
  encoding?: 'b64';
}

function staged(path: string, bytes: Buffer, permissions = '0600'): WriteFile {
  const text = textOf(bytes);
  return text === null
    ? { path, permissions, owner: 'root:root', content: bytes.toString('base64'), encoding: 'b64' }
    : { path, permissions, owner: 'root:root', content: text };
}

const step = (n: number) => String(n).padStart(2, '0');

export function userData(record: FirstBootRecord, o: UserDataOptions): string {
  const files: WriteFile[] = [staged(LOG_PROGRAM, Buffer.from(LOG_SH), '0700')];
  if (record.steps.some((s) => s.kind === 'exec' && s.command.includes(LINEINFILE_PROGRAM)))
    files.push(staged(LINEINFILE_PROGRAM, Buffer.from(LINEINFILE_PY), '0600'));
  // One shell script (cloud-init's runcmd): the first step that fails stops the rest, as a failed task stops a host.
  const runcmd: string[] = ['set -e'];
  const log = (text: string) => `sh ${LOG_PROGRAM} ${shellQuote(text)}`;
  if (o.supernetScript !== undefined) {
    files.push(staged(`${FIRST_BOOT_DIR}/vpc-supernet.sh`, Buffer.from(o.supernetScript), '0700'));
    runcmd.push(log('the VPC supernet from the instance metadata'), `sh ${FIRST_BOOT_DIR}/vpc-supernet.sh`);
  }
  let lastTask: string | undefined;
  record.steps.forEach((s, i) => {
    if (s.task !== lastTask) runcmd.push(log(s.task));
    lastTask = s.task;
    if (s.kind === 'exec') {
      const command = o.supernetScript !== undefined ? withBootSupernet(s.command) : s.command;
      runcmd.push(s.ignoreFailure ? `${command} || true` : command);
      return;
    }
    const script = `${FIRST_BOOT_DIR}/steps/${step(i + 1)}.sh`;
    const body = `#!/bin/sh\n# prov: ${s.task}\n${buildFileScript([s.action], new Date(0), () => 'cat').script}\n`;
    files.push(staged(script, Buffer.from(body), '0700'));
    if (s.action.kind !== 'write') {
      runcmd.push(`sh ${script}`);
      return;
    }
    const content = `${FIRST_BOOT_DIR}/files${s.action.path}`;
    const bytes = toBytes(s.action.content);
    files.push(staged(content, bytes));
    const needsSupernet = o.supernetScript !== undefined && bytes.includes(SUPERNET_PLACEHOLDER);
    runcmd.push(needsSupernet ? `${supernetSed()} ${content} | sh ${script}` : `sh ${script} < ${content}`);
  });
  runcmd.push(log('done: the host role is applied'));
  const doc: Record<string, unknown> = {};
  if (record.packageUpdate) doc.package_update = true;
  if (record.packages.length > 0) doc.packages = record.packages;
  doc.write_files = files;
  doc.runcmd = runcmd;
  const header = [
    '#cloud-config',
    `# prov: first-boot user-data for host ${o.host}: what \`prov apply\` does with the host role, at first boot.`,
    ...o.source.map((line) => `# ${line}`),
    `# Progress and timings: ${FIRST_BOOT_LOG}; files are staged in ${FIRST_BOOT_DIR} and put in place in the role's order.`,
    ...(o.supernetScript !== undefined ? [`# The VPC supernet comes from the instance metadata (IMDSv2) at boot, into ${SUPERNET_FILE}.`] : []),
  ];
  return `${header.join('\n')}\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}
