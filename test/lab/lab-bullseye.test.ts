/** The lab on Debian 11: FRR 7.5.1 in the offline repository, DHCP hosts as on bookworm. */
import test from 'ava';
import { lab, readInventory, ssh } from '../helpers/lab.js';

const NAME = 'lab-tbull';

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

test('a bullseye lab comes up with FRR 7.5.1 available offline', async (t) => {
  const up = await lab(['up', '--name', NAME, '--release', 'bullseye', '--routers', '1']);
  t.is(up.code, 0, up.stderr);
  t.log(`bullseye lab up: ${up.ms} ms`);
  const inv = readInventory(NAME);
  const r1 = await ssh(
    inv,
    inv.routers.r1!.ansible_host,
    '. /etc/os-release; echo $VERSION_CODENAME; apt-cache policy frr | grep Candidate; systemctl is-system-running',
  );
  t.is(r1.code, 0, r1.stderr);
  t.regex(r1.stdout, /^bullseye$/m);
  t.regex(r1.stdout, /Candidate: 7\.5\.1/);
  t.regex(r1.stdout, /^(running|degraded)$/m);
  const host = await ssh(inv, inv.hosts.host!.ansible_host, 'ip -4 route show default; apt-get install --simulate -y frr >/dev/null && echo SIM-OK');
  t.is(host.code, 0, host.stderr);
  t.regex(host.stdout, /default via 192\.168\.100\.1 dev ens6/);
  t.regex(host.stdout, /SIM-OK/);
});
