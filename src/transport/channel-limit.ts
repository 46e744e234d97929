/**
 * A small FIFO semaphore. sshd allows at most MaxSessions (default 10) open channels per
 * connection and refuses the rest, so the SSH transport keeps its concurrent execs below that.
 * Hand-written: a dozen lines, not worth a dependency.
 */
export class ChannelLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
