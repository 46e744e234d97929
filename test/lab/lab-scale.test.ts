/** A bigger real lab: 2 routers + 10 hosts, every host with its own DHCP address and SSH host key. */
import test from 'ava';
import { lab, readInventory, ssh } from '../helpers/lab.js';

const NAME = 'lab-t10';

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

test('2 routers + 10 hosts come up, each host with its DHCP address and the cloud default route', async (t) => {
  const up = await lab(['up', '--name', NAME, '--routers', '2', '--hosts', '10']);
  t.is(up.code, 0, up.stderr);
  t.log(`lab up (2 routers + 10 hosts): ${up.ms} ms; ${up.stderr.trim().split('\n').slice(-2, -1)[0]}`);
  const inv = readInventory(NAME);
  t.deepEqual(Object.keys(inv.hosts), ['host', ...Array.from({ length: 9 }, (_, i) => `host${i + 2}`)]);
  t.is(inv.vars.bgp_listen_range, '192.168.100.96/27');
  const hosts = Object.entries(inv.hosts);
  hosts.forEach(([, h], i) => t.is(h.subnet_address, `192.168.100.${100 + i}`));
  const results = await Promise.all(
    hosts.map(([name, h]) => ssh(inv, h.ansible_host, 'hostname; ip -4 -o addr show ens6; ip -4 route show default').then((r) => ({ name, h, r }))),
  );
  for (const { name, h, r } of results) {
    t.is(r.code, 0, `${name}: ${r.stderr}`);
    t.regex(r.stdout, new RegExp(`^${name}\\n`));
    t.true(r.stdout.includes(`inet ${h.subnet_address}/24`), `${name}: ${r.stdout}`);
    t.regex(r.stdout, /default via 192\.168\.100\.1 dev ens6/);
  }
  for (const [name, r] of Object.entries(inv.routers)) {
    const res = await ssh(inv, r.ansible_host, 'ip -4 -o addr show ens7');
    t.is(res.code, 0, `${name}: ${res.stderr}`);
    t.true(res.stdout.includes(`inet ${r.upstream_address}/24`));
  }
  const down = await lab(['down', '--name', NAME]);
  t.is(down.code, 0, down.stderr);
  t.log(`lab down (12 nodes): ${down.ms} ms`);
});
