/**
 * `delegate_to: localhost` (or 127.0.0.1): the task runs on the controller, through the local
 * transport, with the inventory host's variables, facts and registered results, as Ansible does
 * for the implicit localhost. One local connection serves every delegated task of the run (in
 * check mode, one simulated overlay over it) and is closed when the run ends. Delegating to any
 * other host is refused: at load time when the name is literal, when the task runs otherwise.
 */
import { ProvError } from '../core/errors.js';
import type { Task } from '../playbook/types.js';
import { createSimulatedDriver, type HostDriver } from '../state/driver.js';
import { renderValue } from '../template/render.js';
import type { Vars } from '../inventory/types.js';
import type { HostSession } from './session.js';
import type { HostConnection, HostOpener } from './types.js';

/** A task delegated where prov does not delegate: the task fails on that host (not unreachable). */
export class DelegateError extends ProvError {}

export const LOCAL_NAMES = new Set(['localhost', '127.0.0.1']);

/** Whether a task delegated to `name` runs on the controller; any other target is an error naming the task. */
export function checkDelegateTarget(task: Pick<Task, 'name' | 'delegateTo'>, vars: Vars): void {
  const target = String(renderValue(task.delegateTo, vars)).trim();
  if (!LOCAL_NAMES.has(target)) {
    throw new DelegateError('failed', `task '${task.name}': delegate_to '${target}' is not supported by prov (only localhost and 127.0.0.1)`);
  }
}

export class LocalDelegation {
  private conn?: Promise<HostConnection>;
  private simulated?: HostDriver;

  constructor(
    private readonly open: HostOpener,
    private readonly check: boolean,
  ) {}

  /** The inventory host's session, its connection replaced by the controller's. */
  async sessionFor(session: HostSession): Promise<HostSession> {
    this.conn ??= this.open('localhost', { ansible_connection: 'local' });
    const conn = await this.conn;
    if (this.check) this.simulated ??= createSimulatedDriver(conn.driver.state);
    return { ...session, conn: { driver: conn.driver, facts: session.conn!.facts }, simulated: this.simulated };
  }

  async close(): Promise<void> {
    const conn = await this.conn?.catch(() => undefined);
    await conn?.driver.close().catch(() => undefined);
  }
}
