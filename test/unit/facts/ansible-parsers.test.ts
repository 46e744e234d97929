/** The parsers of the Ansible-shaped facts (src/facts/ansible), on captured and hand-made output. */
import test from 'ava';
import { block, splitBlocks } from '../../../src/facts/ansible/blocks.js';
import { parseAnsibleFacts } from '../../../src/facts/ansible/collect.js';
import { parseDateTime, tzDst, utcForms } from '../../../src/facts/ansible/date-time.js';
import { parseDistribution, parseLsb } from '../../../src/facts/ansible/distribution.js';
import { parseResolvConf } from '../../../src/facts/ansible/dns.js';
import { parseEnv } from '../../../src/facts/ansible/env.js';
import { parseCpuinfo, parseMeminfo } from '../../../src/facts/ansible/hardware.js';
import { parseNetwork, parseRouteGet } from '../../../src/facts/ansible/network.js';
import { parsePkgMgr } from '../../../src/facts/ansible/pkg-mgr.js';
import { fqdnOf, parseUname } from '../../../src/facts/ansible/platform.js';
import { parseServiceMgr } from '../../../src/facts/ansible/service-mgr.js';
import { parseUser } from '../../../src/facts/ansible/user.js';
import { parseVirtual } from '../../../src/facts/ansible/virtual.js';
import { fixture } from './fixture.js';

const M = '@@prov-ansible-block@@';
/** Blocks from name -> text, as the script prints them. */
function blocks(entries: Record<string, string>) {
  return splitBlocks(
    Object.entries(entries)
      .map(([name, text]) => `\n${M} ${name}\n${text}`)
      .join(''),
  );
}

test('blocks: split by name, the first one too, an empty one empty', (t) => {
  const b = splitBlocks(`${M} a\none\ntwo\n\n${M} b\n\n${M} c\nlast`);
  t.deepEqual(
    [...b],
    [
      ['a', 'one\ntwo\n'],
      ['b', ''],
      ['c', 'last'],
    ],
  );
  t.regex(block('x', 'true'), /^printf .* x\n\{ true\n\} 2>\/dev\/null$/);
});

test('the captured Debian 12 controller: the facts Ansible reported for it', (t) => {
  const facts = parseAnsibleFacts(fixture('ansible/debian12-controller.txt'));
  t.like(facts.platform, {
    system: 'Linux',
    kernel: '6.18.44-fc-v1045',
    kernel_version: '#1 SMP PREEMPT_DYNAMIC @0',
    machine: 'x86_64',
    architecture: 'x86_64',
    hostname: 'vm',
    nodename: 'vm',
    fqdn: 'localhost',
    domain: '',
    userspace_bits: '64',
    userspace_architecture: 'x86_64',
    python_version: '3.11.2',
  });
  t.deepEqual(facts.distribution, {
    distribution: 'Debian',
    distribution_version: '12.11',
    distribution_major_version: '12',
    distribution_release: 'bookworm',
    distribution_file_path: '/etc/os-release',
    distribution_file_variety: 'Debian',
    distribution_file_parsed: true,
    distribution_minor_version: '11',
    os_family: 'Debian',
  });
  t.deepEqual(facts.lsb, { lsb: { codename: 'bookworm', description: 'Debian GNU/Linux 12 (bookworm)', id: 'Debian', major_release: '12', release: '12' } });
  t.deepEqual(facts.pkg_mgr, { pkg_mgr: 'apt' });
  t.deepEqual(facts.service_mgr, { service_mgr: 'process_api' });
  t.deepEqual(facts.python, {
    python: {
      executable: '/usr/bin/python3',
      has_sslcontext: true,
      type: 'cpython',
      version: { major: 3, minor: 11, micro: 2, releaselevel: 'final', serial: 0 },
      version_info: [3, 11, 2, 'final', 0],
    },
  });
  t.like(facts.hardware, {
    processor: ['0', 'AuthenticAMD', 'AMD EPYC', '1', 'AuthenticAMD', 'AMD EPYC'],
    processor_count: 1,
    processor_cores: 2,
    processor_threads_per_core: 1,
    processor_vcpus: 2,
    processor_nproc: 2,
    memtotal_mb: 24105,
    swaptotal_mb: 0,
  });
  t.like(facts.network, {
    // Captured while two labs ran: their bridges and veths are in this (root) namespace.
    interfaces: ['eth0', 'pvfc07m1', 'lo', 'ifb0', 'pvfc07br', 'pv9e0bm1', 'pvfc07m2', 'pvfc07m0', 'pv9e0bbr', 'ifb1', 'pv9e0bm2', 'pv9e0bm0'],
    default_ipv4: {
      address: '192.0.2.2',
      alias: 'eth0',
      broadcast: '192.0.2.255',
      gateway: '192.0.2.1',
      interface: 'eth0',
      macaddress: '02:fc:00:00:00:01',
      mtu: 1400,
      netmask: '255.255.255.0',
      network: '192.0.2.0',
      prefix: '24',
      type: 'ether',
    },
    default_ipv6: {
      address: 'fd00::2',
      gateway: 'fd00::1',
      interface: 'eth0',
      macaddress: '02:fc:00:00:00:01',
      mtu: 1400,
      prefix: '64',
      scope: 'global',
      type: 'ether',
    },
    all_ipv4_addresses: ['192.0.2.2'],
    all_ipv6_addresses: ['fd00::2', 'fe80::fc:ff:fe00:1'],
    lo: {
      active: true,
      device: 'lo',
      ipv4: { address: '127.0.0.1', broadcast: '', netmask: '255.0.0.0', network: '127.0.0.0', prefix: '8' },
      ipv6: [{ address: '::1', prefix: '128', scope: 'host' }],
      mtu: 65536,
      promisc: false,
      type: 'loopback',
    },
    ifb0: { active: false, device: 'ifb0', macaddress: '0e:7d:92:3f:61:7e', mtu: 1500, promisc: false, type: 'ether' },
    pvfc07br: {
      type: 'bridge',
      interfaces: ['pvfc07m2', 'pvfc07m0', 'pvfc07m1'],
      id: '8000.0e2b4012470c',
      stp: false,
      ipv4: { address: '10.121.19.1', prefix: '24' },
    },
  });
  t.like(facts.virtual, {
    virtualization_type: 'docker',
    virtualization_role: 'guest',
    virtualization_tech_guest: ['container', 'docker'],
    virtualization_tech_host: ['kvm'],
  });
  t.deepEqual(facts.user, {
    user_id: 'root',
    user_uid: 0,
    user_gid: 0,
    user_gecos: 'root',
    user_dir: '/root',
    user_shell: '/bin/bash',
    real_user_id: 0,
    effective_user_id: 0,
    real_group_id: 0,
    effective_group_id: 0,
  });
  t.deepEqual(facts.env, { env: { HOME: '/root', LOGNAME: 'root', MULTI: 'a\nb' } });
  t.like(facts.date_time, {
    date_time: {
      date: '2026-12-02',
      tz: 'UTC',
      tz_dst: 'UTC',
      tz_offset: '+0000',
      weekday: 'Wednesday',
      weekday_number: '3',
      weeknumber: '48',
      epoch: '1796173723',
      epoch_int: '1796173723',
      iso8601: '2026-12-02T01:08:43Z',
      iso8601_micro: '2026-12-02T01:08:43.994099Z',
      iso8601_basic: '20261202T010843994099',
    },
  });
});

test('empty output: neutral facts, never an error', (t) => {
  const facts = parseAnsibleFacts('');
  t.deepEqual(facts.network, {});
  t.deepEqual(facts.date_time, {});
  t.deepEqual(facts.python, {});
  t.deepEqual(facts.user, {});
  t.like(facts.distribution, { distribution: 'OtherLinux', distribution_version: 'NA', os_family: 'OtherLinux' });
  t.like(facts.virtual, { virtualization_type: 'NA', virtualization_role: 'NA' });
  t.deepEqual(facts.service_mgr, { service_mgr: 'service' });
});

test('uname -snrvm: a version with spaces; fqdn as socket.getfqdn picks it', (t) => {
  t.deepEqual(parseUname('Linux r1 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64'), {
    system: 'Linux',
    nodename: 'r1',
    kernel: '6.1.0-18-amd64',
    kernelVersion: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
    machine: 'x86_64',
  });
  t.is(fqdnOf('r1', '192.168.1.5     r1.example.com r1'), 'r1.example.com');
  t.is(fqdnOf('r1', '127.0.1.1 r1 r1.lab.test'), 'r1.lab.test', 'an alias with a dot wins over a dotless canonical name');
  t.is(fqdnOf('r1', '127.0.0.1 localhost'), 'localhost');
  t.is(fqdnOf('r1', ''), 'r1', 'unresolvable: the name itself');
});

const UBUNTU =
  'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n';

test('distribution: Ubuntu through the Debian file parser; Debian 11 with and without its point release', (t) => {
  t.deepEqual(parseDistribution(blocks({ 'file:/etc/os-release': UBUNTU, 'file:/etc/debian_version': 'bookworm/sid\n' })), {
    distribution: 'Ubuntu',
    distribution_version: '22.04',
    distribution_major_version: '22',
    distribution_release: 'jammy',
    distribution_file_path: '/etc/os-release',
    distribution_file_variety: 'Debian',
    distribution_file_parsed: true,
    os_family: 'Debian',
  });
  const bullseye = 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\nVERSION_CODENAME=bullseye\nID=debian\n';
  const debian11 = blocks({ 'file:/etc/os-release': bullseye, 'file:/etc/debian_version': '11.9\n' });
  t.like(
    parseDistribution(debian11, '1.8.0'),
    {
      distribution: 'Debian',
      distribution_version: '11.9',
      distribution_major_version: '11',
      distribution_minor_version: '9',
      distribution_release: 'bullseye',
    },
    'python3-distro 1.7+ on the target: Ansible takes the point release from /etc/debian_version',
  );
  t.like(parseDistribution(debian11), { distribution_version: '11', distribution_minor_version: '9' }, "Ansible's bundled distro 1.6 does not read it");
  const rocky = 'NAME="Rocky Linux"\nVERSION_ID="9.3"\nID="rocky"\n';
  t.like(parseDistribution(blocks({ 'file:/etc/os-release': rocky })), {
    distribution: 'Rocky',
    distribution_version: '9.3',
    distribution_major_version: '9',
    os_family: 'RedHat',
  });
});

test('lsb: lsb_release -a, else /etc/lsb-release, quotes stripped', (t) => {
  t.deepEqual(
    parseLsb(
      blocks({ lsb_release: 'No LSB modules are available.\nDistributor ID:\tUbuntu\nDescription:\tUbuntu 22.04.4 LTS\nRelease:\t22.04\nCodename:\tjammy\n' }),
    ),
    { lsb: { id: 'Ubuntu', description: 'Ubuntu 22.04.4 LTS', release: '22.04', codename: 'jammy', major_release: '22' } },
  );
  t.deepEqual(
    parseLsb(
      blocks({
        'exists:/etc/lsb-release': 'yes\n',
        'file:/etc/lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_DESCRIPTION="Ubuntu 22.04 LTS"\n',
      }),
    ),
    { lsb: { id: 'Ubuntu', release: '22.04', description: 'Ubuntu 22.04 LTS', major_release: '22' } },
  );
  t.deepEqual(parseLsb(blocks({})), { lsb: {} });
});

test('resolv.conf as Ansible reads it: options with and without values, the last search line', (t) => {
  t.deepEqual(
    parseResolvConf(
      '# generated\n; comment\nnameserver 10.0.0.2\nnameserver 10.0.0.3 10.0.0.4\nsearch a.test b.test\ndomain a.test\noptions ndots:2 rotate\nsearch c.test\n',
    ),
    {
      nameservers: ['10.0.0.2', '10.0.0.3', '10.0.0.4'],
      search: ['c.test'],
      domain: 'a.test',
      options: { ndots: '2', rotate: true },
    },
  );
  t.deepEqual(parseResolvConf(''), {});
});

test('cpuinfo: sockets, cores and threads as Ansible counts them; ARM counts processors', (t) => {
  const cpu = (n: number, phys: number, core: number) =>
    `processor\t: ${n}\nvendor_id\t: GenuineIntel\nmodel name\t: Xeon\nphysical id\t: ${phys}\nsiblings\t: 4\ncore id\t\t: ${core}\ncpu cores\t: 2\nflags\t\t: fpu vme\n\n`;
  t.like(parseCpuinfo([cpu(0, 0, 0), cpu(1, 0, 1), cpu(2, 0, 0), cpu(3, 0, 1)].join(''), 'x86_64', false, 4), {
    processor_count: 1,
    processor_cores: 2,
    processor_threads_per_core: 2,
    processor_vcpus: 4,
    processor_nproc: 4,
  });
  const arm = 'processor\t: 0\nBogoMIPS\t: 50\n\nprocessor\t: 1\nBogoMIPS\t: 50\n\n';
  t.like(parseCpuinfo(arm, 'aarch64', false, null), {
    processor: ['0', '1'],
    processor_count: 2,
    processor_cores: 1,
    processor_threads_per_core: 1,
    processor_vcpus: 2,
    processor_nproc: 2,
  });
});

test('meminfo: the _mb facts and memory_mb, integer MiB', (t) => {
  t.deepEqual(
    parseMeminfo(
      'MemTotal:        2048000 kB\nMemFree:          512000 kB\nBuffers:           10240 kB\nCached:           102400 kB\nSwapCached:            0 kB\nSwapTotal:       1048576 kB\nSwapFree:        1048576 kB\n',
    ),
    {
      memtotal_mb: 2000,
      memfree_mb: 500,
      swaptotal_mb: 1024,
      swapfree_mb: 1024,
      memory_mb: { real: { total: 2000, used: 1500, free: 500 }, nocache: { free: 610, used: 1390 }, swap: { total: 1024, free: 1024, used: 0, cached: 0 } },
    },
  );
});

test('ip route get: dev, src and a gateway unless it is the target', (t) => {
  t.deepEqual(parseRouteGet('8.8.8.8 via 10.0.0.1 dev ens6 src 10.0.0.5 uid 0 \n    cache \n', '8.8.8.8'), {
    gateway: '10.0.0.1',
    interface: 'ens6',
    address: '10.0.0.5',
  });
  t.deepEqual(parseRouteGet('RTNETLINK answers: Network is unreachable', '8.8.8.8'), {});
});

test('network: an alias label becomes its own interface, secondaries listed, a peer address has prefix 32', (t) => {
  const addrs = (infos: object[]) => JSON.stringify([{ ifname: 'ens6', addr_info: infos }]);
  const facts = parseNetwork(
    blocks({
      ip: '/usr/sbin/ip\n',
      'route-v4': '8.8.8.8 via 10.0.0.1 dev ens6 src 10.0.0.5 uid 0\n',
      'net-devices': 'ens6\ntun0\n',
      'net-attrs':
        'ens6/address:52:54:00:00:00:01\nens6/mtu:1500\nens6/operstate:up\nens6/type:1\nens6/flags:0x1103\nens6/speed:1000\ntun0/mtu:1400\ntun0/operstate:unknown\ntun0/type:65534\n',
      'net-links':
        'lrwxrwxrwx 1 root root 0 Dec  2 00:44 ens6/device -> ../../../0000:00:06.0\nlrwxrwxrwx 1 root root 0 Dec  2 00:44 ens6/device/driver/module -> ../../../../module/virtio_net\n',
      'addr-primary': JSON.stringify([
        {
          ifname: 'ens6',
          addr_info: [
            { family: 'inet', local: '10.0.0.5', prefixlen: 24, broadcast: '10.0.0.255', scope: 'global', label: 'ens6' },
            { family: 'inet', local: '10.0.1.5', prefixlen: 24, scope: 'global', label: 'ens6:1' },
            { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
          ],
        },
        { ifname: 'tun0', addr_info: [{ family: 'inet', local: '172.16.0.1', address: '172.16.0.2', prefixlen: 30, scope: 'global', label: 'tun0' }] },
      ]),
      'addr-secondary': addrs([{ family: 'inet', local: '10.0.0.6', prefixlen: 24, broadcast: '10.0.0.255', scope: 'global', label: 'ens6' }]),
    }),
  );
  t.deepEqual(facts.interfaces, ['ens6', 'ens6_1', 'tun0']);
  const second = { address: '10.0.0.6', broadcast: '10.0.0.255', netmask: '255.255.255.0', network: '10.0.0.0', prefix: '24' };
  t.deepEqual(facts.ens6, {
    device: 'ens6',
    macaddress: '52:54:00:00:00:01',
    mtu: 1500,
    active: true,
    module: 'virtio_net',
    type: 'ether',
    pciid: '0000:00:06.0',
    speed: 1000,
    promisc: true,
    ipv4: { address: '10.0.0.5', broadcast: '10.0.0.255', netmask: '255.255.255.0', network: '10.0.0.0', prefix: '24' },
    ipv6: [{ address: 'fe80::1', prefix: '64', scope: 'link' }],
    ipv4_secondaries: [second],
  });
  t.deepEqual(facts.ens6_1, { ipv4: { address: '10.0.1.5', broadcast: '', netmask: '255.255.255.0', network: '10.0.1.0', prefix: '24' } });
  t.like(facts.tun0, {
    type: 'tunnel',
    active: true,
    ipv4: { address: '172.16.0.1', broadcast: '', netmask: '255.255.255.255', network: '172.16.0.1', prefix: '32' },
  });
  t.deepEqual(facts.default_ipv4, {
    gateway: '10.0.0.1',
    interface: 'ens6',
    address: '10.0.0.5',
    broadcast: '10.0.0.255',
    netmask: '255.255.255.0',
    network: '10.0.0.0',
    prefix: '24',
    macaddress: '52:54:00:00:00:01',
    mtu: 1500,
    type: 'ether',
    alias: 'ens6',
  });
  t.deepEqual(facts.default_ipv6, {});
  t.deepEqual(facts.all_ipv4_addresses, ['10.0.0.5', '10.0.1.5', '10.0.0.6', '172.16.0.1']);
  t.deepEqual(facts.all_ipv6_addresses, ['fe80::1']);
  t.deepEqual(parseNetwork(blocks({})), {}, 'no ip(8): no network facts, as in Ansible');
});

test('virtual: systemd-nspawn, docker, KVM guest by DMI, a bare host', (t) => {
  t.like(parseVirtual(blocks({ 'file:/run/systemd/container': 'systemd-nspawn\n', 'proc1-environ': 'container=systemd-nspawn\n' })), {
    virtualization_type: 'container',
    virtualization_role: 'guest',
    virtualization_tech_guest: ['container', 'systemd-nspawn'],
  });
  t.like(parseVirtual(blocks({ 'file:/proc/1/cgroup': '0::/system.slice/docker-0123abcd.scope\n' })), {
    virtualization_type: 'docker',
    virtualization_role: 'guest',
    virtualization_tech_guest: ['container', 'docker'],
  });
  t.deepEqual(parseVirtual(blocks({ 'file:/sys/devices/virtual/dmi/id/sys_vendor': 'QEMU\n' })), {
    virtualization_type: 'kvm',
    virtualization_role: 'guest',
    virtualization_tech_guest: ['kvm'],
    virtualization_tech_host: [],
  });
  t.deepEqual(parseVirtual(blocks({ 'exists:/dev/kvm': 'yes\n' })), {
    virtualization_type: 'kvm',
    virtualization_role: 'host',
    virtualization_tech_guest: [],
    virtualization_tech_host: ['kvm'],
  });
  t.deepEqual(parseVirtual(blocks({})), { virtualization_type: 'NA', virtualization_role: 'NA', virtualization_tech_guest: [], virtualization_tech_host: [] });
});

test('service_mgr: PID 1 by name, else the traces systemd and others leave', (t) => {
  t.deepEqual(parseServiceMgr(blocks({ 'file:/proc/1/comm': 'systemd\n' }), 'Linux'), { service_mgr: 'systemd' });
  t.deepEqual(parseServiceMgr(blocks({ 'file:/proc/1/comm': 'runit-init\n' }), 'Linux'), { service_mgr: 'runit' });
  t.deepEqual(parseServiceMgr(blocks({ 'file:/proc/1/comm': 'bash\n', tools: 'systemctl\n', 'exists:/run/systemd/system/': 'yes\n' }), 'Linux'), {
    service_mgr: 'systemd',
  });
  t.deepEqual(parseServiceMgr(blocks({ 'file:/proc/1/comm': 'init\n', 'exists:/etc/init.d/': 'yes\n' }), 'Linux'), { service_mgr: 'sysvinit' });
  t.deepEqual(parseServiceMgr(blocks({}), 'Linux'), { service_mgr: 'service' });
});

test('pkg_mgr: the last one found; Debian keeps apt whatever else is installed', (t) => {
  t.deepEqual(parsePkgMgr(blocks({ 'exists:/usr/bin/apt-get': 'yes\n', 'exists:/usr/bin/dnf': 'yes\n' }), 'Debian'), { pkg_mgr: 'apt' });
  t.deepEqual(parsePkgMgr(blocks({ 'exists:/usr/bin/apt-get': 'yes\n', 'apt-rpm': 'rpm\n' }), 'Altlinux'), { pkg_mgr: 'apt_rpm' });
  t.deepEqual(parsePkgMgr(blocks({ 'exists:/sbin/apk': 'yes\n' }), 'Alpine'), { pkg_mgr: 'apk' });
  t.deepEqual(parsePkgMgr(blocks({}), 'OtherLinux'), { pkg_mgr: 'unknown' });
});

test('date_time: the daylight-saving name, UTC forms from the epoch', (t) => {
  t.is(tzDst(['CET', '+0100'], ['CEST', '+0200']), 'CEST');
  t.is(tzDst(['AEDT', '+1100'], ['AEST', '+1000']), 'AEDT', 'southern hemisphere: daylight saving in January');
  t.is(tzDst(['UTC', '+0000'], ['UTC', '+0000']), 'UTC');
  t.deepEqual(utcForms('1700000000.123456789'), { micro: '2023-11-14T22:13:20.123456Z', plain: '2023-11-14T22:13:20Z' });
  t.deepEqual(parseDateTime(blocks({ date: 'garbage\n' })), {});
});

test('user and env: from /proc/self/status and the passwd entry; env entries with newlines', (t) => {
  t.deepEqual(
    parseUser(blocks({ user: 'Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nalice\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/sh\n' })),
    {
      user_id: 'alice',
      user_uid: 1000,
      user_gid: 1000,
      user_gecos: 'Alice,,,',
      user_dir: '/home/alice',
      user_shell: '/bin/sh',
      real_user_id: 1000,
      effective_user_id: 1000,
      real_group_id: 1000,
      effective_group_id: 1000,
    },
  );
  t.deepEqual(parseEnv(blocks({ env: 'A=1\nB=x=y\nC=two\x1elines\n' })), { env: { A: '1', B: 'x=y', C: 'two\nlines' } });
});
