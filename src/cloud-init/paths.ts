/** Where first-boot user-data keeps what it stages on the machine. */
export const FIRST_BOOT_DIR = '/var/lib/prov/first-boot';
/** One line per task as it starts, with the seconds since boot: how long each took (and the whole). */
export const FIRST_BOOT_LOG = '/var/log/prov-first-boot.log';
/** The boot-time lineinfile (first-boot-tasks.ts). */
export const LINEINFILE_PROGRAM = `${FIRST_BOOT_DIR}/lineinfile.py`;
/** `prov-log TEXT`: a line in FIRST_BOOT_LOG (and on cloud-init's output) with the seconds since boot. */
export const LOG_PROGRAM = `${FIRST_BOOT_DIR}/log`;
