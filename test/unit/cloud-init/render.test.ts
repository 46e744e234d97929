/**
 * prov render cloud-init: the host role planned against a fresh image, as first-boot steps.
 * The order of the steps is the role's safety rule; the files are the role's templates.
 */
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { renderCloudInit } from '../../../src/cloud-init/render.js';
import { SUPERNET_PLACEHOLDER } from '../../../src/cloud-init/imds.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { repoRoot } from '../roles/render.js';

const LAB = {
  all: {
    vars: {
      subnet_cidr: '192.168.100.0/24',
      vpc_supernet: '192.168.100.0/23',
      subnet_gateway: '192.168.100.1',
      bgp_listen_range: '192.168.100.96/27',
      subnet_interface: 'ens6',
    },
    children: {
      routers: { hosts: { r1: { subnet_address: '192.168.100.20' }, r2: { subnet_address: '192.168.100.21' } } },
      hosts: { hosts: { h1: { subnet_address: '192.168.100.100' } } },
    },
  },
};

async function render(inventory: unknown, o: { network?: string; release?: string; playbook?: string; extraVars?: Record<string, unknown> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'prov-ci-'));
  writeFileSync(join(dir, 'inv.yml'), dump(inventory));
  return renderCloudInit({
    inventory: await loadInventory([join(dir, 'inv.yml')]),
    playbook: await loadPlaybook(o.playbook ?? join(repoRoot, 'playbooks/site.yml')),
    host: 'h1',
    extraVars: o.extraVars ?? {},
    network: o.network,
    release: o.release,
  });
}

type Doc = { packages: string[]; write_files: { path: string; content: string }[]; runcmd: string[] };
const parse = (text: string) => load(text) as Doc;
const staged = (doc: Doc, path: string) => doc.write_files.find((f) => f.path === `/var/lib/prov/first-boot/files${path}`)?.content;
const at = (doc: Doc, pattern: RegExp) => {
  const i = doc.runcmd.findIndex((line) => pattern.test(line));
  if (i < 0) throw new Error(`no runcmd line matches ${pattern}`);
  return i;
};

test('ifupdown image: packages, the hash sysctl, the supernet route, then FRR, the BGP wait, the move, pinning', async (t) => {
  const r = await render(LAB);
  t.true(r.userData.startsWith('#cloud-config\n'));
  const doc = parse(r.userData);
  t.deepEqual(doc.packages, ['frr', 'frr-pythontools', 'nftables', 'python3']);
  t.is(doc.runcmd[0], 'set -e');
  t.is(staged(doc, '/etc/sysctl.d/90-prov-host.conf'), 'net.ipv4.fib_multipath_hash_policy=1\n');
  const route = at(doc, /^ip -4 route replace 192\.168\.100\.0\/23 via 192\.168\.100\.1 dev ens6$/);
  const frrConf = at(doc, /< \/var\/lib\/prov\/first-boot\/files\/etc\/frr\/frr\.conf$/);
  const rib = at(doc, /^\/usr\/local\/sbin\/prov-wait-bgp-default rib 60$/);
  const move = at(doc, /^\/usr\/local\/sbin\/prov-wait-bgp-default move 60$/);
  const pinning = at(doc, /^systemctl start -- prov-pinning$/);
  t.true(at(doc, /^sysctl -w net\.ipv4\.fib_multipath_hash_policy=1$/) < route);
  t.true(route < frrConf && frrConf < rib && rib < move && move < pinning);
  // dhclient stops asking for routers (its lease keeps the running default until the move).
  t.true(at(doc, /lineinfile\.py \/etc\/dhcp\/dhclient\.conf /) < move);
  t.true(at(doc, /lineinfile\.py \/etc\/frr\/daemons '\^bgpd=' bgpd=yes no$/) < frrConf);
  // The role's templates, rendered for the host: both routers are neighbours and next hops.
  const conf = staged(doc, '/etc/frr/frr.conf')!;
  t.regex(conf, /^frr defaults datacenter$/m);
  t.regex(conf, /^ neighbor 192\.168\.100\.20 peer-group routers$/m);
  t.regex(conf, /^ neighbor 192\.168\.100\.21 peer-group routers$/m);
  t.regex(staged(doc, '/usr/local/sbin/prov-wait-bgp-default')!, /^expected="192\.168\.100\.20 192\.168\.100\.21"$/m);
  t.truthy(staged(doc, '/etc/network/if-up.d/prov-supernet-route'));
  t.truthy(staged(doc, '/etc/systemd/system/prov-pinning.service'));
  // frr.conf is checked by vtysh and owned by frr when it is put in place (after the packages).
  const installer = doc.write_files.find((f) => f.content.includes('/etc/frr/frr.conf: rename into place failed'))!;
  t.regex(installer.content, /vtysh --dryrun --inputfile "\$__t"/);
  t.regex(installer.content, /chown -- frr "\$__t"/);
  t.false(r.supernetFromImds);
});

test('the FRR config is the one for the FRR the image installs: bookworm 8.4.4 with neighbor bfd, trixie 10.3 with bfdd peers', async (t) => {
  const bookworm = staged(parse((await render(LAB, { release: 'bookworm' })).userData), '/etc/frr/frr.conf')!;
  t.regex(bookworm, /^ neighbor routers bfd profile /m);
  t.notRegex(bookworm, /^ peer 192\.168\.100\.20 interface/m);
  const trixie = staged(parse((await render(LAB, { release: 'trixie' })).userData), '/etc/frr/frr.conf')!;
  t.notRegex(trixie, /^ neighbor routers bfd/m);
  t.regex(trixie, /^ peer 192\.168\.100\.20 interface ens6$/m);
  t.regex(trixie, /^ peer 192\.168\.100\.21 interface ens6$/m);
});

test('netplan image: the DHCP drop-in lands only after the BGP default moved, then the move is waited for again', async (t) => {
  const doc = parse((await render(LAB, { network: 'netplan' })).userData);
  const foreign = at(doc, /files\/etc\/systemd\/networkd\.conf\.d\/90-prov-foreign\.conf$/);
  const restart = at(doc, /^systemctl restart systemd-networkd$/);
  const moves = doc.runcmd.map((l, i) => (/prov-wait-bgp-default move/.test(l) ? i : -1)).filter((i) => i >= 0);
  const dhcp = at(doc, /files\/etc\/systemd\/network\/10-netplan-ens6\.network\.d\/91-prov-dhcp\.conf$/);
  t.true(foreign < restart);
  t.is(moves.length, 2);
  t.true(moves[0]! < dhcp && dhcp < moves[1]!);
  t.false(doc.runcmd.some((l) => l.includes('dhclient.conf')));
  t.regex(staged(doc, '/etc/systemd/network/10-netplan-ens6.network.d/91-prov-dhcp.conf')!, /^UseGateway=false$/m);
});

test('networkd image: the .network file must be named (host_network_file), it is known only on the machine', async (t) => {
  await t.throwsAsync(render(LAB, { network: 'networkd' }), { message: /find systemd-networkd's file.*undefined variable 'host_network_file'/ });
  const doc = parse((await render(LAB, { network: 'networkd', extraVars: { host_network_file: '10-ens6.network' } })).userData);
  t.truthy(staged(doc, '/etc/systemd/network/10-ens6.network.d/90-prov-route.conf'));
});

test('no vpc_supernet: the supernet is read from IMDS at boot and put in every file and command that has it', async (t) => {
  const inv = structuredClone(LAB) as typeof LAB & { all: { vars: Record<string, unknown> } };
  delete (inv.all.vars as Record<string, unknown>).vpc_supernet;
  const r = await render(inv);
  t.true(r.supernetFromImds);
  const doc = parse(r.userData);
  const fetch = at(doc, /^sh \/var\/lib\/prov\/first-boot\/vpc-supernet\.sh$/);
  const route = at(doc, /^ip -4 route replace "\$\(cat \/var\/lib\/prov\/first-boot\/vpc-supernet\)" via 192\.168\.100\.1 dev ens6$/);
  t.true(fetch < route);
  t.true(staged(doc, '/etc/network/if-up.d/prov-supernet-route')!.includes(SUPERNET_PLACEHOLDER));
  t.regex(
    doc.runcmd[at(doc, /if-up\.d\/prov-supernet-route/)]!,
    /^sed "s\|PROV_VPC_SUPERNET_FROM_IMDS\|\$\(cat \/var\/lib\/prov\/first-boot\/vpc-supernet\)\|g" /,
  );
  t.false(doc.runcmd.some((l) => !l.startsWith('sed ') && l.includes(SUPERNET_PLACEHOLDER)));
});

test('a task that reads the machine without a first-boot answer is an error naming it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'prov-ci-'));
  writeFileSync(
    join(dir, 'play.yml'),
    dump([{ hosts: 'hosts', gather_facts: false, tasks: [{ name: 'read the kernel', command: 'uname -r', register: 'kernel', changed_when: false }] }]),
  );
  await t.throwsAsync(render(LAB, { playbook: join(dir, 'play.yml') }), {
    message: /task 'read the kernel' .*registers what a command reads from the machine.*prov_first_boot/,
  });
});

test('a module that edits a file only the machine has (blockinfile) is an error, not a guess', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'prov-ci-'));
  writeFileSync(
    join(dir, 'play.yml'),
    dump([{ hosts: 'hosts', gather_facts: false, tasks: [{ name: 'edit', blockinfile: { path: '/etc/hosts', block: 'x' } }] }]),
  );
  await t.throwsAsync(render(LAB, { playbook: join(dir, 'play.yml') }), {
    message: /task 'edit'.*\/etc\/hosts: its content on the image is known only at first boot/,
  });
});
