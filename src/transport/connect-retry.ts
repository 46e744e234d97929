/**
 * Retrying the SETUP of an SSH connection (TCP connect + handshake + authentication, before any
 * command runs) when the server dropped it before the handshake: sshd's MaxStartups (default
 * 10:30:100) drops new connections at random while many are being set up at once, as --forks 20
 * against one sshd does. Exponential backoff with jitter, a few attempts, all within the connect
 * timeout. Authentication failures, host-key refusals, refused ports, unresolvable names and
 * timeouts are final. Commands are never retried: nothing here is used once a connection is up.
 */

export interface ConnectRetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Delay before the second attempt (before jitter); doubles for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultConnectRetry: ConnectRetryPolicy = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 2000 };

/** Time and chance, injectable so that the policy is tested without waiting. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/**
 * Whether a failed setup may be tried again: the server reset or closed the connection before
 * the SSH handshake finished. Anything else (ssh2's handshake timeout, authentication, a
 * refused or unreachable address) would fail the same way again.
 */
export function isTransientSetupFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;
  if (/connection lost before handshake/i.test(message)) return true;
  // node-ssh's rejection when the connection closes before 'ready' (it carries code ETIMEDOUT,
  // but a real timeout is ssh2's "Timed out while waiting for handshake").
  if (/^no response from server$/i.test(message)) return true;
  return false;
}

/** Delay after `failures` failed attempts (1, 2, …): base·2^(failures-1), capped, times a jitter in [0.5, 1). */
export function backoffDelayMs(failures: number, policy: ConnectRetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export interface ConnectRetryOptions {
  /** The whole setup, every attempt included, ends by then. */
  timeoutMs: number;
  policy?: ConnectRetryPolicy;
  clock?: RetryClock;
  /** Whether this failure may be retried (default isTransientSetupFailure). */
  retryable?: (err: unknown) => boolean;
}

/**
 * Runs `attempt(remainingMs)` until it succeeds, fails for good, the attempts run out, or the
 * connect timeout leaves no time for another attempt after the backoff; then throws the last
 * failure (with `attempts` set on it when there was more than one).
 */
export async function withConnectRetry<T>(attempt: (remainingMs: number, attemptNumber: number) => Promise<T>, options: ConnectRetryOptions): Promise<T> {
  const policy = options.policy ?? defaultConnectRetry;
  const clock = options.clock ?? realClock;
  const retryable = options.retryable ?? isTransientSetupFailure;
  const deadline = clock.now() + options.timeoutMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(Math.max(1, deadline - clock.now()), n);
    } catch (err) {
      const delay = backoffDelayMs(n, policy, () => clock.random());
      const last = n >= policy.maxAttempts || !retryable(err) || clock.now() + delay >= deadline;
      if (last) {
        if (n > 1 && err !== null && typeof err === 'object') (err as { attempts?: number }).attempts = n;
        throw err;
      }
      await clock.sleep(delay);
    }
  }
}
