/**
 * `prov apply --retries N`: after a connection SETUP that failed in a way that may pass (the host
 * is booting, sshd is restarting, a link blinked), prov opens the connection again, up to N more
 * times, with an exponential backoff (1 s, 2 s, 4 s … capped at 8 s, jittered) between setups;
 * each setup has the whole connect timeout and its own retries of a server that dropped it
 * before the handshake (connect-retry.ts). Failures that would fail the same way again are final
 * at once: authentication, a refused or changed host key, an unknown host name, an unreadable
 * key or known_hosts file.
 *
 * Only the opening of a connection is retried, never a command: once a connection is up nothing
 * here runs, and a connection lost mid-run is not reopened (the host is unreachable for the rest
 * of the run), because a command whose connection dropped may have run, wholly or in part.
 */
import { backoffDelayMs, realClock, type RetryClock } from './connect-retry.js';

/** Further setups after the first one that failed, when --retries is not given. */
export const DEFAULT_SETUP_RETRIES = 2;

export interface SetupRetryPolicy {
  /** Setups after the first one (0: one setup only). */
  retries: number;
  /** Delay before the second setup (before jitter); doubles for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export function setupRetryPolicy(retries: number): SetupRetryPolicy {
  return { retries, baseDelayMs: 1000, maxDelayMs: 8000 };
}

/**
 * Whether a failed setup may succeed if tried again later: refused (sshd not yet listening),
 * timed out, reset, dropped before the handshake, no route or network (a host booting, ARP not
 * answered yet), a temporary name-resolution failure. Anything else is final.
 */
export function mayPassLater(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EAI_AGAIN'].includes(code)
  ) {
    return true;
  }
  const message = err instanceof Error ? err.message : String(err);
  return /timed out while waiting for handshake|connection lost before handshake|^no response from server$/i.test(message);
}

export interface SetupRetryOptions {
  policy: SetupRetryPolicy;
  /** Whether this failure may be tried again (default mayPassLater). */
  retryable?: (err: unknown) => boolean;
  clock?: RetryClock;
}

/**
 * Runs `setup(setupNumber)` until it succeeds, fails for good or the retries run out; then throws
 * the last failure, with `setups` set on it when there was more than one.
 */
export async function withSetupRetries<T>(setup: (setupNumber: number) => Promise<T>, options: SetupRetryOptions): Promise<T> {
  const { policy } = options;
  const clock = options.clock ?? realClock;
  const retryable = options.retryable ?? mayPassLater;
  const backoff = { maxAttempts: policy.retries + 1, baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs };
  for (let n = 1; ; n++) {
    try {
      return await setup(n);
    } catch (err) {
      if (n > policy.retries || !retryable(err)) {
        if (n > 1 && err !== null && typeof err === 'object') (err as { setups?: number }).setups = n;
        throw err;
      }
      await clock.sleep(backoffDelayMs(n, backoff, () => clock.random()));
    }
  }
}
