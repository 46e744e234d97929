/**
 * The real lab (root, systemd-nspawn, namespaces): 2 routers + 1 host, the seed's topology.
 * Every test here talks to real nodes; the lab is torn down even when a test fails.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { lab, labProcesses, leftovers, readInventory, ssh, stillListed, type LabInventory } from '../helpers/lab.js';
import { ROLE_PACKAGES } from '../../src/lab/packages.js';

// PROV_LAB_TEST_NAME runs this file under another lab name (beside a lab-t1 that is in use).
const NAME = process.env.PROV_LAB_TEST_NAME ?? 'lab-t1';
let inv: LabInventory;
let labIdPrefix = '';

test.before(async (t) => {
  const up = await lab(['up', '--name', NAME]);
  t.log(`lab up (2 routers + 1 host): ${up.ms} ms, ${up.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}): ${up.stderr}`);
  inv = readInventory(NAME);
  labIdPrefix = JSON.parse(readFileSync(`/run/prov/${NAME}/state.json`, 'utf8')).topology.id;
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

const nodes = () => ({ ...inv.routers, ...inv.hosts });

test.serial('the inventory has the seed addresses and the subnet facts', (t) => {
  t.deepEqual(Object.keys(inv.routers), ['r1', 'r2']);
  t.deepEqual(Object.keys(inv.hosts), ['host']);
  t.like(inv.routers.r1, { subnet_address: '192.168.100.20', upstream_address: '203.0.113.20' });
  t.like(inv.routers.r2, { subnet_address: '192.168.100.21', upstream_address: '203.0.113.21' });
  t.like(inv.hosts.host, { subnet_address: '192.168.100.100' });
  t.regex(inv.routers.r1.ansible_host, /\.10$/);
  t.regex(inv.hosts.host.ansible_host, /\.12$/);
  t.like(inv.vars, {
    ansible_user: 'root',
    lab_name: NAME,
    subnet_cidr: '192.168.100.0/24',
    vpc_supernet: '192.168.100.0/23',
    subnet_gateway: '192.168.100.1',
    bgp_listen_range: '192.168.100.96/27',
    subnet_interface: 'ens6',
    lab_test_server: '198.51.100.10',
    lab_echo_port: 9000,
    lab_peer_address: '192.168.101.10',
  });
  t.is(inv.routerVars.upstream_interface, 'ens7');
});

test.serial('up on a running lab says so and changes nothing', async (t) => {
  const before = readFileSync(`/run/prov/${NAME}/state.json`, 'utf8');
  const again = await lab(['up', '--name', NAME]);
  t.is(again.code, 0);
  t.regex(again.stderr, /already running/);
  t.is(readFileSync(`/run/prov/${NAME}/state.json`, 'utf8'), before);
});

test.serial('every node answers over SSH with strict host key checking and runs systemd', async (t) => {
  const keys = new Set<string>();
  for (const [name, node] of Object.entries(nodes())) {
    const r = await ssh(inv, node.ansible_host, 'hostname; systemctl is-system-running; cat /etc/ssh/ssh_host_ed25519_key.pub');
    t.is(r.code, 0, `${name}: ${r.stderr}`);
    const [hostname, systemState, hostKey] = r.stdout.trim().split('\n');
    t.is(hostname, name);
    t.regex(systemState ?? '', /^(running|degraded)$/, `${name} is ${systemState}`);
    keys.add(hostKey!.split(' ')[1]!);
  }
  t.is(keys.size, 3, 'each node has its own host key');
});

test.serial('a wrong known_hosts entry is refused (host keys are really checked)', async (t) => {
  const bogus = { ...inv, vars: { ...inv.vars, prov_known_hosts_file: '/dev/null' } };
  const r = await ssh(bogus, inv.routers.r1.ansible_host, 'true');
  t.not(r.code, 0);
  t.regex(r.stderr, /host key/i);
});

test.serial('the host holds a DHCP lease and the cloud default route via the subnet gateway', async (t) => {
  const r = await ssh(
    inv,
    inv.hosts.host.ansible_host,
    'cat /var/lib/dhcp/dhclient.ens6.leases; echo ---; ip -4 route show default; echo ---; ip -4 -o addr show ens6; pgrep -a dhclient',
  );
  t.is(r.code, 0, r.stderr);
  const [lease = '', route = '', rest = ''] = r.stdout.split('---\n');
  t.regex(lease, /fixed-address 192\.168\.100\.100;/);
  t.regex(lease, /option routers 192\.168\.100\.1;/);
  t.regex(route, /^default via 192\.168\.100\.1 dev ens6/m);
  t.regex(rest, /inet 192\.168\.100\.100\/24/);
  t.regex(rest, /dhclient.*ens6/);
});

test.serial('the test server is unreachable from the host (no path yet)', async (t) => {
  const r = await ssh(
    inv,
    inv.hosts.host.ansible_host,
    'timeout 3 bash -c "echo x > /dev/tcp/198.51.100.10/9000" && echo TCP-OK; curl -sS -m 3 http://198.51.100.10/ && echo HTTP-OK; true',
  );
  t.is(r.code, 0, r.stderr);
  t.notRegex(r.stdout, /TCP-OK|HTTP-OK/);
});

test.serial('the test server answers TCP/UDP echo, HTTP and HTTPS (SNI) from each router', async (t) => {
  for (const [name, node] of Object.entries(inv.routers)) {
    const r = await ssh(
      inv,
      node.ansible_host,
      [
        'exec 3<>/dev/tcp/198.51.100.10/9000; echo echo-$(hostname) >&3; head -1 <&3; exec 3<&-',
        'curl -sS -m 3 http://198.51.100.10/probe',
        'for n in allowed.example.test denied.example.test; do curl -sSk -m 3 --resolve $n:443:198.51.100.10 -w "%{certs}" https://$n/ | grep -m1 "^Subject:"; done',
      ].join('; '),
    );
    t.is(r.code, 0, `${name}: ${r.stderr}`);
    t.regex(r.stdout, new RegExp(`^echo-${name}$`, 'm'));
    t.regex(r.stdout, /prov lab test server: 198\.51\.100\.10\/probe/);
    t.regex(r.stdout, /Subject:\s*CN\s*=\s*allowed\.example\.test/);
    t.regex(r.stdout, /Subject:\s*CN\s*=\s*denied\.example\.test/);
  }
  // UDP echo, from r1: python is not in the image, so use bash's /dev/udp and the kernel's reply.
  const udp = await ssh(inv, inv.routers.r1.ansible_host, 'exec 3<>/dev/udp/198.51.100.10/9000; echo udp-echo >&3; timeout 3 head -1 <&3');
  t.is(udp.stdout.trim(), 'udp-echo', udp.stderr);
});

test.serial("every node's resolv.conf names only the lab's DNS server, which answers the TLS names and nothing else", async (t) => {
  for (const [name, node] of Object.entries(nodes())) {
    const r = await ssh(inv, node.ansible_host, 'cat /etc/resolv.conf');
    t.is(r.code, 0, `${name}: ${r.stderr}`);
    const servers = [...r.stdout.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]);
    t.deepEqual(servers, ['198.51.100.53'], `${name}: ${r.stdout}`);
  }
  for (const [name, node] of Object.entries(inv.routers)) {
    const r = await ssh(
      inv,
      node.ansible_host,
      'getent hosts allowed.example.test; getent hosts denied.example.test; getent hosts deb.example.org; echo "other=$?"',
    );
    t.is(r.code, 0, `${name}: ${r.stderr}`);
    t.regex(r.stdout, /^198\.51\.100\.10\s+allowed\.example\.test$/m, `${name}: ${r.stdout}`);
    t.regex(r.stdout, /^198\.51\.100\.10\s+denied\.example\.test$/m, `${name}: ${r.stdout}`);
    t.regex(r.stdout, /^other=2$/m, `${name}: any other name is unknown (NXDOMAIN, nothing forwarded)`);
  }
  const log = readFileSync(`/run/prov/${NAME}/dns.log`, 'utf8');
  t.regex(log, /query\[A\] allowed\.example\.test from 203\.0\.113\.2[01]/, 'the answers came from the lab DNS server');
});

test.serial('the peer subnet is reachable from the host through the VPC router', async (t) => {
  const r = await ssh(
    inv,
    inv.hosts.host.ansible_host,
    'ping -c1 -W2 192.168.101.10 >/dev/null && echo PING-OK; exec 3<>/dev/tcp/192.168.101.10/9000; echo peer >&3; head -1 <&3; ip route get 192.168.101.10',
  );
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /PING-OK/);
  t.regex(r.stdout, /^peer$/m);
  t.regex(r.stdout, /via 192\.168\.100\.1 dev ens6/);
});

test.serial('role packages come from the offline repository, not pre-installed', async (t) => {
  const host = inv.hosts.host.ansible_host;
  const pre = await ssh(inv, host, "dpkg-query -W -f='${Status}' frr 2>/dev/null; true");
  t.notRegex(pre.stdout, /install ok installed/);
  const sim = await ssh(inv, host, `apt-get install --simulate -y ${ROLE_PACKAGES.join(' ')}`);
  t.is(sim.code, 0, sim.stderr);
  const r1 = inv.routers.r1.ansible_host;
  const real = await ssh(inv, r1, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q frr >/dev/null && dpkg-query -W -f='${Version}' frr");
  t.is(real.code, 0, real.stderr);
  t.regex(real.stdout, /^8\.4\.4/);
});

test.serial('lab exec passes the exit code through; lab status lists every node as up', async (t) => {
  const ok = await lab(['exec', '--name', NAME, 'host', '--', 'ip', '-4', 'addr', 'show', 'ens6']);
  t.is(ok.code, 0);
  t.regex(ok.stdout, /192\.168\.100\.100/);
  const fail = await lab(['exec', '--name', NAME, 'r2', '--', 'exit 7']);
  t.is(fail.code, 7);
  const status = await lab(['status', '--name', NAME]);
  t.is(status.code, 0, status.stderr);
  for (const name of ['r1', 'r2', 'host']) t.regex(status.stdout, new RegExp(`^${name}\\s.*\\bup$`, 'm'));
});

test.serial('lab down leaves nothing behind and is safe to run twice', async (t) => {
  t.true(leftovers(NAME, labIdPrefix).netns.length > 0, 'the lab was up before');
  const processes = labProcesses(NAME);
  t.true(processes.length > 3, `the lab's processes: ${processes.join(' ')}`);
  const down = await lab(['down', '--name', NAME]);
  t.is(down.code, 0, down.stderr);
  t.log(`lab down: ${down.ms} ms`);
  // Right when down returns: none of the lab's processes is left, not even as a zombie.
  t.deepEqual(stillListed(processes), [], down.stderr);
  t.deepEqual(leftovers(NAME, labIdPrefix), { netns: [], mounts: [], processes: [], links: [], files: [], cgroups: [] });
  const again = await lab(['down', '--name', NAME]);
  t.is(again.code, 0, again.stderr);
  t.regex(again.stderr, /not running/);
});
