#!/usr/bin/python3
# Managed by prov (roles/host, connection pinning, issue 5). Standard library only.
#
# Connection-pinned egress: a connection keeps the router it started on, so a router that
# comes back (failback) attracts only new connections. Pieces, all owned by this program:
#   - nftables table `ip prov_pinning`: postrouting records each connection's actual next hop in
#     its conntrack mark; a `type route` output chain copies the conntrack mark to the packet
#     mark, which re-routes the packet;
#   - `ip rule fwmark MARK/MASK lookup TABLE` per router;
#   - per-router tables that hold `default via ROUTER` only while ROUTER is a next hop of the
#     main table's default route (FRR's ECMP route, left untouched). A failed router leaves FRR's
#     route, its table is emptied, its connections fall through to the ECMP route and are re-pinned
#     to a survivor.
# `run` sets everything up and keeps the tables in sync with `ip monitor route`; `stop` removes
# everything (systemd runs it as ExecStopPost, also after a crash), so without the watcher the
# plain ECMP route carries all traffic and no pinned table can point at a dead router.
import json, os, select, signal, socket, struct, subprocess, sys

CONFIG = os.environ.get('PROV_PINNING_CONFIG', '/etc/prov/pinning.json')


def load():
    with open(CONFIG) as f:
        c = json.load(f)
    # routers: [{"address": "192.168.100.20", "mark": 1, "table": 101}, ...]
    return c


def sh(args, stdin=None, check=True):
    r = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError('%s: %s' % (' '.join(args), (r.stderr or r.stdout).strip()))
    return r.stdout


def log(msg):
    sys.stderr.write(msg + '\n')
    sys.stderr.flush()


def nft_ruleset(c):
    mask = c['mask']
    elements = ', '.join('%s : 0x%x' % (r['address'], r['mark']) for r in c['routers'])
    return '''table ip prov_pinning {
  map nexthop_mark {
    type ipv4_addr : mark
    elements = { %(elements)s }
  }
  chain output {
    type route hook output priority mangle; policy accept;
    ct mark & 0x%(mask)x != 0 meta mark set ct mark & 0x%(mask)x
  }
  chain postrouting {
    type filter hook postrouting priority mangle; policy accept;
    oifname "%(iface)s" ip daddr != %(subnet)s ct mark set rt ip nexthop map @nexthop_mark
  }
}
''' % {'elements': elements, 'mask': mask, 'iface': c['interface'], 'subnet': c['subnet']}


# Route reads and route events go through netlink directly (the standard library's AF_NETLINK
# sockets): spawning `ip` on every event cost ~80 ms on a loaded machine, added to every failover.
RTM_NEWROUTE, RTM_GETROUTE, NLMSG_ERROR, NLMSG_DONE = 24, 26, 2, 3
RTA_GATEWAY, RTA_MULTIPATH, RTA_TABLE = 5, 9, 15
RTMGRP_IPV4_ROUTE, RTNLGRP_NEXTHOP, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 0x40, 32, 270, 1


def attrs(buf, off, end):
    while off + 4 <= end:
        ln, typ = struct.unpack_from('HH', buf, off)
        if ln < 4:
            break
        yield typ & 0x3fff, off + 4, off + ln
        off += (ln + 3) & ~3


def gateways():
    """Next hops of the main table's default route (FRR's ECMP route), by a netlink dump."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    try:
        s.send(struct.pack('IHHII', 28, RTM_GETROUTE, 0x301, 1, 0) + struct.pack('BBBBBBBBI', socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0))
        gws = set()
        while True:
            buf = s.recv(1 << 20)
            off = 0
            while off + 16 <= len(buf):
                ln, typ = struct.unpack_from('IH', buf, off)
                if typ == NLMSG_DONE or typ == NLMSG_ERROR:
                    return gws
                if typ == RTM_NEWROUTE:
                    _, dst_len, _, _, table = struct.unpack_from('BBBBB', buf, off + 16)
                    found = []
                    for t, a, e in attrs(buf, off + 28, off + ln):
                        if t == RTA_TABLE:
                            table = struct.unpack_from('I', buf, a)[0]
                        elif t == RTA_GATEWAY:
                            found.append(socket.inet_ntoa(buf[a:a + 4]))
                        elif t == RTA_MULTIPATH:
                            n = a
                            while n + 8 <= e:
                                nlen = struct.unpack_from('H', buf, n)[0]
                                for t2, a2, _ in attrs(buf, n + 8, n + nlen):
                                    if t2 == RTA_GATEWAY:
                                        found.append(socket.inet_ntoa(buf[a2:a2 + 4]))
                                n += (nlen + 3) & ~3 if nlen else e
                    if dst_len == 0 and table == 254:
                        gws.update(found)
                off += (ln + 3) & ~3
    finally:
        s.close()


def events():
    """A netlink socket that becomes readable on any IPv4 route or nexthop object change."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.bind((0, RTMGRP_IPV4_ROUTE))
    s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_NEXTHOP)
    s.setblocking(False)
    return s


def sync(c, state, ip):
    gws = gateways()
    cmds = []
    for r in c['routers']:
        want = r['address'] in gws
        if state.get(r['address']) == want:
            continue
        if want:
            cmds.append('route replace default via %s dev %s table %d' % (r['address'], c['interface'], r['table']))
        else:
            cmds.append('route flush table %d' % r['table'])
        state[r['address']] = want
    if cmds:
        ip.stdin.write('\n'.join(cmds) + '\n')
        ip.stdin.flush()
        log('pinned tables: ' + ', '.join('%s=%s' % (a, 'on' if v else 'off') for a, v in sorted(state.items())))


def stop(c):
    sh(['nft', 'delete', 'table', 'ip', 'prov_pinning'], check=False)
    for r in c['routers']:
        rule = ['ip', 'rule', 'del', 'fwmark', '0x%x/0x%x' % (r['mark'], c['mask']), 'lookup', str(r['table'])]
        for _ in range(100):  # every copy of the rule, then `ip rule del` fails
            if subprocess.run(rule, capture_output=True).returncode != 0:
                break
        sh(['ip', 'route', 'flush', 'table', str(r['table'])], check=False)


def start(c):
    stop(c)
    # Empty tables and rules first: a marked packet finds no route there and uses the main table.
    for r in c['routers']:
        sh(['ip', 'rule', 'add', 'pref', str(c['rule_priority']), 'fwmark', '0x%x/0x%x' % (r['mark'], c['mask']), 'lookup', str(r['table'])])
    sh(['nft', '-f', '-'], stdin=nft_ruleset(c))


def run(c):
    start(c)
    state = {}
    ev = events()
    # One long-lived `ip -batch` runs the table changes as soon as a line arrives.
    ip = subprocess.Popen(['ip', '-force', '-batch', '-'], stdin=subprocess.PIPE, text=True, bufsize=1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    resync = float(c.get('resync_seconds', 2))
    try:
        sync(c, state, ip)
        while True:
            ready, _, _ = select.select([ev], [], [], resync)
            if ready:
                try:
                    while ev.recv(1 << 20):  # drain the burst of messages, then read the table once
                        pass
                except BlockingIOError:
                    pass
                except OSError:
                    pass  # ENOBUFS: messages were dropped; the dump below is the truth anyway
            if ip.poll() is not None:
                raise RuntimeError('ip -batch exited')
            sync(c, state, ip)  # on every event, and every resync seconds as a safety net
    finally:
        ip.kill()


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else 'run'
    c = load()
    if cmd == 'run':
        run(c)
    elif cmd == 'stop':
        stop(c)
    elif cmd == 'ruleset':
        sys.stdout.write(nft_ruleset(c))
    else:
        sys.exit('usage: prov-pinning run|stop|ruleset')


if __name__ == '__main__':
    main()
