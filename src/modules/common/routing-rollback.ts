/**
 * Commit-confirmed routing: the shell scripts that arm, confirm and carry out a host's rollback,
 * as data (the arm_routing and confirm_routing modules send them; nothing here does I/O).
 *
 * State on the host, in ROLLBACK_DIR (persistent, so that a reboot while armed still rolls back):
 *   pending     exists while a transaction is armed; renamed (atomically) by whichever of the
 *               confirm and the restore comes first, so that only one of them acts
 *   manifest    one line per saved path: "<n><TAB>present|absent<TAB><path>"
 *   files/<n>   the saved copy of a path that existed (cp -a: content, mode, owner)
 *   routes      the main table's static, boot and DHCP routes (`ip -4 -o route`), one per line
 *   commands    shell commands run after the files are back (reload FRR, networkd)
 *   restore.sh  RESTORE_SCRIPT
 * A transient systemd timer (TIMER_UNIT) runs restore.sh when the confirm does not come in time;
 * a boot unit (BOOT_UNIT_PATH, pulled in by sysinit.target before the network starts) runs it
 * after a reboot, since a transient timer does not survive one.
 */
import { shellQuote } from '../../core/transport.js';

export const ROLLBACK_DIR = '/var/lib/prov/rollback';
export const TIMER_UNIT = 'prov-rollback';
export const BOOT_UNIT = 'prov-rollback-boot.service';
export const BOOT_UNIT_PATH = `/etc/systemd/system/${BOOT_UNIT}`;
export const BOOT_UNIT_LINK = `/etc/systemd/system/sysinit.target.wants/${BOOT_UNIT}`;
export const RESTORE_SCRIPT_PATH = `${ROLLBACK_DIR}/restore.sh`;
/** Where the last rollback says what it did (kept for the operator). */
export const ROLLBACK_LOG = '/var/lib/prov/rollback-last.log';

/** Exists while a transaction is armed on the host; holds the time it was armed. */
export const PENDING_PATH = `${ROLLBACK_DIR}/pending`;

/** Why an arm is refused: another run's transaction is pending (the arm script says the same). */
export function pendingMessage(armedAt: string): string {
  return `a routing transaction is already pending (armed ${armedAt}): it is confirmed or rolled back within its timeout`;
}

/** Exit status of the arm script when another transaction is pending on the host. */
export const PENDING_EXIT = 75;
/** Exit status of the confirm script when the host rolled back before the confirm came. */
export const ROLLED_BACK_EXIT = 76;

/** The routes a rollback puts back or removes: not the kernel's own, not FRR's, no multipath. */
const ROUTES = `ip -4 -o route show table main | grep -v -e ' proto kernel' -e ' proto bgp' -e 'nexthop' | sed -e 's/ linkdown//' -e 's/ *$//'`;

export const RESTORE_SCRIPT = `#!/bin/sh
# Written by prov (arm_routing): restores the routing state saved before a routing change that
# was not confirmed. "$1" is timer, boot or now.
set -uf
dir=${ROLLBACK_DIR}
mv "$dir/pending" "$dir/restoring" 2>/dev/null || exit 0
exec >${ROLLBACK_LOG} 2>&1
echo "prov rollback ($1) at $(date -u +%FT%TZ), armed $(cat "$dir/restoring")"
tab=$(printf '\\t')
while IFS="$tab" read -r n state path; do
  if [ "$state" = present ]; then
    cp -a "$dir/files/$n" "$path.prov-rollback" && mv -f "$path.prov-rollback" "$path" && echo "restored $path"
  else
    rm -f "$path" && echo "removed $path"
  fi
done < "$dir/manifest"
if [ "$1" != boot ]; then
  ${ROUTES} > "$dir/routes.now"
  grep -vxF -f "$dir/routes" "$dir/routes.now" | while read -r route; do ip -4 route del $route && echo "deleted route $route"; done
  grep -vxF -f "$dir/routes.now" "$dir/routes" | while read -r route; do ip -4 route replace $route && echo "added route $route"; done
  while read -r command; do sh -c "$command" && echo "ran $command"; done < "$dir/commands"
fi
rm -f ${BOOT_UNIT_LINK} ${BOOT_UNIT_PATH}
rm -rf "$dir"
echo done
`;

const BOOT_UNIT_TEXT = `[Unit]
Description=prov: roll back a routing change that was not confirmed before the reboot
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target systemd-networkd.service networking.service frr.service
Wants=network-pre.target
ConditionPathExists=${ROLLBACK_DIR}/pending

[Service]
Type=oneshot
ExecStart=/bin/sh ${ROLLBACK_DIR}/restore.sh boot
`;

export interface ArmRequest {
  paths: string[];
  commands: string[];
  timeout: number;
  /** Add to the transaction this run armed earlier on the host (a second arm_routing). */
  merge: boolean;
}

/** A heredoc with a delimiter that the text cannot contain. */
function heredoc(text: string, target: string): string {
  return `cat > ${target} <<'PROV_ROLLBACK_EOF'\n${text}PROV_ROLLBACK_EOF`;
}

/** The script that snapshots the paths and routes and arms the timer (or merges into the pending transaction). */
export function armScript(r: ArmRequest): string {
  const save = r.paths.map((p) => `save ${shellQuote(p)}`).join('\n');
  const commands = r.commands.map((c) => `printf '%s\\n' ${shellQuote(c)} >> "$dir/commands"`).join('\n');
  const start = r.merge
    ? `[ -e "$dir/pending" ] || { echo "the routing transaction this run armed is gone (the host rolled back: see ${ROLLBACK_LOG})" >&2; exit ${ROLLED_BACK_EXIT}; }`
    : `if [ -e "$dir/pending" ]; then
  echo "a routing transaction is already pending (armed $(cat "$dir/pending")): it is confirmed or rolled back within its timeout" >&2
  exit ${PENDING_EXIT}
fi
rm -rf "$dir"
mkdir -p "$dir/files"
: > "$dir/manifest"
: > "$dir/commands"
${ROUTES} > "$dir/routes"
${heredoc(RESTORE_SCRIPT, '"$dir/restore.sh"')}
mkdir -p ${BOOT_UNIT_LINK.replace(/\/[^/]+$/, '')}
${heredoc(BOOT_UNIT_TEXT, BOOT_UNIT_PATH)}
ln -sf ${BOOT_UNIT_PATH} ${BOOT_UNIT_LINK}`;
  const arm = r.merge
    ? ''
    : `date -u +%FT%TZ > "$dir/pending"
systemctl stop ${TIMER_UNIT}.timer ${TIMER_UNIT}.service >/dev/null 2>&1 || true
systemctl reset-failed ${TIMER_UNIT}.timer ${TIMER_UNIT}.service >/dev/null 2>&1 || true
systemd-run --quiet --unit=${TIMER_UNIT} --on-active=${r.timeout} --timer-property=AccuracySec=1s /bin/sh "$dir/restore.sh" timer`;
  return `set -eu
dir=${ROLLBACK_DIR}
tab=$(printf '\\t')
save() {
  awk -F "$tab" -v p="$1" '$3 == p { found = 1 } END { exit !found }' "$dir/manifest" && return 0
  n=$(wc -l < "$dir/manifest")
  if [ -e "$1" ] || [ -L "$1" ]; then
    cp -a "$1" "$dir/files/$n"
    printf '%s\\tpresent\\t%s\\n' "$n" "$1" >> "$dir/manifest"
  else
    printf '%s\\tabsent\\t%s\\n' "$n" "$1" >> "$dir/manifest"
  fi
}
${start}
${save}
${commands}
${arm}
`;
}

/** The script that disarms the timer and forgets the transaction; exits ROLLED_BACK_EXIT when the rollback came first. */
export function confirmScript(): string {
  return `dir=${ROLLBACK_DIR}
systemctl stop ${TIMER_UNIT}.timer >/dev/null 2>&1
if ! mv "$dir/pending" "$dir/confirmed" 2>/dev/null; then
  echo "the host rolled back before the confirm came (see ${ROLLBACK_LOG})" >&2
  exit ${ROLLED_BACK_EXIT}
fi
systemctl reset-failed ${TIMER_UNIT}.timer ${TIMER_UNIT}.service >/dev/null 2>&1
rm -f ${BOOT_UNIT_LINK} ${BOOT_UNIT_PATH}
rm -rf "$dir"
true
`;
}
