import { dirname } from 'node:path';
import { ProvError, errorMessage, hostsExitCode } from '../core/errors.js';
import { selectHosts } from '../inventory/patterns.js';
import { allHostVars, groupsMap } from '../inventory/vars.js';
import type { Vars } from '../inventory/types.js';
import { filterTasks, flattenTasks, isBlock, type Block, type Play, type Role, type Task, type TaskNode } from '../playbook/types.js';
import { createSimulatedDriver } from '../state/driver.js';
import { asHostData, plainValue } from '../template/host-data.js';
import { mapLimit, serialBatches } from './batches.js';
import { taskSelected } from './filter.js';
import { INCLUDE_TASKS, inclusionsOf, loadInclusion, type Inclusion } from './include.js';
import { loadRoleInclusion, roleInclusionsOf } from './include-role.js';
import { addRoleHandlers, expandRoleImports, INCLUDE_ROLE, roleTaskOptions } from '../playbook/role-task.js';
import { roleSearchPath } from '../playbook/roles.js';
import { upcomingReads } from './prefetch.js';
import { playHasTask, startAt } from './start-at.js';
import { newSession, type HostSession } from './session.js';
import { checkDelegateTarget, DelegateError, LocalDelegation } from './delegate.js';
import { runtimeSnapshot, shareRunOnce } from './run-once.js';
import { runTask } from './task.js';
import { checkRoutingDeadline, reconnectAndRun, unconfirmedNotice } from './routing.js';
import type { HostStats, HostTaskResult, PlayRecord, RunOptions, RunResult, TaskRecord } from './types.js';
import { validateTasks } from './validate.js';
import { loadVarsFiles } from './vars-files.js';
import { connectionVars, hostFactVars, playScope, taskVars, type PlayScope } from './vars.js';

/** How many coming tasks' reads one prefetch round trip answers. */
const PREFETCH_WINDOW = 50;

function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

function count(stats: HostStats, result: HostTaskResult): void {
  if (result.status === 'unreachable') stats.unreachable += 1;
  else if (result.status === 'skipped') stats.skipped += 1;
  else if (result.status === 'failed' && result.rescued) stats.rescued += 1;
  else if (result.status === 'failed') {
    // Ansible counts an ignored failure as ok (and changed when its result changed) and ignored.
    if (result.ignored) {
      stats.ignored += 1;
      stats.ok += 1;
      if (result.changedAnyway) stats.changed += 1;
    } else stats.failed += 1;
  } else {
    stats.ok += 1;
    if (result.status === 'changed') stats.changed += 1;
  }
}

class PlayRun {
  private readonly scope: PlayScope;
  private readonly rolesByName: Map<string, Role>;
  private readonly record: PlayRecord;
  /** Each task's place in the flat order of its task list, for prefetching the tasks after it. */
  private readonly sequence = new Map<Task, { list: Task[]; index: number }>();
  /** How many enclosing blocks, whose `block:` section is running, have a rescue. */
  private rescuable = 0;
  /** The roles each host has run (roles:, import_role, include_role), for include_role's allow_duplicates. */
  private readonly rolesRun = new Map<string, Set<string>>();
  aborted?: string;

  constructor(
    private readonly play: Play,
    hosts: string[],
    private readonly opts: RunOptions,
    private readonly sessions: Map<string, HostSession>,
    private readonly stats: Record<string, HostStats>,
    inventoryVars: Record<string, Vars>,
    /** Hosts that no later play targets: their connection is closed once their batch is done. */
    private readonly lastPlayHosts: Set<string>,
    /** The controller's connection for `delegate_to: localhost` tasks (one per run). */
    private readonly delegation: LocalDelegation,
    /** --start-at-task, until a play has the task: this play starts there. */
    private readonly startAtTask?: string,
  ) {
    this.scope = playScope(play, opts.extraVars, groupsMap(opts.inventory), inventoryVars, opts.check);
    this.rolesByName = new Map(play.roles.map((r) => [r.name, r]));
    this.record = { play: play.name, hosts, tasks: [] };
  }

  get result(): PlayRecord {
    return this.record;
  }

  /** Every host's variables; `hostvars` as a whole is host data (render.ts), so its values are plain. */
  private hostvars(): Record<string, Vars> {
    const out: Record<string, Vars> = {};
    for (const [host, vars] of Object.entries(this.scope.inventoryVars)) {
      const runtime = Object.entries(this.sessions.get(host)?.runtime?.runtimeVars ?? {}).map(([k, v]) => [k, plainValue(v)]);
      const facts = hostFactVars(this.play, this.sessions.get(host)?.runtime?.facts);
      out[host] = { ...vars, ...facts, ...Object.fromEntries(runtime), inventory_hostname: host };
    }
    return out;
  }

  /** Connects to and gathers facts from the batch's hosts that are not open yet. */
  private async open(batch: string[]): Promise<void> {
    await mapLimit(batch, this.opts.forks, async (host) => {
      const session = this.sessions.get(host)!;
      if (session.conn || session.unreachable) return;
      try {
        const conn = await this.opts.open(host, connectionVars(this.scope, host));
        session.conn = conn;
        session.runtime = { facts: conn.facts, runtimeVars: {} };
        if (this.opts.check) session.simulated = createSimulatedDriver(conn.driver.state);
      } catch (err) {
        session.unreachable = true;
        const msg = errorMessage(err);
        this.stats[host]!.unreachable += 1;
        this.opts.reporter.hostUnreachable(host, msg);
      }
    });
  }

  /** Answers the reads of this and the coming tasks in one round trip per host. */
  private async prefetch(session: HostSession, upcoming: Task[], hostvars: Record<string, Vars>): Promise<void> {
    if (session.prefetched || upcoming.length === 0) return;
    session.prefetched = true;
    const reads = upcomingReads(upcoming, (t) => taskVars(this.scope, session.host, session.runtime!, hostvars, t));
    const driver = session.simulated ?? session.conn!.driver;
    if (reads.length > 0) await driver.prefetch(reads);
  }

  /**
   * What a task that threw means for its host: a lost connection makes the host unreachable;
   * anything else (a read that failed on a reachable host, a delegation prov refuses, a bug)
   * fails the task on that host, and ignore_errors applies as to any failure.
   */
  private thrownResult(task: Task, session: HostSession, err: unknown): HostTaskResult {
    if (err instanceof ProvError && err.kind === 'unreachable') {
      session.unreachable = true;
      return { host: session.host, status: 'unreachable', msg: errorMessage(err), diffs: [], ms: 0 };
    }
    const known = err instanceof ProvError || err instanceof DelegateError;
    session.failed = !task.ignoreErrors;
    const msg = known ? errorMessage(err) : `internal error: ${errorMessage(err)}`;
    return { host: session.host, status: 'failed', msg, diffs: [], ms: 0, ignored: task.ignoreErrors || undefined };
  }

  /** Remembers the flat order of a task tree, so that each task's prefetch covers the tasks after it. */
  private register(nodes: TaskNode[]): void {
    const list = flattenTasks(nodes).filter((t) => t.module !== 'meta');
    list.forEach((task, index) => this.sequence.set(task, { list, index }));
  }

  private upcoming(task: Task): Task[] {
    const at = this.sequence.get(task);
    return at ? at.list.slice(at.index, at.index + PREFETCH_WINDOW) : [task];
  }

  private async runOnHosts(task: Task, batch: HostSession[], handler: boolean, upcoming: Task[] = []): Promise<void> {
    if (batch.length === 0) return;
    // run_once: the first host runs it, the others get its result (run-once.ts).
    const sessions = task.runOnce ? batch.slice(0, 1) : batch;
    const before = task.runOnce ? runtimeSnapshot(sessions[0]!) : {};
    this.opts.reporter.taskStart(
      task,
      sessions.map((s) => s.host),
      handler,
    );
    const record: TaskRecord = { task: task.name, role: task.origin.role, handler, results: [] };
    this.record.tasks.push(record);
    const hostvars = this.hostvars();
    await mapLimit(sessions, this.opts.forks, async (session) => {
      let result: HostTaskResult;
      try {
        checkRoutingDeadline(session, task);
        await this.prefetch(session, upcoming, hostvars);
        const varsNow = () => taskVars(this.scope, session.host, session.runtime!, hostvars, task);
        const target = task.delegateTo === undefined ? session : await this.delegated(task, session, varsNow());
        const outcome = await runTask(task, target, {
          check: this.opts.check,
          rolesByName: this.rolesByName,
          playbookDir: dirname(this.play.file),
          vars: varsNow(),
          refreshVars: varsNow,
          onRetry: (left) => this.opts.reporter.notice(`FAILED - RETRYING: [${session.host}]: ${task.name} (${left} retries left).`),
          confirmTimeout: this.opts.confirmTimeout,
          reconnect: (actions) => reconnectAndRun(session, actions, () => this.opts.open(session.host, connectionVars(this.scope, session.host))),
        });
        const { registered, ...hostResult } = outcome;
        result = hostResult;
        if (outcome.status === 'failed' && !outcome.ignored && this.rescuable > 0) {
          result.rescued = true;
          // Ansible's names for the failure, visible in the rescue and always sections.
          Object.assign(session.runtime!.runtimeVars, {
            ansible_failed_task: { name: task.unnamed ? '' : task.name, action: task.module },
            ansible_failed_result: asHostData(registered),
          });
        }
        if (outcome.changed) {
          if (session.routing) session.routing.changed = true;
          // The controller may be the host itself (localhost): what it read before is stale.
          if (target !== session && !this.opts.check) session.conn?.driver.invalidate();
          for (const n of task.notify) session.notified.add(n);
          // A real change may have invalidated cached reads; check mode never touches the machine.
          if (!this.opts.check) session.prefetched = false;
        }
        if (outcome.status === 'failed' && !outcome.ignored) session.failed = true;
      } catch (err) {
        result = this.thrownResult(task, session, err);
      }
      count(this.stats[session.host]!, result);
      record.results.push(result);
      this.opts.reporter.hostResult(task, result);
      if (task.runOnce) shareRunOnce(session, batch.slice(1), before, session.failed);
    });
  }

  /** The session a delegated task runs with: the host's, on the controller's connection. */
  private async delegated(task: Task, session: HostSession, vars: Vars): Promise<HostSession> {
    checkDelegateTarget(task, vars);
    return this.delegation.sessionFor(session);
  }

  private active(batch: string[]): HostSession[] {
    return batch.map((h) => this.sessions.get(h)!).filter((s) => s.conn && !s.failed && !s.unreachable);
  }

  private async flushHandlers(batch: string[]): Promise<void> {
    for (const handler of this.play.handlers) {
      const topics = [handler.name, ...handler.listen];
      const targets = this.active(batch).filter((s) => topics.some((t) => s.notified.has(t)));
      await this.runOnHosts(handler, targets, true);
    }
    for (const s of this.active(batch)) s.notified.clear();
  }

  /**
   * Closes the connections of the batch's hosts that have nothing left to do: their last play's
   * tasks and handlers are done, or they failed (a failed host takes no part in later plays).
   * Without this, a run over many hosts holds every connection open until it ends.
   */
  private async release(batch: string[]): Promise<void> {
    await Promise.all(
      batch.map(async (host) => {
        const session = this.sessions.get(host)!;
        if (!session.conn || !(this.lastPlayHosts.has(host) || session.failed || session.unreachable)) return;
        const { driver } = session.conn;
        session.conn = undefined;
        session.simulated = undefined;
        await driver.close().catch(() => undefined);
      }),
    );
  }

  private checkAbort(batch: string[], task: Task): void {
    // A failure a rescue will handle does not count (Ansible's rescue and always states).
    if (this.rescuable > 0) return;
    const failed = batch.filter((h) => this.sessions.get(h)!.failed).length;
    if (failed === 0) return;
    if (this.play.anyErrorsFatal) {
      this.aborted = `play '${this.play.name}' stopped: task '${task.name}' failed and any_errors_fatal is set`;
    } else if (this.play.maxFailPercentage !== undefined && (failed / batch.length) * 100 > this.play.maxFailPercentage) {
      this.aborted = `play '${this.play.name}' stopped: ${failed} of ${batch.length} hosts failed, over max_fail_percentage ${this.play.maxFailPercentage}`;
    }
  }

  /** Runs a task tree on the hosts that are still going (not failed, not unreachable). */
  private async runNodes(nodes: TaskNode[], hosts: HostSession[], batch: string[]): Promise<void> {
    for (const node of nodes) {
      const live = hosts.filter((s) => s.conn && !s.failed && !s.unreachable);
      if (live.length === 0 || this.aborted) return;
      if (isBlock(node)) {
        await this.runBlock(node, live, batch);
      } else if (node.module === INCLUDE_TASKS || node.module === INCLUDE_ROLE) {
        await this.runInclude(node, live, batch);
      } else if (node.module === 'meta') {
        if (node.args === 'flush_handlers') await this.flushHandlers(batch);
      } else {
        await this.runOnHosts(node, live, false, this.upcoming(node));
        this.checkAbort(batch, node);
      }
    }
  }

  /**
   * include_tasks: each host's files (one per loop item) are read now; the hosts that include the
   * same file with the same item run its tasks together, in the order the inclusions came.
   */
  private async runInclude(task: Task, hosts: HostSession[], batch: string[]): Promise<void> {
    this.opts.reporter.taskStart(
      task,
      hosts.map((s) => s.host),
      false,
    );
    const record: TaskRecord = { task: task.name, role: task.origin.role, handler: false, results: [] };
    this.record.tasks.push(record);
    const hostvars = this.hostvars();
    const groups = new Map<string, { inclusion: Inclusion; hosts: HostSession[] }>();
    for (const session of hosts) {
      const report = (result: HostTaskResult): void => {
        count(this.stats[session.host]!, result);
        record.results.push(result);
        this.opts.reporter.hostResult(task, result);
      };
      let inclusions: Inclusion[];
      try {
        inclusions = (task.module === INCLUDE_ROLE ? roleInclusionsOf : inclusionsOf)(
          task,
          taskVars(this.scope, session.host, session.runtime!, hostvars, task),
        );
      } catch (err) {
        report({
          host: session.host,
          status: 'failed',
          msg: errorMessage(err),
          diffs: [],
          ms: 0,
          ignored: task.ignoreErrors || undefined,
          rescued: this.rescuable > 0 && !task.ignoreErrors ? true : undefined,
        });
        if (!task.ignoreErrors) session.failed = true;
        continue;
      }
      if (inclusions.length === 0) report({ host: session.host, status: 'skipped', diffs: [], ms: 0 });
      if (task.module === INCLUDE_ROLE) inclusions = this.notRunYet(task, session.host, inclusions);
      for (const inclusion of inclusions) {
        // Ansible shows and counts an include_tasks, not an include_role.
        if (task.module !== INCLUDE_ROLE)
          report({
            host: session.host,
            status: 'ok',
            msg: `included: ${inclusion.file}${inclusion.label ? ` (item=${inclusion.label})` : ''}`,
            diffs: [],
            ms: 0,
          });
        const key = JSON.stringify([inclusion.file, inclusion.vars]);
        const group = groups.get(key) ?? { inclusion, hosts: [] };
        group.hosts.push(session);
        groups.set(key, group);
      }
    }
    this.checkAbort(batch, task);
    const filter = { tags: this.opts.tags, skipTags: this.opts.skipTags, roles: [] };
    for (const { inclusion, hosts: including } of groups.values()) {
      if (this.aborted) return;
      let nodes: TaskNode[];
      try {
        nodes = filterTasks(await this.loadIncluded(task, inclusion), (t) => t.module === 'meta' || taskSelected(t, this.play.tags, filter));
        validateTasks(flattenTasks(nodes), this.play.handlers);
      } catch (err) {
        // Ansible fails the hosts that include a file it cannot read or parse.
        for (const session of including) {
          const result: HostTaskResult = {
            host: session.host,
            status: 'failed',
            msg: errorMessage(err),
            diffs: [],
            ms: 0,
            rescued: this.rescuable > 0 || undefined,
          };
          count(this.stats[session.host]!, result);
          record.results.push(result);
          this.opts.reporter.hostResult(task, result);
          session.failed = true;
        }
        this.checkAbort(batch, task);
        continue;
      }
      this.register(nodes);
      for (const session of including) session.prefetched = false;
      await this.runNodes(nodes, including, batch);
    }
  }

  /** include_role with allow_duplicates false: the roles that already ran on the host are left out. */
  private notRunYet(task: Task, host: string, inclusions: Inclusion[]): Inclusion[] {
    let ran = this.rolesRun.get(host);
    if (!ran) this.rolesRun.set(host, (ran = new Set(this.play.roles.map((r) => r.name))));
    const out = roleTaskOptions(task).allowDuplicates ? inclusions : inclusions.filter((i) => !ran.has(i.file));
    for (const i of out) ran.add(i.file);
    return out;
  }

  /**
   * The tasks an include brings in: an included file's (its import_role tasks expanded), or an
   * included role's. The roles they bring join the play: their handlers become notifiable, their
   * files findable, and (import_role, or include_role with `public`) their variables the play's.
   */
  private async loadIncluded(task: Task, inclusion: Inclusion): Promise<TaskNode[]> {
    const searchPath = this.play.rolesPath ?? roleSearchPath(this.play.file);
    let nodes: TaskNode[];
    let roles: Role[];
    let visible: Role[];
    if (task.module === INCLUDE_ROLE) {
      const got = await loadRoleInclusion(task, inclusion, searchPath);
      nodes = got.nodes;
      roles = got.roles;
      visible = got.public ? got.roles : [];
    } else {
      const got = await expandRoleImports(await loadInclusion(task, inclusion), searchPath);
      nodes = got.nodes;
      roles = visible = got.roles;
    }
    addRoleHandlers(this.play.handlers, roles);
    for (const role of roles) this.rolesByName.set(role.name, role);
    for (const role of visible) {
      Object.assign(this.scope.roleDefaults, role.defaults);
      Object.assign(this.scope.roleVars, role.vars);
    }
    return nodes;
  }

  /**
   * A block as Ansible runs it: the hosts that fail in `block:` run `rescue:` (a host whose rescue
   * succeeds is not failed), then every host that entered runs `always:`, failed or not.
   */
  private async runBlock(block: Block, hosts: HostSession[], batch: string[]): Promise<void> {
    const rescues = block.rescue.length > 0;
    if (rescues) this.rescuable += 1;
    try {
      await this.runNodes(block.block, hosts, batch);
    } finally {
      if (rescues) this.rescuable -= 1;
    }
    if (this.aborted) return;
    const failed = hosts.filter((s) => s.failed && !s.unreachable);
    if (rescues && failed.length > 0) {
      for (const s of failed) s.failed = false;
      await this.runNodes(block.rescue, failed, batch);
    }
    if (this.aborted || block.always.length === 0) return;
    const entered = hosts.filter((s) => s.conn && !s.unreachable);
    const stillFailed = entered.filter((s) => s.failed);
    for (const s of stillFailed) s.failed = false;
    try {
      await this.runNodes(block.always, entered, batch);
    } finally {
      for (const s of stillFailed) s.failed = true;
    }
  }

  async run(): Promise<void> {
    this.scope.varsFiles = await loadVarsFiles(this.play, this.opts.extraVars);
    const filter = { tags: this.opts.tags, skipTags: this.opts.skipTags, roles: this.opts.roles };
    const selected = filterTasks(this.play.tasks, (t) => t.module === 'meta' || taskSelected(t, this.play.tags, filter));
    const tasks = this.startAtTask === undefined ? selected : startAt(selected, this.startAtTask);
    this.register(tasks);
    for (const batch of serialBatches(this.record.hosts, this.play.serial)) {
      await this.open(batch);
      await this.runNodes(
        tasks,
        batch.map((h) => this.sessions.get(h)!),
        batch,
      );
      if (this.aborted) return;
      await this.flushHandlers(batch);
      // Ansible's rule: when every host of a batch (the whole play without serial) failed or was
      // unreachable, the playbook stops there; later batches and plays never run.
      const noneLeft = batch.length > 0 && this.active(batch).length === 0;
      await this.release(batch);
      if (noneLeft) {
        const why = batch.map((h) => `${h}: ${this.sessions.get(h)!.unreachable ? 'unreachable' : 'failed'}`).join(', ');
        this.aborted = `play '${this.play.name}' stopped: no host of the ${this.play.serial.length > 0 ? 'serial batch' : 'play'} is left (${why})`;
        return;
      }
    }
  }
}

/** Runs a playbook against an inventory: the whole engine, I/O through opts.open and opts.reporter. */
export async function runPlaybook(opts: RunOptions): Promise<RunResult> {
  const inv = opts.inventory;
  const inventoryVars = allHostVars(inv);
  const limited = opts.limit ? new Set(selectHosts(inv, opts.limit)) : undefined;
  const sessions = new Map<string, HostSession>();
  // Null prototype: a host named `constructor` or `toString` must get its own counters.
  const stats: Record<string, HostStats> = Object.create(null);
  const plays: PlayRecord[] = [];
  let aborted: string | undefined;
  const delegation = new LocalDelegation(opts.open, opts.check);
  let startAtPending = opts.startAtTask;
  const hostsOfPlay = opts.playbook.plays.map((play) => selectHosts(inv, play.hosts).filter((h) => !limited || limited.has(h)));
  try {
    for (const [index, play] of opts.playbook.plays.entries()) {
      const hosts = hostsOfPlay[index]!;
      for (const h of hosts) {
        if (!sessions.has(h)) sessions.set(h, newSession(h));
        stats[h] ??= emptyStats();
      }
      const eligible = hosts.filter((h) => !sessions.get(h)!.failed);
      opts.reporter.playStart(play, eligible);
      if (eligible.length === 0) {
        opts.reporter.notice(`skipping play '${play.name}': no hosts matched`);
        continue;
      }
      const later = new Set(hostsOfPlay.slice(index + 1).flat());
      // --start-at-task: the plays before the one with the task run nothing; from there on, everything.
      const startAtTask = startAtPending;
      if (startAtPending !== undefined && playHasTask(play, startAtPending)) startAtPending = undefined;
      const lastPlayHosts = new Set(eligible.filter((h) => !later.has(h)));
      const playRun = new PlayRun(play, eligible, opts, sessions, stats, inventoryVars, lastPlayHosts, delegation, startAtTask);
      await playRun.run();
      plays.push(playRun.result);
      if (playRun.aborted) {
        aborted = playRun.aborted;
        opts.reporter.notice(aborted);
        break;
      }
    }
  } finally {
    for (const session of sessions.values()) {
      const notice = unconfirmedNotice(session);
      if (notice) opts.reporter.notice(notice);
    }
    await Promise.all([...sessions.values()].map((s) => s.conn?.driver.close().catch(() => undefined)));
    await delegation.close();
  }
  const all = Object.values(stats);
  const exitCode = hostsExitCode({ failed: all.some((s) => s.failed > 0), unreachable: all.some((s) => s.unreachable > 0), aborted: Boolean(aborted) });
  const result: RunResult = { check: opts.check, plays, stats, exitCode, aborted };
  await opts.reporter.runEnd(result);
  return result;
}
