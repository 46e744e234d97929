#!/usr/bin/python3
"""Watches the default route of many network namespaces at once, for the dataplane scale bench.

usage: route-watch.py NAME...   (namespaces under /run/netns)

Prints one JSON line per change: {"t": unix ms, "ns": NAME, "gw": [next hops of main's default]},
first the state of every namespace, then each change as the kernel reports it. One process and
one netlink socket per namespace, instead of 200 `ip monitor` processes; the route reading is the
host role's own (roles/host/files/pinning-watcher.py's default_routes), not a second parser.
"""
import ctypes, importlib.util, json, os, select, socket, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('pinning', os.path.join(HERE, '..', '..', 'roles', 'host', 'files', 'pinning-watcher.py'))
pinning = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pinning)

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def main():
    names = sys.argv[1:]
    home = os.open('/proc/self/ns/net', os.O_RDONLY)
    fds = {name: os.open(f'/run/netns/{name}', os.O_RDONLY) for name in names}
    objs = {}
    for name in names:
        enter(fds[name])  # a socket stays in the namespace it was made in
        s = pinning.events()
        objs[s.fileno()] = (name, s)
        enter(home)
    last = {}

    def read(name):
        enter(fds[name])
        try:
            gws = sorted(pinning.default_routes().get(254, set()))
        finally:
            enter(home)
        if last.get(name) != gws:
            last[name] = gws
            print(json.dumps({'t': time.time() * 1000, 'ns': name, 'gw': gws}), flush=True)

    for name in names:
        read(name)
    print(json.dumps({'t': time.time() * 1000, 'ready': len(names)}), flush=True)
    while True:
        ready, _, _ = select.select(list(objs), [], [])
        for fd in ready:
            name, s = objs[fd]
            try:
                while s.recv(1 << 16):
                    pass
            except (BlockingIOError, OSError):
                pass  # drained (or ENOBUFS after a burst: the dump below reads the state anyway)
            read(name)


if __name__ == '__main__':
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError):
        pass
