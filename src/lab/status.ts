import { connect } from 'node:net';
import { alive } from './proc.js';
import { readState, type LabState } from './state.js';

export interface NodeStatus {
  name: string;
  role: string;
  mgmt: string;
  subnet: string;
  upstream: string;
  state: 'up' | 'booting' | 'down';
}

function sshOpen(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port: 22 });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function nodeStatuses(state: LabState): Promise<NodeStatus[]> {
  return Promise.all(
    state.topology.nodes.map(async (n) => {
      const pid = state.pids[`node:${n.name}`];
      const running = pid !== undefined && alive(pid);
      const ssh = running && (await sshOpen(n.mgmtAddress));
      return {
        name: n.name,
        role: n.role,
        mgmt: n.mgmtAddress,
        subnet: n.subnetAddress,
        upstream: n.upstreamAddress ?? '-',
        state: ssh ? 'up' : running ? 'booting' : 'down',
      };
    }),
  );
}

export async function statusText(name: string): Promise<{ text: string; running: boolean }> {
  const state = readState(name);
  if (!state) return { text: `lab ${name} is not running`, running: false };
  const nodes = await nodeStatuses(state);
  const services = ['dnsmasq', 'server', 'peer', 'dns'].map((s) => `${s} ${alive(state.pids[s] ?? -1) ? 'up' : 'down'}`);
  const rows = [['NODE', 'ROLE', 'MGMT (ens5)', 'SUBNET (ens6)', 'UPSTREAM (ens7)', 'STATE']];
  for (const n of nodes) rows.push([n.name, n.role, n.mgmt, n.subnet, n.upstream, n.state]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const text = [
    `lab ${name}: ${state.release}, up since ${state.createdAt}, inventory ${state.inventoryPath}`,
    ...table,
    `services: ${services.join(', ')}`,
  ].join('\n');
  return { text, running: nodes.every((n) => n.state === 'up') };
}
