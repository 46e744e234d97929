#!/usr/bin/python3
"""Test harness for roles/host/files/pinning-watcher.py (test/unit/roles/pinning-watcher.test.ts).

Imports the real watcher from its path and replaces only its I/O edges: the netlink route dump
(`gateways`), the BGP RIB question (`bgp_default_paths`), the `ip -batch` pipe, the clock, and for
the parsing scenarios the netlink socket. Reads one scenario (JSON) on stdin, prints the results
(JSON) on stdout.

Scenarios ("kind"):
  watcher   {config, steps: [{at, sync: {gateways, offered, startup}} | {at, bfd: [message, ...]}]}
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
    """Stands in for the `ip -batch` Popen: lines count as sent only once flushed."""

    def __init__(self):
        self.stdin = self
        self.pending, self.sent = '', []

    def write(self, text):
        self.pending += text

    def flush(self):
        self.sent += [l for l in self.pending.split('\n') if l != '']
        self.pending = ''

    def take(self):
        out, self.sent = self.sent, []
        return out


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


def run_watcher(w, scenario):
    clock, batch = FakeClock(), FakeBatch()
    w.time = clock
    route = {'gateways': set(), 'offered': None, 'asked': 0}

    def fake_gateways():
        return set(route['gateways'])

    def fake_bgp_default_paths(c):
        route['asked'] += 1
        return None if route['offered'] is None else set(route['offered'])

    w.gateways, w.bgp_default_paths = fake_gateways, fake_bgp_default_paths
    watcher = w.Watcher(scenario['config'], batch)
    steps = []
    for step in scenario['steps']:
        clock.now = 1000.0 + float(step.get('at', 0))
        route['asked'] = 0
        if 'sync' in step:
            s = step['sync']
            route['gateways'], route['offered'] = s['gateways'], s.get('offered')
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
