import { inflateSync } from 'node:zlib';
import { ProvError } from '../core/errors.js';
import type { Conn, Echo, FlowRecord } from './types.js';

/** What flowgen.py prints: base64(zlib(JSON)); times in 0.1 ms from t0 (epoch seconds). */
interface RawRun {
  t0: number;
  interval: number;
  durationSend: number;
  sources: string[];
  flows: { name: string; kind: 'tcp' | 'udp'; sent: number; echoes: number[]; conns: [number, number, number, string][] }[];
}

export interface DecodedRun {
  host: string;
  start: number;
  end: number;
  intervalMs: number;
  flows: FlowRecord[];
}

/** Decodes one generator's output; `routerOf` maps a source address to a router name. */
export function decodeRun(host: string, text: string, routerOf: (address: string) => string): DecodedRun {
  let raw: RawRun;
  try {
    raw = JSON.parse(inflateSync(Buffer.from(text.trim(), 'base64')).toString('utf8')) as RawRun;
  } catch (err) {
    throw new ProvError('internal', `chaos: cannot decode the flow generator's output from ${host}`, { cause: err });
  }
  const base = raw.t0 * 1000;
  const at = (units: number) => base + units / 10;
  const routers = raw.sources.map(routerOf);
  const flows = raw.flows.map((f): FlowRecord => {
    const echoes: Echo[] = [];
    for (let i = 0; i + 3 < f.echoes.length; i += 4) {
      echoes.push({ seq: f.echoes[i]!, tsend: at(f.echoes[i + 1]!), trecv: at(f.echoes[i + 2]!), router: routers[f.echoes[i + 3]!] ?? '?' });
    }
    const conns: Conn[] = f.conns.map(([start, est, end, reason]) => ({ start: at(start), established: est < 0 ? null : at(est), end: at(end), reason }));
    return { id: `${host}:${f.name}`, host, kind: f.kind, sent: f.sent, echoes, conns };
  });
  return { host, start: base, end: at(raw.durationSend), intervalMs: raw.interval / 10, flows };
}
