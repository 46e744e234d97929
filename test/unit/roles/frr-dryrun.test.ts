/**
 * Checks the rendered frr.conf with the real FRR (Debian's frr package, vtysh --dryrun), the same
 * check the template task runs on the machine before installing the file. CI must install frr
 * on the controller (`apt-get install frr`; no daemon is started by the check).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fakeFacts, labVars, render } from './render.js';

function dryRun(config: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'prov-frr-'));
  const file = path.join(dir, 'frr.conf');
  writeFileSync(file, config);
  try {
    const out = execFileSync('vtysh', ['--dryrun', '--inputfile', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error("vtysh not found: install Debian's frr package on the controller to run this test", { cause: err });
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// vtysh has no --version; dpkg knows the installed package's version.
const installed = () => execFileSync('dpkg-query', ['-W', '-f=${Version}', 'frr'], { encoding: 'utf8' });

test('the router config for FRR 8.4.4 (password, extra prefixes) passes vtysh --dryrun', (t) => {
  t.regex(installed(), /8\.4/, 'this check is meant for the FRR of Debian 12 (8.4.x)');
  const config = render({
    role: 'router',
    template: 'frr.conf.ejs',
    vars: {
      ...labVars('r1'),
      bgp_password: 'Tr0ub4dor',
      router_extra_prefixes: ['10.9.0.0/16', { prefix: '10.8.0.0/16', via: '203.0.113.1' }],
      frr_installed_version: '8.4.4',
    },
  });
  const result = dryRun(config);
  t.true(result.ok, result.output);
});

test('the host config for FRR 8.4.4 passes vtysh --dryrun', (t) => {
  const config = render({
    role: 'host',
    template: 'frr.conf.ejs',
    vars: { ...labVars('host'), frr_installed_version: '8.4.4' },
    facts: fakeFacts({ hostname: 'host' }),
  });
  const result = dryRun(config);
  t.true(result.ok, result.output);
});

test('the legacy BFD syntax of the 7.3.1 branch is still accepted by 8.4', (t) => {
  const config = render({ role: 'router', template: 'frr.conf.ejs', vars: { ...labVars('r1'), frr_installed_version: '7.3.1' } });
  const result = dryRun(config);
  t.true(result.ok, result.output);
});

test('a config FRR rejects fails the dry run with its message (a bad AS number)', (t) => {
  const config = render({ role: 'router', template: 'frr.conf.ejs', vars: { ...labVars('r1'), router_asn: '65000x' }, facts: fakeFacts() });
  const result = dryRun(config);
  t.false(result.ok);
  t.regex(result.output, /router bgp 65000x/);
});
