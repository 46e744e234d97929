/**
 * package / apt: Debian packages present, absent or latest. Reads `dpkg-query` per package under
 * the key package:<name>; `apt-get update` runs only when update_cache is set and something is
 * to be installed or upgraded, and with cache_valid_time (which sets update_cache, as in Ansible)
 * only when the cache is older than that many seconds (read under apt-cache-age). Installs declare their effect so that check mode sees the package,
 * and the directories and files the packages create (common/package-paths.ts).
 *
 * Example:
 *   - ansible.builtin.apt:
 *       name: [frr, frr-pythontools]
 *       state: present
 */
import { z } from 'zod';
import { ProvError } from '../core/errors.js';
import { shellJoin, shellQuote } from '../core/transport.js';
import type { Action, CreatedPaths, Module, ModuleContext, Plan, StateRead } from '../core/contract.js';
import { packagePaths } from './common/package-paths.js';
import { boolish, withAliases } from './common/schema.js';

const names = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''));

const schema = withAliases(
  { pkg: 'name', package: 'name' },
  z
    .object({
      name: names.optional(),
      state: z
        .enum(['present', 'absent', 'latest', 'installed', 'removed'])
        .default('present')
        .transform((s) => (s === 'installed' ? 'present' : s === 'removed' ? 'absent' : s)),
      update_cache: boolish.default(false),
      cache_valid_time: z
        .union([z.number(), z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number)])
        .pipe(z.number().int().nonnegative())
        .optional(),
      purge: boolish.default(false),
      install_recommends: boolish.optional(),
    })
    .strict()
    .transform((a) => ((a.cache_valid_time ?? 0) > 0 ? { ...a, update_cache: true } : a))
    .refine((a) => (a.name?.length ?? 0) > 0 || a.update_cache, { message: 'name is required unless update_cache is set' })
    .refine((a) => (a.name ?? []).every((n) => /^[a-z0-9][a-z0-9+.-]*(=[A-Za-z0-9.+~:-]+)?$/.test(n)), { message: 'not a Debian package name' }),
);

export type PackageArgs = z.infer<typeof schema>;

export const packageKey = (name: string) => `package:${name}`;
export const candidateKey = (name: string) => `package-candidate:${name}`;
const statusQuery = (name: string) => `dpkg-query -W -f='\${Status} \${Version}\\n' ${shellQuote(name)} 2>/dev/null`;
const candidateQuery = (name: string) => `apt-cache policy ${shellQuote(name)}`;

/** The installed version from dpkg-query's "install ok installed 1.2-3", or null. */
export function installedVersion(stdout: string): string | null {
  const m = /^\S+ \S+ installed (\S+)/m.exec(stdout);
  return m ? m[1]! : null;
}

/** The candidate version from `apt-cache policy`, or null when there is none. */
export function candidateVersion(stdout: string): string | null {
  const m = /^\s*Candidate:\s*(\S+)/m.exec(stdout);
  return m && m[1] !== '(none)' ? m[1]! : null;
}

export const cacheAgeKey = 'apt-cache-age';
// Ansible's apt module dates the cache by update-success-stamp, else the lists directory, else 0.
const cacheAgeQuery =
  'echo $(( $(date +%s) - $(stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0) ))';

/** Whether `apt-get update` is due: always with update_cache alone, else when the cache is older than cache_valid_time. */
async function cacheUpdateDue(a: PackageArgs, ctx: ModuleContext): Promise<boolean> {
  if (!a.update_cache) return false;
  if ((a.cache_valid_time ?? 0) === 0) return true;
  const age = Number((await ctx.state.query(cacheAgeQuery, cacheAgeKey)).stdout.trim());
  return !Number.isFinite(age) || age > a.cache_valid_time!;
}

async function candidate(ctx: ModuleContext, name: string): Promise<string | null> {
  return candidateVersion((await ctx.state.query(candidateQuery(name), candidateKey(name))).stdout);
}

/** The directories and files that installing these packages creates (package-paths.ts). */
function createdBy(specs: string[]): CreatedPaths[] {
  return specs
    .map((spec) => spec.split('=')[0]!)
    .map((name) => ({ by: `installing ${name}`, ...packagePaths(name) }))
    .filter((p) => p.directories.length > 0 || p.files.length > 0);
}

const APT = 'DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';
/**
 * An install that was interrupted (dpkg killed, a power loss) leaves dpkg's journal in
 * /var/lib/dpkg/updates, and apt refuses to run until `dpkg --configure -a` has replayed it (what
 * apt's "dpkg was interrupted" asks for by hand). A package it cannot configure (half-installed)
 * is then reinstalled by the apt-get that follows, so a rerun after the fault converges.
 */
const FINISH_INTERRUPTED = `if [ -n "$(ls -A /var/lib/dpkg/updates 2>/dev/null)" ]; then DEBIAN_FRONTEND=noninteractive dpkg --force-confdef --force-confold --configure -a; fi; `;

export const packageModule: Module<PackageArgs> = {
  name: 'package',
  aliases: ['apt', 'ansible.builtin.apt', 'ansible.builtin.package'],
  schema,
  reads: (a) =>
    (a.name ?? []).flatMap((spec): StateRead[] => {
      const name = spec.split('=')[0]!;
      return [
        { kind: 'query', command: statusQuery(name), key: packageKey(name) },
        ...(a.state === 'latest' ? [{ kind: 'query' as const, command: candidateQuery(name), key: candidateKey(name) }] : []),
      ];
    }),
  async plan(a, ctx): Promise<Plan> {
    const install: string[] = [];
    const remove: string[] = [];
    const effects: Record<string, string> = {};
    for (const spec of a.name ?? []) {
      const [name, pinned] = spec.split('=') as [string, string | undefined];
      const have = installedVersion((await ctx.state.query(statusQuery(name), packageKey(name))).stdout);
      if (a.state === 'absent') {
        if (have !== null) {
          remove.push(name);
          effects[packageKey(name)] = '';
        }
        continue;
      }
      let want: string | null = pinned ?? null;
      if (a.state === 'latest' || (have === null && !pinned)) {
        want = pinned ?? (await candidate(ctx, name));
        // Without update_cache an unknown package is an error now; with it, the update may bring it.
        if (want === null && !a.update_cache) throw new ProvError('failed', `no package matching '${name}' is available`);
      }
      const needed = have === null || (pinned !== undefined && have !== pinned) || (a.state === 'latest' && want !== null && have !== want);
      if (needed) {
        install.push(spec);
        effects[packageKey(name)] = `install ok installed ${want ?? 'unknown'}`;
      }
    }
    const actions: Action[] = [];
    const notes: string[] = [];
    if ((install.length > 0 || (a.name ?? []).length === 0) && (await cacheUpdateDue(a, ctx))) {
      actions.push({ kind: 'exec', command: 'apt-get -q update' });
      if (install.length === 0) notes.push('cache updated');
    }
    if (install.length > 0) {
      const recommends = a.install_recommends === undefined ? '' : a.install_recommends ? ' --install-recommends' : ' --no-install-recommends';
      const command = `${APT}${recommends} install ${shellJoin(install)}`;
      actions.push({ kind: 'exec', command: `${FINISH_INTERRUPTED}${command}`, display: command, effects, creates: createdBy(install) });
      notes.push(`installed ${install.join(', ')}`);
    }
    if (remove.length > 0) {
      const command = `${APT} ${a.purge ? 'purge' : 'remove'} ${shellJoin(remove)}`;
      actions.push({ kind: 'exec', command: `${FINISH_INTERRUPTED}${command}`, display: command, effects });
      notes.push(`removed ${remove.join(', ')}`);
    }
    if (actions.length === 0) return { changed: false, actions: [], diffs: [] };
    return { changed: true, actions, diffs: [], msg: notes.join(', ') };
  },
};
