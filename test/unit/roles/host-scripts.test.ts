/** The host's rendered shell scripts: syntax, and the BGP wait and move against stand-in `ip` and `vtysh` commands. */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labVars, render } from './render.js';

/**
 * Runs the rendered wait script with stand-ins for `ip` and `vtysh` in PATH: `vtysh` prints
 * `rib`; `ip` prints the kernel's default routes from a state file (bgp routes appear once the
 * non-BGP default is deleted, as zebra does), and logs every del/add.
 */
function withScript(
  opts: { rib: string; kernel: string[]; bgpAfterDelete?: string },
  run: (script: string, env: NodeJS.ProcessEnv, dir: string) => void,
): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'prov-wait-'));
  try {
    const script = path.join(dir, 'wait');
    writeFileSync(script, render({ role: 'host', template: 'wait-bgp-default.sh.ejs', vars: labVars('host') }));
    chmodSync(script, 0o755);
    writeFileSync(path.join(dir, 'rib'), opts.rib);
    writeFileSync(path.join(dir, 'routes'), opts.kernel.map((l) => `${l}\n`).join(''));
    writeFileSync(path.join(dir, 'bgp'), opts.bgpAfterDelete ?? '');
    writeFileSync(path.join(dir, 'vtysh'), `#!/bin/sh\ncat '${dir}/rib'\n`);
    writeFileSync(
      path.join(dir, 'ip'),
      `#!/bin/sh
d='${dir}'
case "$*" in
  *"route show default proto bgp"*) grep 'proto bgp' "$d/routes" | sed 's/\\\\/\\n/g' ;;
  *"route show default"*) cat "$d/routes" ;;
  *"route del "*) echo "del \${*#*del }" >> "$d/log"; shift 3; grep -vF "$*" "$d/routes" > "$d/r2"; mv "$d/r2" "$d/routes"; cat "$d/bgp" >> "$d/routes" ;;
  *"route add "*) echo "add \${*#*add }" >> "$d/log"; shift 3; echo "$*" >> "$d/routes" ;;
esac
`,
    );
    chmodSync(path.join(dir, 'vtysh'), 0o755);
    chmodSync(path.join(dir, 'ip'), 0o755);
    run(script, { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ribBoth = `Routing entry for 0.0.0.0/0
  Known via "bgp", distance 20, metric 0
  Last update 00:01:14 ago
    192.168.100.20, via ens6, weight 1
    192.168.100.21, via ens6, weight 1

Routing entry for 0.0.0.0/0
  Known via "kernel", distance 0, metric 0, best
  Last update 00:01:20 ago
  * 192.168.100.1, via ens6
`;
// FRR 7.5.1 marks the selected route's next hops with "*".
const ribOneSelected = `Routing entry for 0.0.0.0/0
  Known via "bgp", distance 20, metric 0, best
  Last update 00:00:04 ago
  * 192.168.100.21, via ens6, weight 1
`;
const dhcp = 'default via 192.168.100.1 dev ens6 ';
const bgpBoth = 'default nhid 14 proto bgp metric 20 \\\tnexthop via 192.168.100.20 dev ens6 weight 1 \\\tnexthop via 192.168.100.21 dev ens6 weight 1 \n';

test('rib: succeeds once FRR has the BGP default route via both routers, even while the DHCP default is in the kernel', (t) => {
  withScript({ rib: ribBoth, kernel: [dhcp] }, (script, env) => {
    const r = spawnSync(script, ['rib', '1'], { env, encoding: 'utf8' });
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, /via 192\.168\.100\.20 192\.168\.100\.21/);
  });
});

test('rib: succeeds from the kernel alone when it has the BGP default via both routers (vtysh not run)', (t) => {
  withScript({ rib: '', kernel: [bgpBoth.trimEnd()] }, (script, env, dir) => {
    // vtysh would print an empty RIB: only the kernel's route can make this succeed at once.
    writeFileSync(path.join(dir, 'vtysh'), '#!/bin/sh\necho vtysh >> "$(dirname "$0")/log"\n');
    const r = spawnSync(script, ['rib', '1'], { env, encoding: 'utf8' });
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, /FRR has the BGP default route via 192\.168\.100\.20 192\.168\.100\.21 \(in the kernel\)/);
    t.throws(() => readFileSync(path.join(dir, 'log'), 'utf8'));
  });
});

test('rib: a kernel BGP route via one router only still waits for FRR (and fails naming the other)', (t) => {
  const oneHop = 'default via 192.168.100.21 dev ens6 proto bgp metric 20 ';
  withScript({ rib: ribOneSelected, kernel: [oneHop] }, (script, env) => {
    const r = spawnSync(script, ['rib', '1'], { env, encoding: 'utf8' });
    t.is(r.status, 1);
    t.regex(r.stderr, /FRR has no BGP default route via 192\.168\.100\.20 after 1 s/);
  });
});

test('rib: fails after its timeout and names the missing next hop', (t) => {
  withScript({ rib: ribOneSelected, kernel: [dhcp] }, (script, env) => {
    const r = spawnSync(script, ['rib', '1'], { env, encoding: 'utf8' });
    t.is(r.status, 1);
    t.regex(r.stderr, /FRR has no BGP default route via 192\.168\.100\.20 after 1 s.*the DHCP default route stays/);
  });
});

test('move: deletes the DHCP default and succeeds when the kernel then has the BGP route via both routers', (t) => {
  withScript({ rib: ribBoth, kernel: [dhcp], bgpAfterDelete: bgpBoth }, (script, env, dir) => {
    const r = spawnSync(script, ['move', '2'], { env, encoding: 'utf8' });
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, /default route moved to BGP/);
    t.is(readFileSync(path.join(dir, 'log'), 'utf8'), 'del default via 192.168.100.1 dev ens6\n');
  });
});

test('move: puts the DHCP default back when the BGP route does not reach the kernel in time', (t) => {
  withScript({ rib: ribBoth, kernel: [dhcp] }, (script, env, dir) => {
    const r = spawnSync(script, ['move', '1'], { env, encoding: 'utf8' });
    t.is(r.status, 1);
    t.regex(r.stderr, /no BGP default route via 192\.168\.100\.20 192\.168\.100\.21 after 1 s; the previous default route was put back/);
    t.is(readFileSync(path.join(dir, 'log'), 'utf8'), 'del default via 192.168.100.1 dev ens6\nadd default via 192.168.100.1 dev ens6\n');
    t.regex(readFileSync(path.join(dir, 'routes'), 'utf8'), /^default via 192\.168\.100\.1 dev ens6$/m);
  });
});

test('the supernet route hook is valid sh and names the lab route', (t) => {
  const text = render({ role: 'host', template: 'supernet-route.sh.ejs', vars: labVars('host') });
  t.true(text.includes('ip -4 route replace 192.168.100.0/23 via 192.168.100.1 dev ens6'));
  t.notThrows(() => execFileSync('sh', ['-n'], { input: text }));
});
