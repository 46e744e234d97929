# prov chaos flow generator: runs on a host with python3's standard library only (pushed over
# SSH on stdin, nothing installed). Opens --tcp TCP connections and --udp UDP "streams" to
# --server:--port, sends one sequence-numbered message per flow every --interval-ms, and records
# every echo: (seq, send time, receive time, the source address the receiver saw = the router's
# NAT address). A TCP connection that is reset, closed or stalled (no echo for --stall seconds)
# counts as broken and is replaced by a new one (same flow index, next generation).
# Prints one line: base64(zlib(JSON)). Times are in 0.1 ms units from the start (epoch in "t0").
import argparse, base64, errno, json, os, selectors, socket, sys, time, zlib

p = argparse.ArgumentParser()
p.add_argument('--server', required=True)
p.add_argument('--port', type=int, required=True)
p.add_argument('--tcp', type=int, default=0)
p.add_argument('--udp', type=int, default=0)
p.add_argument('--interval-ms', type=float, default=10)
p.add_argument('--duration', type=float, required=True)
p.add_argument('--drain', type=float, default=1.0)
p.add_argument('--stall', type=float, default=3.0)
p.add_argument('--tag', default='h')
p.add_argument('--stop', default='')  # sending stops early once this file exists
a = p.parse_args()

m0 = time.monotonic()
t0 = time.time()
rel = lambda: int((time.monotonic() - m0) * 10000)
sel = selectors.DefaultSelector()
sources = {}  # router address -> small index
def src_index(addr):
    if addr not in sources:
        sources[addr] = len(sources)
    return sources[addr]

class Flow:
    def __init__(self, kind, index):
        self.kind, self.index, self.gen = kind, index, 0
        self.seq = 0
        self.sent = 0
        self.echoes = []  # flat: seq, tsend, trecv, src
        self.sendtimes = {}
        self.conns = []   # TCP generations: [start, established, end, reason]
        self.sock = None
        self.buf = b''
        self.out = b''
        self.connected = False
        self.last_echo = 0
        self.name = '%s%d' % ('t' if kind == 'tcp' else 'u', index)

    def open(self):
        if self.kind == 'udp':
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setblocking(False)
            s.connect((a.server, a.port))
            self.sock, self.connected = s, True
            sel.register(s, selectors.EVENT_READ, self)
            return
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        err = s.connect_ex((a.server, a.port))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            self.conns.append([rel(), -1, rel(), 'connect: ' + errno.errorcode.get(err, str(err))])
            self.sock = None
            return
        self.sock, self.connected, self.buf, self.out = s, False, b'', b''
        self.conns.append([rel(), -1, -1, ''])
        self.last_echo = rel()
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, self)

    def broken(self, reason):
        c = self.conns[-1]
        c[2], c[3] = rel(), reason
        try:
            sel.unregister(self.sock)
        except Exception:
            pass
        self.sock.close()
        self.sock = None
        self.gen += 1

    def send(self):
        if self.sock is None or not self.connected:
            return
        self.seq += 1
        now = rel()
        msg = ('%s %d %d %d' % (self.name, self.gen, self.seq, now)).encode()
        if self.kind == 'udp':
            try:
                self.sock.send(msg)
                self.sent += 1
            except OSError:
                self.sent += 1  # counted as sent and lost (e.g. no route during an outage)
            return
        self.sent += 1
        self.out += msg + b'\n'
        self.flush()

    def flush(self):
        if not self.out or self.sock is None:
            return
        try:
            n = self.sock.send(self.out)
            self.out = self.out[n:]
        except BlockingIOError:
            pass
        except OSError as e:
            self.broken('send: ' + (errno.errorcode.get(e.errno, str(e.errno))))

    def record(self, text, now):
        # "<name> <gen> <seq> <tsend>|<source address>"
        try:
            body, src = text.rsplit('|', 1)
            _, gen, seq, tsend = body.split(' ')
        except ValueError:
            return
        if int(gen) != self.gen:
            return
        self.echoes.extend((int(seq), int(tsend), now, src_index(src)))
        self.last_echo = now

    def readable(self):
        now = rel()
        if self.kind == 'udp':
            for _ in range(64):
                try:
                    data = self.sock.recv(2048)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:
                    return  # ICMP errors during an outage
                self.record(data.decode(errors='replace'), now)
            return
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self.broken('recv: ' + errno.errorcode.get(e.errno, str(e.errno)))
            return
        if not data:
            self.broken('closed by peer')
            return
        self.buf += data
        *lines, self.buf = self.buf.split(b'\n')
        for line in lines:
            self.record(line.decode(errors='replace'), now)

    def writable(self):
        if not self.connected:
            err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                self.broken('connect: ' + errno.errorcode.get(err, str(err)))
                return
            self.connected = True
            self.conns[-1][1] = rel()
            self.last_echo = rel()
        self.flush()
        if self.sock is not None:
            sel.modify(self.sock, selectors.EVENT_READ | (selectors.EVENT_WRITE if self.out else 0), self)

flows = [Flow('tcp', i) for i in range(a.tcp)] + [Flow('udp', i) for i in range(a.udp)]
for f in flows:
    f.open()

interval = int(a.interval_ms * 10)
stall = int(a.stall * 10000)
end_send = int(a.duration * 10000)
end_all = end_send + int(a.drain * 10000)
next_tick = 0
ticks = 0
while True:
    now = rel()
    if now >= end_all:
        break
    if now >= next_tick and now < end_send:
        ticks += 1
        if a.stop and ticks % 10 == 0 and os.path.exists(a.stop):
            end_send = now
            end_all = end_send + int(a.drain * 10000)
            continue
        for f in flows:
            if f.kind == 'tcp':
                if f.sock is None:
                    f.open()
                    continue
                if now - f.last_echo > stall:
                    f.broken('stalled' if f.connected else 'connect timeout')
                    f.open()
                    continue
                if f.out and f.sock is not None:
                    sel.modify(f.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, f)
            f.send()
        # Never burst to catch up: a late tick sends once and the schedule moves on.
        next_tick += interval
        if now - next_tick > interval:
            next_tick = now + interval
    timeout = max(0, (min(next_tick if now < end_send else end_all, end_all) - rel()) / 10000)
    for key, ev in sel.select(timeout):
        f = key.data
        if f.sock is None or key.fileobj is not f.sock:
            continue
        if ev & selectors.EVENT_READ:
            f.readable()
        if f.sock is not None and ev & selectors.EVENT_WRITE:
            f.writable()

for f in flows:
    if f.kind == 'tcp' and f.sock is not None:
        f.conns[-1][2] = rel()
        f.conns[-1][3] = f.conns[-1][3] or 'open'

result = {
    'tag': a.tag, 't0': t0, 'interval': interval, 'durationSend': end_send,
    'sources': sorted(sources, key=sources.get),
    'flows': [{'name': f.name, 'kind': f.kind, 'sent': f.sent, 'echoes': f.echoes, 'conns': f.conns} for f in flows],
}
sys.stdout.write(base64.b64encode(zlib.compress(json.dumps(result, separators=(',', ':')).encode(), 6)).decode() + '\n')
