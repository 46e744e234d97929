import { dirname } from 'node:path';
import { ProvError, errorMessage, hostsExitCode } from '../errors.js';
import { selectHosts } from '../inventory/patterns.js';
import { allHostVars, groupsMap } from '../inventory/vars.js';
import type { Vars } from '../inventory/types.js';
import type { Play, Role, Task } from '../playbook/types.js';
import { createSimulatedDriver } from '../state/driver.js';
import { plainValue } from '../template/host-data.js';
import { mapLimit, serialBatches } from './batches.js';
import { taskSelected } from './filter.js';
import { upcomingReads } from './prefetch.js';
import { newSession, type HostSession } from './session.js';
import { checkDelegateTarget, DelegateError, LocalDelegation } from './delegate.js';
import { runtimeSnapshot, shareRunOnce } from './run-once.js';
import { runTask } from './task.js';
import type { HostStats, HostTaskResult, PlayRecord, RunOptions, RunResult, TaskRecord } from './types.js';
import { connectionVars, hostFactVars, playScope, taskVars, type PlayScope } from './vars.js';

function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

function count(stats: HostStats, result: HostTaskResult): void {
  if (result.status === 'unreachable') stats.unreachable += 1;
  else if (result.status === 'skipped') stats.skipped += 1;
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
    private readonly delegation: LocalDelegation = new LocalDelegation(opts.open, opts.check),
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

  private async runOnHosts(task: Task, batch: HostSession[], handler: boolean, upcoming: Task[] = []): Promise<void> {
    if (batch.length === 0) return;
    // run_once: the first host runs it, the others get its result (run-once.ts).
    const sessions = task.runOnce ? batch.slice(0, 1) : batch;
    const before = task.runOnce ? runtimeSnapshot(sessions[0]!) : {};
    this.opts.reporter.taskStart(task, sessions.map((s) => s.host), handler);
    const record: TaskRecord = { task: task.name, role: task.origin.role, handler, results: [] };
    this.record.tasks.push(record);
    const hostvars = this.hostvars();
    await mapLimit(sessions, this.opts.forks, async (session) => {
      let result: HostTaskResult;
      try {
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
        });
        result = outcome;
        if (outcome.changed) {
          // The controller may be the host itself (localhost): what it read before is stale.
          if (target !== session && !this.opts.check) session.conn?.driver.invalidate();
          for (const n of task.notify) session.notified.add(n);
          // A real change may have invalidated cached reads; check mode never touches the machine.
          if (!this.opts.check) session.prefetched = false;
        }
        if (outcome.status === 'failed' && !outcome.ignored) session.failed = true;
      } catch (err) {
        if (err instanceof DelegateError) {
          // A task that cannot run here (delegate_to a host prov does not delegate to).
          session.failed = !task.ignoreErrors;
          result = { host: session.host, status: 'failed', msg: err.message, diffs: [], ms: 0, ignored: task.ignoreErrors || undefined };
          count(this.stats[session.host]!, result);
          record.results.push(result);
          this.opts.reporter.hostResult(task, result);
          return;
        }
        session.unreachable = true;
        result = { host: session.host, status: 'unreachable', msg: errorMessage(err), diffs: [], ms: 0 };
        if (!(err instanceof ProvError)) result.msg = `internal error: ${errorMessage(err)}`;
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
    const failed = batch.filter((h) => this.sessions.get(h)!.failed).length;
    if (failed === 0) return;
    if (this.play.anyErrorsFatal) {
      this.aborted = `play '${this.play.name}' stopped: task '${task.name}' failed and any_errors_fatal is set`;
    } else if (this.play.maxFailPercentage !== undefined && (failed / batch.length) * 100 > this.play.maxFailPercentage) {
      this.aborted = `play '${this.play.name}' stopped: ${failed} of ${batch.length} hosts failed, over max_fail_percentage ${this.play.maxFailPercentage}`;
    }
  }

  async run(): Promise<void> {
    const filter = { tags: this.opts.tags, skipTags: this.opts.skipTags, roles: this.opts.roles };
    const tasks = this.play.tasks.filter((t) => t.module === 'meta' || taskSelected(t, this.play.tags, filter));
    for (const batch of serialBatches(this.record.hosts, this.play.serial)) {
      await this.open(batch);
      for (const [index, task] of tasks.entries()) {
        if (this.active(batch).length === 0) break;
        if (task.module === 'meta') {
          if (task.args === 'flush_handlers') await this.flushHandlers(batch);
          continue;
        }
        await this.runOnHosts(task, this.active(batch), false, tasks.slice(index, index + 50).filter((t) => t.module !== 'meta'));
        this.checkAbort(batch, task);
        if (this.aborted) return;
      }
      await this.flushHandlers(batch);
      const opened = batch.filter((h) => !this.sessions.get(h)!.unreachable);
      const allFailed = opened.length > 0 && this.active(batch).length === 0;
      await this.release(batch);
      if (allFailed && this.play.serial.length > 0) {
        this.aborted = `play '${this.play.name}' stopped: every host of a serial batch failed (${batch.join(', ')})`;
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
      const playRun = new PlayRun(play, eligible, opts, sessions, stats, inventoryVars, new Set(eligible.filter((h) => !later.has(h))), delegation);
      await playRun.run();
      plays.push(playRun.result);
      if (playRun.aborted) {
        aborted = playRun.aborted;
        opts.reporter.notice(aborted);
        break;
      }
    }
  } finally {
    await Promise.all([...sessions.values()].map((s) => s.conn?.driver.close().catch(() => undefined)));
    await delegation.close();
  }
  const all = Object.values(stats);
  const exitCode = hostsExitCode({ failed: all.some((s) => s.failed > 0), unreachable: all.some((s) => s.unreachable > 0), aborted: Boolean(aborted) });
  const result: RunResult = { check: opts.check, plays, stats, exitCode, aborted };
  await opts.reporter.runEnd(result);
  return result;
}
