/** The host's rendered shell scripts: syntax, and the BGP wait against a stand-in `ip` command. */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labVars, render } from './render.js';

function withScript(routes: string, run: (script: string, env: NodeJS.ProcessEnv) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'prov-wait-'));
  try {
    const script = path.join(dir, 'wait');
    writeFileSync(script, render({ role: 'host', template: 'wait-bgp-default.sh.ejs', vars: labVars('host') }));
    chmodSync(script, 0o755);
    // Stand-in for `ip -4 route show default proto bgp`: prints the given route text.
    writeFileSync(path.join(dir, 'ip'), `#!/bin/sh\ncat <<'ROUTES'\n${routes}\nROUTES\n`);
    chmodSync(path.join(dir, 'ip'), 0o755);
    run(script, { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the wait script succeeds once both routers are next hops', (t) => {
  const routes = 'default metric 20 \n\tnexthop via 192.168.100.20 dev ens6 weight 1 \n\tnexthop via 192.168.100.21 dev ens6 weight 1 ';
  withScript(routes, (script, env) => {
    const r = spawnSync(script, ['1'], { env, encoding: 'utf8' });
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, /via 192\.168\.100\.20 192\.168\.100\.21/);
  });
});

test('the wait script fails after its timeout and names the missing next hop', (t) => {
  withScript('default via 192.168.100.21 dev ens6 metric 20 ', (script, env) => {
    const r = spawnSync(script, ['1'], { env, encoding: 'utf8' });
    t.is(r.status, 1);
    t.regex(r.stderr, /no BGP default route via 192\.168\.100\.20 after 1 s; the DHCP default route stays/);
  });
});

test('the supernet route hook is valid sh and names the lab route', (t) => {
  const text = render({ role: 'host', template: 'supernet-route.sh.ejs', vars: labVars('host') });
  t.true(text.includes('ip -4 route replace 192.168.100.0/23 via 192.168.100.1 dev ens6'));
  t.notThrows(() => execFileSync('sh', ['-n'], { input: text }));
});
