/**
 * Autoscaled hosts with no SSH step: `prov lab up --cloud-init-hosts` boots the host with
 * cloud-init and a NoCloud seed of `prov render cloud-init` user-data. Its first boot installs the
 * packages from the offline apt source and applies the host role up to the BGP wait, keeping
 * the cloud's (DHCP) default; once `prov apply --limit routers` has run, the host joins the ECMP
 * set by itself, `prov verify` passes, and a --check of the host role finds nothing to change.
 * The test reads the host over SSH but never configures it. One lab for the file.
 */
import test from 'ava';
import { lab } from '../helpers/lab.js';
import { assertSeedShape, hostDefaults, inventoryPath, onNode, prov, readInventory, recap, type LabInventory } from './roles-support.js';

const NAME = 'ci1';
const INV = inventoryPath(NAME);
const ROUTERS = ['192.168.100.20', '192.168.100.21'];
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--cloud-init-hosts']);
  if (up.code !== 0) throw new Error(`lab up --cloud-init-hosts failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The first-boot log: [seconds since boot, step] per line. */
async function bootLog(t: Parameters<typeof onNode>[0]): Promise<Array<[number, string]>> {
  const text = await onNode(t, inv, 'host', 'cat /var/log/prov-first-boot.log 2>/dev/null || true');
  return [...text.matchAll(/^prov first boot: ([\d.]+) s since boot: (.*)$/gm)].map((m) => [Number(m[1]), m[2]!]);
}

async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`${what}: not within ${seconds} s`);
    await sleep(1000);
  }
}

test.serial('the host configures itself at first boot and joins the ECMP set once the routers are applied', async (t) => {
  // Before the routers: packages installed from the offline source, FRR configured, waiting for BGP;
  // the cloud's default route stays (the role's safety rule).
  const waiting = await waitFor('the first boot reaching the BGP wait', 600, async () => {
    const log = await bootLog(t);
    return log.find(([, step]) => step.startsWith('wait until FRR has the BGP default route'));
  });
  t.log(`boot to the BGP wait (packages, sysctl, supernet route, FRR): ${waiting[0]} s`);
  const packages = await onNode(t, inv, 'host', "dpkg-query -W -f='${Package} ${Status}\\n' frr frr-pythontools nftables");
  t.is(packages.split('\n').filter((l) => l.endsWith('install ok installed')).length, 3, packages);
  const before = await hostDefaults(t, inv);
  t.deepEqual(before.others, ['default via 192.168.100.1 dev ens6'], before.text);
  t.is(before.hops.length, 0, before.text);
  t.regex(await onNode(t, inv, 'host', 'sysctl -n net.ipv4.fib_multipath_hash_policy'), /^1$/m);
  t.regex(await onNode(t, inv, 'host', 'ip -4 route show 192.168.100.0/23'), /via 192\.168\.100\.1 dev ens6/);

  const routers = await prov(['apply', INV, '--limit', 'routers']);
  t.is(routers.code, 0, `${routers.stderr}\n${routers.stdout.slice(-3000)}`);
  t.deepEqual(Object.keys(recap(routers.stdout)).sort(), ['r1', 'r2'], 'prov apply touched only the routers');
  const appliedAt = Number(
    await onNode(t, inv, 'host', `awk -v now="$(cut -d' ' -f1 /proc/uptime)" -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", now - $22 / hz }' /proc/1/stat`),
  );

  await waitFor('the ECMP default on the host', 180, async () => ((await hostDefaults(t, inv)).hops.length === 2 ? true : undefined));
  const status = await onNode(t, inv, 'host', 'cloud-init status --wait --long || true');
  t.regex(status, /^status: done$/m, status);
  const after = await hostDefaults(t, inv);
  assertSeedShape(t, after.text, ROUTERS);
  t.deepEqual(after.others, []);

  const log = await bootLog(t);
  const move = log.findIndex(([, step]) => step.startsWith('move the default route from DHCP to BGP'));
  t.true(move >= 0 && move + 1 < log.length, JSON.stringify(log));
  const ecmpAt = log[move + 1]![0];
  t.is(log.at(-1)![1], 'done: the host role is applied');
  t.log(`boot to the ECMP default: ${ecmpAt} s (the routers' apply ended at ${appliedAt} s since the host's boot)`);
  t.log(`first boot done (pinning running): ${log.at(-1)![0]} s since boot`);
  t.regex(await onNode(t, inv, 'host', 'systemctl is-active prov-pinning'), /^active$/m);

  const verify = await prov(['verify', INV]);
  t.is(verify.code, 0, verify.stdout + verify.stderr);
  t.regex(verify.stdout, /all \d+ checks passed/);
});

test.serial('the user-data did what the host role does: a --check of the role finds nothing to change', async (t) => {
  // The lab renders with a long BGP wait (its routers come after the hosts); the same value here.
  const check = await prov(['apply', INV, '--limit', 'hosts', '--check', '--diff', '-e', 'host_bgp_wait_timeout=1800']);
  t.is(check.code, 0, check.stderr + check.stdout.slice(-3000));
  t.is(recap(check.stdout).host?.changed, 0, check.stdout.slice(-4000));
});
