import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProvError } from '../core/errors.js';
import { findDebianMirror } from './mirror.js';
import { OFFLINE_EXTRA_PACKAGES, ROLE_PACKAGES } from './packages.js';
import { runCapture } from './run.js';

export const RELEASES = ['bookworm', 'bullseye', 'trixie'] as const;
export type Release = (typeof RELEASES)[number];

/** Installed in every node: what a Debian cloud image has that the lab and the roles rely on. */
export const BASE_PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'iproute2',
  'ifupdown',
  'isc-dhcp-client',
  'iputils-ping',
  'procps',
  'curl',
  'ca-certificates',
];

const BUILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'image', 'build-image.sh');

export function imageCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'prov', 'images');
}

/** Cache key: changes when the release, the package lists (base, role, lab extras) or the build script change. */
export function imageKey(release: Release, rolePackages: readonly string[] = ROLE_PACKAGES, extraPackages: readonly string[] = OFFLINE_EXTRA_PACKAGES): string {
  const h = createHash('sha256');
  h.update(release + '\n' + BASE_PACKAGES.join(',') + '\n' + rolePackages.join(',') + '\n');
  // Only when there are extras, so that the key of an image without them stays what it was.
  if (extraPackages.length > 0) h.update('extra:' + extraPackages.join(',') + '\n');
  h.update(readFileSync(BUILD_SCRIPT));
  return `${release}-${h.digest('hex').slice(0, 12)}`;
}

export interface Image {
  key: string;
  rootfs: string;
}

/** The cached image for `release`, built first if missing (with progress lines). */
export async function ensureImage(release: Release, log: (line: string) => void): Promise<Image> {
  const key = imageKey(release);
  const dir = join(imageCacheDir(), key);
  const image = { key, rootfs: join(dir, 'rootfs') };
  if (existsSync(join(dir, 'complete'))) return image;
  mkdirSync(imageCacheDir(), { recursive: true });
  const release_ = await lockImageBuild(dir + '.lock', log);
  try {
    if (existsSync(join(dir, 'complete'))) return image; // built by another process meanwhile
    const mirror = findDebianMirror();
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    log(`building image ${key} from ${mirror} (cached in ${imageCacheDir()})`);
    const started = Date.now();
    const r = await runCapture('bash', [BUILD_SCRIPT, release, mirror, tmp, BASE_PACKAGES.join(','), ...ROLE_PACKAGES, ...OFFLINE_EXTRA_PACKAGES], {
      onLine: (line) => line.trim() && log(`  ${line}`),
    });
    if (r.code !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      const last = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0];
      throw new ProvError('internal', `lab: image build for ${release} failed: ${last}`);
    }
    writeFileSync(join(tmp, 'complete'), `${new Date().toISOString()} ${Date.now() - started}ms\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    log(`image ${key} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return image;
  } finally {
    release_();
  }
}

/**
 * A lock directory so that two `lab up` runs (e.g. parallel test files) build an image once.
 * Hand-written: a mkdir lock with the owner's pid is all that is needed, and a stale lock
 * (owner gone) is taken over.
 */
async function lockImageBuild(lockDir: string, log: (line: string) => void): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // being created right now
      }
      if (owner && !isAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) log(`waiting for another process (pid ${owner}) building the same image`);
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
