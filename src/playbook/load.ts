import { resolve } from 'node:path';
import { parseError } from '../core/errors.js';
import { checkGatherSubset, GatherSubsetError } from '../facts/ansible/subset.js';
import { ansibleBoolean } from '../core/boolean.js';
import { resolveRoles, roleSearchPath, type RoleEntry } from './roles.js';
import { loadHandlerList, loadTaskList } from './task-parse.js';
import { addRoleHandlers, expandRoleImports } from './role-task.js';
import { readYamlFile } from '../core/yaml/read.js';
import { conditionList, isMapping, stringList } from './yaml.js';
import type { Play, Playbook } from './types.js';

const PLAY_KEYS = new Set([
  'name',
  'hosts',
  'roles',
  'tasks',
  'pre_tasks',
  'post_tasks',
  'handlers',
  'vars',
  'serial',
  'any_errors_fatal',
  'max_fail_percentage',
  'gather_facts',
  'tags',
  'become',
  'become_user',
  'remote_user',
  'connection',
  'gather_subset',
  'vars_files',
]);

function varsFilesOf(value: unknown, file: string, label: string): (string | string[])[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    if (typeof entry === 'string') return entry;
    if (Array.isArray(entry) && entry.length > 0 && entry.every((e) => typeof e === 'string')) return entry as string[];
    throw parseError(file, `${label}: vars_files entries must be file names or lists of file names`);
  });
}

function serialOf(value: unknown, file: string, label: string): (number | string)[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
    if (typeof v === 'string' && /^\d+%$/.test(v.trim())) return v.trim();
    if (typeof v === 'string' && /^\d+$/.test(v.trim()) && Number(v) > 0) return Number(v);
    throw parseError(file, `${label}: serial must be a positive number or a percentage, not ${JSON.stringify(v)}`);
  });
}

function playBool(value: unknown, fallback: boolean, file: string, what: string): boolean {
  if (value === undefined || value === null) return fallback;
  const b = ansibleBoolean(value);
  if (b === undefined) throw parseError(file, `${what} must be true or false, not ${JSON.stringify(value)}`);
  return b;
}

/** gather_subset: a name or a list of names, checked as Ansible's setup module checks them. */
function gatherSubsetOf(value: unknown, file: string, label: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw parseError(file, `${label}: gather_subset must be a name or a list of names`);
  try {
    checkGatherSubset(list);
  } catch (err) {
    if (err instanceof GatherSubsetError) throw parseError(file, `${label}: gather_subset: ${err.message}`);
    throw err;
  }
  return list;
}

/** Keywords of a role entry that are not role parameters. */
const ROLE_ENTRY_KEYWORDS = new Set(['role', 'name', 'vars', 'tags', 'when', 'become', 'become_user']);

/**
 * A play's `roles:` entries: a name, or a mapping with `role:` (or `name:`), optional `vars:`,
 * `tags:`, `when:`, and any other key as a role parameter, as in Ansible.
 */
function roleEntries(value: unknown, file: string, label: string): RoleEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw parseError(file, `${label}: roles must be a list`);
  return value.map((r, i) => {
    if (typeof r === 'string') return { name: r, params: {}, vars: {}, tags: [], when: [] };
    const name = isMapping(r) ? (typeof r.role === 'string' ? r.role : typeof r.name === 'string' ? r.name : undefined) : undefined;
    if (!isMapping(r) || name === undefined) throw parseError(file, `${label}: role #${i + 1} must be a name or a mapping with 'role'`);
    const what = `${label}: role '${name}'`;
    if (r.vars !== undefined && r.vars !== null && !isMapping(r.vars)) throw parseError(file, `${what}: vars must be a mapping`);
    const params = Object.fromEntries(Object.entries(r).filter(([k]) => !ROLE_ENTRY_KEYWORDS.has(k)));
    return {
      name,
      params,
      vars: (r.vars as Record<string, unknown> | undefined) ?? {},
      tags: stringList(r.tags, file, `${what}: tags`),
      when: conditionList(r.when, file, `${what}: when`) ?? [],
    };
  });
}

async function parsePlay(raw: unknown, index: number, file: string, rolesPath: string[]): Promise<Play> {
  if (!isMapping(raw)) throw parseError(file, `play #${index + 1} is not a mapping`);
  const label = typeof raw.name === 'string' ? `play '${raw.name}'` : `play #${index + 1}`;
  const unknown = Object.keys(raw).filter((k) => !PLAY_KEYS.has(k));
  if (unknown.length > 0) throw parseError(file, `${label}: unknown play keyword '${unknown[0]}'`);
  if (typeof raw.hosts !== 'string' && !Array.isArray(raw.hosts)) throw parseError(file, `${label}: 'hosts' is required (a host pattern)`);
  const hosts = Array.isArray(raw.hosts) ? raw.hosts.map(String).join(':') : raw.hosts;
  if (raw.vars !== undefined && raw.vars !== null && !isMapping(raw.vars)) throw parseError(file, `${label}: vars must be a mapping`);
  const mfp = raw.max_fail_percentage;
  if (mfp !== undefined && (typeof mfp !== 'number' || mfp < 0 || mfp > 100)) {
    throw parseError(file, `${label}: max_fail_percentage must be a number from 0 to 100`);
  }
  const { roles, tasks: roleTasks } = await resolveRoles(roleEntries(raw.roles, file, label), rolesPath, file);
  const playOrigin = { file };
  const { nodes: tasks, roles: imported } = await expandRoleImports(
    [
      ...(await loadTaskList(raw.pre_tasks, playOrigin)),
      ...roleTasks,
      ...(await loadTaskList(raw.tasks, playOrigin)),
      ...(await loadTaskList(raw.post_tasks, playOrigin)),
    ],
    rolesPath,
  );
  const handlers = [...roles.flatMap((r) => r.handlers), ...(await loadHandlerList(raw.handlers, playOrigin))];
  addRoleHandlers(handlers, imported);
  roles.push(...imported);
  if (tasks.length === 0) throw parseError(file, `${label}: has no tasks and no roles`);
  return {
    name: typeof raw.name === 'string' ? raw.name : hosts,
    hosts,
    serial: serialOf(raw.serial, file, label),
    anyErrorsFatal: playBool(raw.any_errors_fatal, false, file, `${label}: any_errors_fatal`),
    maxFailPercentage: mfp as number | undefined,
    gatherFacts: playBool(raw.gather_facts, true, file, `${label}: gather_facts`),
    gatherSubset: gatherSubsetOf(raw.gather_subset, file, label),
    vars: (raw.vars as Record<string, unknown> | undefined) ?? {},
    varsFiles: varsFilesOf(raw.vars_files, file, label),
    roles,
    rolesPath,
    tasks,
    handlers,
    tags: stringList(raw.tags, file, `${label}: tags`),
    file,
  };
}

/** Loads a playbook: a YAML list of plays, roles resolved through the role search path. */
export async function loadPlaybook(path: string, extraRolesPath: string[] = []): Promise<Playbook> {
  const file = resolve(path);
  const data = await readYamlFile(file);
  if (!Array.isArray(data)) throw parseError(file, 'a playbook must be a YAML list of plays');
  if (data.length === 0) throw parseError(file, 'the playbook has no plays');
  const rolesPath = roleSearchPath(file, extraRolesPath);
  const plays: Play[] = [];
  for (const [i, raw] of data.entries()) plays.push(await parsePlay(raw, i, file, rolesPath));
  return { file, plays };
}
