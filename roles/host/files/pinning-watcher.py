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
import json, os, select, signal, socket, struct, subprocess, sys, time

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


def default_routes():
    """Next hops of every table's default route, by table (254 is main: FRR's ECMP route), by one
    netlink dump."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    try:
        s.send(struct.pack('IHHII', 28, RTM_GETROUTE, 0x301, 1, 0) + struct.pack('BBBBBBBBI', socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0))
        tables = {}
        while True:
            buf = s.recv(1 << 20)
            off = 0
            while off + 16 <= len(buf):
                ln, typ = struct.unpack_from('IH', buf, off)
                if typ == NLMSG_DONE or typ == NLMSG_ERROR:
                    return tables
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
                    if dst_len == 0:
                        tables.setdefault(table, set()).update(found)
                off += (ln + 3) & ~3
    finally:
        s.close()


def gateways():
    """Next hops of the main table's default route (FRR's ECMP route)."""
    return default_routes().get(254, set())


def events():
    """A netlink socket that becomes readable on any IPv4 route or nexthop object change."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.bind((0, RTMGRP_IPV4_ROUTE))
    s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_NEXTHOP)
    s.setblocking(False)
    return s


def bfd_client(path):
    """Subscribes to bfdd's control socket (FRR's bfdd.sock): a status message per BFD session
    change, sent the moment bfdd declares a peer down. bgpd and zebra then need ~75 ms more
    (bgpd's 50 ms route processing hold, zebra's work queue, the dataplane) before the kernel's
    ECMP route changes; reacting here takes that delay out of every failover."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.settimeout(1)
        s.connect(path)
        # struct bfd_control_msg: length (network order), id, type BMT_NOTIFY (4), version 1;
        # payload: the notify flags (host order), BCM_NOTIFY_PEER_STATE.
        s.sendall(struct.pack('!IHBB', 8, 1, 4, 1) + struct.pack('=Q', 1))
        s.setblocking(False)
        return s
    except OSError:
        s.close()
        return None


def bfd_messages(s, buf):
    """Reads what bfdd sent; returns (status messages, rest of the buffer), or None when closed."""
    try:
        data = s.recv(1 << 16)
    except BlockingIOError:
        return [], buf
    except OSError:
        return None
    if not data:
        return None
    buf += data
    out = []
    while len(buf) >= 8:
        ln, _, typ, _ = struct.unpack_from('!IHBB', buf)
        if len(buf) < 8 + ln:
            break
        if typ == 4:
            try:
                m = json.loads(buf[8:8 + ln].decode())
                if m.get('op') == 'status':
                    out.append(m)
            except ValueError:
                pass
        buf = buf[8 + ln:]
    return out, buf


def bgp_default_paths(c):
    """Routers that offer a valid default path in the BGP RIB (session up, path merely not in the
    ECMP set: a drained router). None when bgpd cannot be asked (then nothing is kept)."""
    try:
        r = subprocess.run(['vtysh', '-c', 'show bgp ipv4 unicast 0.0.0.0/0 json'], capture_output=True, text=True, timeout=3)
        paths = json.loads(r.stdout or '{}').get('paths', [])
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    offered = set()
    for p in paths:
        if p.get('valid') and isinstance(p.get('peer'), dict):
            offered.add(p['peer'].get('peerId'))
    return offered


class Watcher:
    """Keeps the per-router tables (and the fast-failover table) in sync. All changes go through
    one long-lived `ip -batch` so that each takes one pipe write, not a process start."""

    def __init__(self, c, ip):
        self.c, self.ip = c, ip
        self.routers = {r['address']: r for r in c['routers']}
        self.pinned = {}      # address -> its table should hold `default via address` (this watcher's intent)
        self.present = {}     # address -> the kernel's table holds it (read back on every sync)
        self.bfd_state = {}   # address -> last BFD state ("up", "down", "init", "adm-down")
        self.bfd_down = {}    # address -> monotonic time BFD declared it down while FRR still routes to it
        self.gws = set()      # next hops of FRR's ECMP route at the last sync
        self.override = None  # next hops held in the fast-failover table, or None when empty
        self.fast_hold = float(c.get('fast_failover_hold_seconds', 3))
        self.no_default_since = None  # monotonic time the kernel was first seen with no default route

    def run_cmds(self, cmds, why):
        if cmds:
            self.ip.stdin.write('\n'.join(cmds) + '\n')
            self.ip.stdin.flush()
            log('%s: pinned tables %s; fast failover %s' % (why, ', '.join('%s=%s' % (a, 'on' if v else 'off') for a, v in sorted(self.pinned.items())),
                                                           'via ' + ','.join(self.override) if self.override else 'off'))

    def set_pinned(self, address, want, cmds):
        # `onlink`: the route goes in also while the interface has no address (a DHCP client
        # between giving its lease up and taking it again), when the kernel refuses a gateway
        # it cannot resolve through a connected route.
        r = self.routers[address]
        if want and not self.present.get(address):
            cmds.append('route replace default via %s dev %s onlink table %d' % (address, self.c['interface'], r['table']))
        elif not want and self.present.get(address):
            cmds.append('route flush table %d' % r['table'])
        self.present[address] = want
        self.pinned[address] = want

    def set_override(self, hops, cmds):
        hops = sorted(hops) if hops else None
        if hops == self.override:
            return
        t = self.c['override_table']
        if hops:
            via = ' '.join('nexthop via %s dev %s onlink' % (h, self.c['interface']) for h in hops) if len(hops) > 1 else 'via %s dev %s onlink' % (hops[0], self.c['interface'])
            cmds.append('route replace default table %d %s' % (t, via))
        else:
            cmds.append('route flush table %d' % t)
        self.override = hops

    def survivors(self, gws):
        """The override's next hops: routers of FRR's route that BFD has not declared down (never
        another next hop of a main-table default, such as a DHCP default left beside FRR's)."""
        return [g for g in gws if g not in self.bfd_down and g in self.routers]

    def on_bfd(self, messages):
        cmds = []
        for m in messages:
            a = m.get('peer-address')
            if a not in self.routers:
                continue
            before, now = self.bfd_state.get(a), m.get('state')
            self.bfd_state[a] = now
            if now == 'up':
                self.bfd_down.pop(a, None)
            elif before == 'up' and a not in self.gws:
                self.set_pinned(a, False, cmds)  # a drained router whose session just died
            elif before == 'up':
                # BFD says the router is gone and FRR has not caught up yet: unpin it and steer
                # everything that would hash to it to the survivors, right now.
                self.bfd_down[a] = time.monotonic()
                self.set_pinned(a, False, cmds)
                self.set_override(self.survivors(self.gws), cmds)
        self.run_cmds(cmds, 'BFD down')

    def observe(self, tables):
        """What the kernel holds now, not what this watcher last wrote: a link reconfigure (the
        address removed and added again, systemd-networkd 247 on every reconfigure) deletes the
        routes via the subnet's routers from every table, and only FRR puts its own back."""
        for a, r in self.routers.items():
            self.present[a] = a in tables.get(r['table'], ())
        held = tables.get(self.c['override_table'])
        self.override = sorted(held) if held else None

    def sync(self, startup=False):
        tables = default_routes()
        self.observe(tables)
        gws = tables.get(254, set())
        self.gws = gws
        now = time.monotonic()
        for a, t in list(self.bfd_down.items()):
            if a not in gws or now - t > self.fast_hold:
                del self.bfd_down[a]  # FRR caught up (or never will: then FRR's view wins)
        cmds = []
        # A router that left the ECMP set without a BFD down (drained: its path is only worse, or
        # its session is going down): keep its table while its default path is still in the RIB.
        # No default route at all, after the start: a link event flushed every route via the link
        # (the lease given up and taken again), and FRR puts its route back some 10-100 ms later.
        # The pinned tables go back first, at once: a pinned connection that met FRR's fresh route
        # before its own table would ride it to whichever router the hash picks, whose NAT resets
        # it. For the hold time only BFD takes a router out of its table; after it (FRR stopped on
        # this host, every session gone) the RIB decides as for any router out of FRR's route.
        if gws:
            self.no_default_since = None
        elif self.no_default_since is None:
            self.no_default_since = now
        flushed = not gws and not startup and now - self.no_default_since <= self.fast_hold
        gone = [a for a in self.routers if a not in gws and a not in self.bfd_down and (self.pinned.get(a) or startup)] if not flushed else []
        offered = bgp_default_paths(self.c) if gone else set()
        for a in self.routers:
            if a in self.bfd_down:
                want = False
            elif a in gws:
                want = True
            elif flushed:
                want = bool(self.pinned.get(a))
            else:
                want = bool(offered) and a in offered and self.bfd_state.get(a, 'up') == 'up' and (self.pinned.get(a) or startup)
            self.set_pinned(a, want, cmds)
        dead = [a for a in self.bfd_down if a in gws]
        self.set_override(self.survivors(gws) if dead else None, cmds)
        self.run_cmds(cmds, 'route change' if not startup else 'start')


def stop(c):
    sh(['nft', 'delete', 'table', 'ip', 'prov_pinning'], check=False)
    rules = [['fwmark', '0x%x/0x%x' % (r['mark'], c['mask']), 'lookup', str(r['table'])] for r in c['routers']]
    rules += [['pref', str(c['rule_priority'] + 1)], ['pref', str(c['rule_priority'] + 2)]]
    for rule in rules:
        for _ in range(100):  # every copy of the rule, then `ip rule del` fails
            if subprocess.run(['ip', 'rule', 'del'] + rule, capture_output=True).returncode != 0:
                break
    for t in [r['table'] for r in c['routers']] + [c['override_table']]:
        sh(['ip', 'route', 'flush', 'table', str(t)], check=False)


def start(c):
    stop(c)
    # Empty tables and rules first: a marked packet finds no route there and uses the main table.
    for r in c['routers']:
        sh(['ip', 'rule', 'add', 'pref', str(c['rule_priority']), 'fwmark', '0x%x/0x%x' % (r['mark'], c['mask']), 'lookup', str(r['table'])])
    # Fast failover: the main table for everything but its default route, then the override table
    # (empty except in the ~75 ms between a BFD down and FRR's route change), then main as usual.
    p = c['rule_priority']
    sh(['ip', 'rule', 'add', 'pref', str(p + 1), 'lookup', 'main', 'suppress_prefixlength', '0'])
    sh(['ip', 'rule', 'add', 'pref', str(p + 2), 'lookup', str(c['override_table'])])
    sh(['nft', '-f', '-'], stdin=nft_ruleset(c))


def run(c):
    start(c)
    ev = events()
    # One long-lived `ip -batch` runs the table changes as soon as a line arrives.
    ip = subprocess.Popen(['ip', '-force', '-batch', '-'], stdin=subprocess.PIPE, text=True, bufsize=1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    resync = float(c.get('resync_seconds', 2))
    w = Watcher(c, ip)
    bfd, bfd_buf = None, b''
    try:
        w.sync(startup=True)
        while True:
            if bfd is None:
                bfd, bfd_buf = bfd_client(c.get('bfdd_socket', '/run/frr/bfdd.sock')), b''
            ready, _, _ = select.select([ev] + ([bfd] if bfd else []), [], [], resync)
            if bfd is not None and bfd in ready:
                got = bfd_messages(bfd, bfd_buf)
                if got is None:  # bfdd restarted: reconnect on the next round
                    bfd.close()
                    bfd = None
                else:
                    w.on_bfd(got[0])
                    bfd_buf = got[1]
            if ev in ready:
                try:
                    while ev.recv(1 << 20):  # drain the burst of messages, then read the table once
                        pass
                except BlockingIOError:
                    pass
                except OSError:
                    pass  # ENOBUFS: messages were dropped; the dump below is the truth anyway
            if ip.poll() is not None:
                raise RuntimeError('ip -batch exited')
            if ev in ready or not ready:
                w.sync()  # on every route event, and every resync seconds as a safety net
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
