/**
 * What the runner holds per host: a view of the machine (state), a way to carry out a plan's
 * actions (execute), and prefetch/invalidate for batching reads. A real run uses the remote
 * driver; check mode uses the simulated one, which never changes the machine.
 */
import type { Action, HostState, StateRead } from '../core/contract.js';
import type { ExecResult, Transport } from '../core/transport.js';
import { executeActions } from './executor.js';
import { RemoteState } from './remote-state.js';
import { SimulatedState } from './simulator.js';

export interface HostDriver {
  state: HostState;
  /** Answers these reads in one round trip where possible (a hint; reads not listed still work). */
  prefetch(reads: StateRead[]): Promise<void>;
  /** Carries out the actions; one ExecResult per exec action, in order. Invalidates the cache. */
  execute(actions: Action[]): Promise<ExecResult[]>;
  /** Forgets cached reads (after something outside execute() changed the machine). */
  invalidate(): void;
  close(): Promise<void>;
}

export function createRemoteDriver(transport: Transport): HostDriver {
  const state = new RemoteState(transport);
  return {
    state,
    prefetch: (reads) => state.prefetch(reads),
    async execute(actions) {
      try {
        return await executeActions(transport, actions);
      } finally {
        // File actions change only their paths; a command may change anything.
        if (actions.some((a) => a.kind === 'exec')) state.invalidate();
        else state.invalidatePaths(actions.map((a) => (a as { path: string }).path));
      }
    },
    invalidate: () => state.invalidate(),
    close: () => transport.close(),
  };
}

interface Prefetching {
  prefetch?(reads: StateRead[]): Promise<void>;
  invalidate?(): void;
}

/**
 * Check mode: reads go to `base` (prefetched and cached there), actions only to the in-memory
 * overlay. `close` closes the base driver when one is given.
 */
export function createSimulatedDriver(base: HostState & Prefetching, onClose?: () => Promise<void>): HostDriver & { state: SimulatedState } {
  const state = new SimulatedState(base);
  return {
    state,
    prefetch: async (reads) => {
      if (base.prefetch) await base.prefetch(reads);
    },
    execute: async (actions) => state.applyActions(actions),
    invalidate: () => base.invalidate?.(),
    close: async () => {
      if (onClose) await onClose();
    },
  };
}
