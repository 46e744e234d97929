#!/usr/bin/python3
"""Test harness for roles/host/files/pinning-watcher.py (test/unit/roles/pinning-watcher.test.ts).

Imports the real watcher from its path and replaces only its I/O edges: the netlink route dump
(`default_routes`, answered from a fake kernel that applies the `ip -batch` lines the watcher
sends), the BGP RIB question (`bgp_default_paths`), the `ip -batch` pipe, the clock, and for
the parsing scenarios the netlink socket. Reads one scenario (JSON) on stdin, prints the results
(JSON) on stdout.

Scenarios ("kind"):
  watcher   {config, steps: [{at, sync: {gateways, offered, startup, lost}} | {at, bfd: [message, ...]}]}
            (`gateways`: the main table's default route; `lost`: tables whose routes the kernel
            deleted before this sync, as a link reconfigure does)
            -> {steps: [{lines, pinned, override, bgpAsked}]}: the `ip -batch` lines each step
               flushed, and the watcher's state after it.
  ruleset   {config} -> {ruleset}
  bfd       {reads: [hex, ...], close} -> {reads: [{messages, rest} | null]}: each hex string is
            written to one end of a socketpair, then `bfd_messages` reads the other end once.
  gateways  {reads: [hex, ...]} -> {gateways, sent, closed}: `gateways()` against a fake netlink
            socket whose recv() returns the given buffers in turn.
"""
import importlib.util, json, os, socket, sys

WATCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'roles', 'host', 'files', 'pinning-watcher.py')


def load_watcher():
    spec = importlib.util.spec_from_file_location('pinning_watcher', WATCHER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # main() only runs under __name__ == '__main__'
    return mod


class FakeBatch:
    """Stands in for the `ip -batch` Popen: lines count as sent only once flushed, and each sent
    line changes the fake kernel's tables as `ip` would."""

    def __init__(self, tables):
        self.stdin = self
        self.pending, self.sent = '', []
        self.tables = tables

    def write(self, text):
        self.pending += text

    def flush(self):
        lines = [l for l in self.pending.split('\n') if l != '']
        self.sent += lines
        self.pending = ''
        for line in lines:
            words = line.split()
            if words[:2] == ['route', 'flush']:
                self.tables.pop(int(words[3]), None)
            elif words[:3] == ['route', 'replace', 'default']:
                table = int(words[words.index('table') + 1])
                self.tables[table] = {words[i + 1] for i, w in enumerate(words) if w == 'via'}
            else:
                raise AssertionError('unexpected ip -batch line: %r' % line)

    def take(self):
        out, self.sent = self.sent, []
        return out


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


def run_watcher(w, scenario):
    tables = {}
    clock, batch = FakeClock(), FakeBatch(tables)
    w.time = clock
    route = {'offered': None, 'asked': 0}

    def fake_default_routes():
        return {t: set(g) for t, g in tables.items() if g}

    def fake_bgp_default_paths(c):
        route['asked'] += 1
        return None if route['offered'] is None else set(route['offered'])

    w.default_routes, w.bgp_default_paths = fake_default_routes, fake_bgp_default_paths
    watcher = w.Watcher(scenario['config'], batch)
    steps = []
    for step in scenario['steps']:
        clock.now = 1000.0 + float(step.get('at', 0))
        route['asked'] = 0
        if 'sync' in step:
            s = step['sync']
            tables[254] = set(s['gateways'])
            for t in s.get('lost', []):
                tables.pop(t, None)
            route['offered'] = s.get('offered')
            watcher.sync(startup=bool(s.get('startup')))
        else:
            watcher.on_bfd(step['bfd'])
        steps.append({
            'lines': batch.take(),
            'unflushed': batch.pending,
            'pinned': dict(sorted(watcher.pinned.items())),
            'override': watcher.override,
            'bgpAsked': route['asked'],
        })
    return {'steps': steps}


def run_bfd(w, scenario):
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    ours.setblocking(False)
    buf, reads = b'', []
    try:
        for chunk in scenario['reads']:
            theirs.sendall(bytes.fromhex(chunk))
            got = w.bfd_messages(ours, buf)
            reads.append(None if got is None else {'messages': got[0], 'rest': got[1].hex()})
            if got is not None:
                buf = got[1]
        if scenario.get('close'):
            theirs.close()
            got = w.bfd_messages(ours, buf)
            reads.append(None if got is None else {'messages': got[0], 'rest': got[1].hex()})
    finally:
        ours.close()
        theirs.close()
    return {'reads': reads}


class FakeNetlink:
    def __init__(self, reads):
        self.reads, self.sent, self.closed = list(reads), b'', False

    def send(self, data):
        self.sent += data
        return len(data)

    def recv(self, size):
        if not self.reads:
            raise AssertionError('gateways() read past the scripted netlink answer')
        return self.reads.pop(0)[:size]

    def close(self):
        self.closed = True


class SocketModule:
    """The real socket module, except that socket.socket(...) returns the fake netlink socket."""

    def __init__(self, fake):
        self.fake = fake

    def socket(self, family, kind, proto):
        assert (family, kind, proto) == (socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE), (family, kind, proto)
        return self.fake

    def __getattr__(self, name):
        return getattr(socket, name)


def run_gateways(w, scenario):
    fake = FakeNetlink(bytes.fromhex(h) for h in scenario['reads'])
    w.socket = SocketModule(fake)
    gws = w.gateways()
    return {'gateways': sorted(gws), 'sent': fake.sent.hex(), 'closed': fake.closed, 'unread': len(fake.reads)}


def main():
    scenario = json.load(sys.stdin)
    w = load_watcher()
    kind = scenario['kind']
    if kind == 'watcher':
        out = run_watcher(w, scenario)
    elif kind == 'ruleset':
        out = {'ruleset': w.nft_ruleset(scenario['config'])}
    elif kind == 'bfd':
        out = run_bfd(w, scenario)
    elif kind == 'gateways':
        out = run_gateways(w, scenario)
    else:
        sys.exit('unknown scenario kind %r' % kind)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
