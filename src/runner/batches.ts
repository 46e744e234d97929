/**
 * Splits a play's hosts into `serial` batches, as Ansible does: each entry is a count or a
 * percentage of all hosts; the last entry repeats until every host is in a batch.
 */
export function serialBatches(hosts: string[], serial: (number | string)[]): string[][] {
  if (serial.length === 0 || hosts.length === 0) return hosts.length ? [hosts] : [];
  const sizes = serial.map((s) => {
    if (typeof s === 'number') return s;
    const pct = Number(s.replace('%', ''));
    return Math.max(1, Math.floor((hosts.length * pct) / 100));
  });
  const batches: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(k, sizes.length - 1)]!;
    batches.push(hosts.slice(i, i + size));
    i += size;
    k += 1;
  }
  return batches;
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping result order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
