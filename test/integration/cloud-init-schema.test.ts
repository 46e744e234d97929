/**
 * Rendered user-data passes cloud-init's own schema check, in the two versions that matter:
 * Debian 12's cloud-init 22.4 (installed on the controller) and Debian 13's 25.1 (installed into
 * a throw-away overlay of the trixie lab image from its offline repository, run with
 * systemd-nspawn; the image is built first when missing). A broken document fails in both, so
 * the check can fail. Nothing is skipped: a missing cloud-init or image is a failure.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dump } from 'js-yaml';
import { renderCloudInit } from '../../src/cloud-init/render.js';
import { loadInventory } from '../../src/inventory/load.js';
import { ensureImage } from '../../src/lab/image.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { repoRoot } from '../unit/roles/render.js';

const exec = promisify(execFile);

const VARS = { subnet_cidr: '10.0.1.0/24', subnet_gateway: '10.0.1.1', bgp_listen_range: '10.0.1.64/26', subnet_interface: 'ens5' };
const inventory = (vars: Record<string, unknown>) => ({
  all: {
    vars: { ...VARS, ...vars },
    children: {
      routers: { hosts: { r1: { subnet_address: '10.0.1.10' }, r2: { subnet_address: '10.0.1.11' } } },
      hosts: { hosts: { app1: { subnet_address: '10.0.1.70' } } },
    },
  },
});

const CASES: Array<{ name: string; vars: Record<string, unknown>; release?: string; network?: string }> = [
  { name: 'bookworm-ifupdown', vars: { vpc_supernet: '10.0.0.0/16' } },
  { name: 'bookworm-ifupdown-imds', vars: {} },
  { name: 'bookworm-netplan', vars: { vpc_supernet: '10.0.0.0/16' }, network: 'netplan' },
  { name: 'trixie-networkd', vars: { vpc_supernet: '10.0.0.0/16', host_network_file: '10-ens5.network' }, release: 'trixie', network: 'networkd' },
  { name: 'bullseye-ifupdown-password', vars: { vpc_supernet: '10.0.0.0/16', bgp_password: 's3cret' }, release: 'bullseye' },
];
const BROKEN = '#cloud-config\nwrite_files:\n  - path: /etc/x\n    permissions: 644\n    contents: typo\nruncmd: not-a-list\n';

let dir: string;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prov-ci-schema-'));
  const playbook = await loadPlaybook(join(repoRoot, 'playbooks/site.yml'));
  for (const c of CASES) {
    writeFileSync(join(dir, `${c.name}.inv.yml`), dump(inventory(c.vars)));
    const r = await renderCloudInit({
      inventory: await loadInventory([join(dir, `${c.name}.inv.yml`)]),
      playbook,
      host: 'app1',
      extraVars: {},
      release: c.release,
      network: c.network,
    });
    mkdirSync(join(dir, 'docs'), { recursive: true });
    writeFileSync(join(dir, 'docs', `${c.name}.yaml`), r.userData);
  }
  writeFileSync(join(dir, 'docs', 'broken.yaml'), BROKEN);
});

test.after.always(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `cloud-init schema` over every document: name -> exit status and output. */
function parseResults(out: string): Record<string, { code: number; text: string }> {
  const results: Record<string, { code: number; text: string }> = {};
  for (const block of out.split('==== ').slice(1)) {
    const [head, ...rest] = block.split('\n');
    const m = /^(\S+) rc=(\d+)$/.exec(head!.trim());
    if (m) results[m[1]!] = { code: Number(m[2]), text: rest.join('\n') };
  }
  return results;
}

const LOOP = `cd "$1" && for f in *.yaml; do out=$(cloud-init schema --config-file "$f" 2>&1); echo "==== \${f%.yaml} rc=$?"; echo "$out"; done`;

function assertResults(t: import('ava').ExecutionContext, results: Record<string, { code: number; text: string }>, version: RegExp, versionText: string) {
  t.regex(versionText, version);
  for (const c of CASES) {
    t.truthy(results[c.name], `no result for ${c.name}`);
    t.is(results[c.name]?.code, 0, `${c.name}: ${results[c.name]?.text}`);
    t.regex(results[c.name]?.text ?? '', /Valid (cloud-config|schema)/, c.name);
  }
  t.not(results.broken?.code, 0, 'the broken document must fail the check');
}

test("Debian 12's cloud-init 22.4 (the controller's) accepts every rendered document", async (t) => {
  const version = await exec('cloud-init', ['--version']);
  const { stdout } = await exec('sh', ['-c', LOOP, 'sh', join(dir, 'docs')]);
  assertResults(t, parseResults(stdout), /cloud-init 22\.4/, version.stdout + version.stderr);
});

test("Debian 13's cloud-init 25.1 (trixie's offline repository, in an overlay of the lab image) accepts every rendered document", async (t) => {
  t.timeout(20 * 60_000);
  t.is(process.getuid?.(), 0, 'needs root (overlay mount, systemd-nspawn)');
  const image = await ensureImage('trixie', (line) => t.log(line));
  const work = join(dir, 'trixie');
  for (const d of ['upper', 'work', 'root']) mkdirSync(join(work, d), { recursive: true });
  await exec('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${image.rootfs},upperdir=${work}/upper,workdir=${work}/work`, `${work}/root`]);
  try {
    const nspawn = (args: string[]) =>
      exec(
        'systemd-nspawn',
        [
          '--quiet',
          '-D',
          `${work}/root`,
          '-M',
          `prov-schema-${process.pid}`,
          '--register=no',
          '--keep-unit',
          '--private-network',
          '--pipe',
          '--resolv-conf=off',
          '--timezone=off',
          '--link-journal=no',
          ...args,
        ],
        { maxBuffer: 16 << 20 },
      );
    await nspawn(['-E', 'DEBIAN_FRONTEND=noninteractive', '--', 'apt-get', '-q', '-y', '-o', 'Dpkg::Use-Pty=0', 'install', 'cloud-init']);
    const version = await nspawn(['--', 'cloud-init', '--version']);
    const { stdout } = await nspawn([`--bind-ro=${join(dir, 'docs')}:/mnt/prov-schema`, '--', 'sh', '-c', LOOP, 'sh', '/mnt/prov-schema']);
    assertResults(t, parseResults(stdout), /cloud-init 25\.1/, version.stdout + version.stderr);
  } finally {
    await exec('umount', [`${work}/root`]).catch(() => undefined);
  }
});
