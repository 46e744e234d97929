/** The chaos run's nodes: one transport each (the shared opener), commands, and the waits it needs. */
import { ProvError, errorMessage } from '../core/errors.js';
import type { Vars } from '../inventory/types.js';
import { hostTransport } from '../runner/open-host.js';
import type { Transport } from '../core/transport.js';
import { bfdDownEvents, defaultGateways } from './routes.js';
import { failureReason } from '../core/text.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The open connections of a chaos run, one per node, reopened after a power cycle. */
export class Nodes {
  private readonly open = new Map<string, Transport>();
  constructor(
    private readonly vars: Record<string, Vars>,
    private readonly timeoutS: number,
  ) {}
  get(name: string): Transport {
    let t = this.open.get(name);
    if (!t) {
      t = hostTransport(name, this.vars[name]!, { trustNewHostKeys: false, connectTimeoutMs: this.timeoutS * 1000, execMode: 'channel' });
      this.open.set(name, t);
    }
    return t;
  }
  /** Forgets a connection (after a power cycle the old one is dead). */
  async drop(name: string): Promise<void> {
    const t = this.open.get(name);
    this.open.delete(name);
    await t?.close().catch(() => undefined);
  }
  async closeAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((t) => t.close().catch(() => undefined)));
    this.open.clear();
  }
}

export async function exec(nodes: Nodes, name: string, command: string, stdin?: string): Promise<string> {
  const r = await nodes.get(name).exec(command, stdin === undefined ? {} : { stdin });
  if (r.code !== 0) throw new ProvError('failed', `chaos: ${name}: '${command.split(' ')[0]}' failed: ${failureReason(r)}`);
  return r.stdout;
}

/** Waits until every host's default route has all routers as next hops. */
export async function waitConverged(nodes: Nodes, hosts: string[], routerAddrs: string[], timeoutMs: number): Promise<void> {
  const want = [...routerAddrs].sort().join(',');
  const deadline = Date.now() + timeoutMs;
  for (const h of hosts) {
    for (;;) {
      const got = defaultGateways(await exec(nodes, h, 'ip -4 -j route show default').catch(() => '')).join(',');
      if (got === want) break;
      if (Date.now() > deadline)
        throw new ProvError('failed', `chaos: ${h}: default route has next hops [${got}], expected [${want}] (roles applied? BGP up?)`);
      await sleep(200);
    }
  }
}

export async function waitSsh(nodes: Nodes, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await nodes.drop(name);
    try {
      await nodes.get(name).connect();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new ProvError('unreachable', `chaos: ${name} did not come back after power on: ${errorMessage(err)}`);
      await sleep(500);
    }
  }
}

export async function bfdDowns(nodes: Nodes, names: string[]): Promise<number> {
  const counts = await Promise.all(names.map((n) => exec(nodes, n, "vtysh -c 'show bfd peers counters json'").then(bfdDownEvents, () => 0)));
  return counts.reduce((a, b) => a + b, 0);
}
