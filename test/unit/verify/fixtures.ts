import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { CommandOutput } from '../../../src/verify/types.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/frr');

export function fixture(name: string): string {
  return readFileSync(path.join(dir, name), 'utf8');
}

export function ok(stdout: string): CommandOutput {
  return { stdout, stderr: '', code: 0 };
}

export const labRouters = [
  { name: 'r1', address: '192.168.100.20' },
  { name: 'r2', address: '192.168.100.21' },
];
export const hostExpect = { routers: labRouters, vpcSupernet: '192.168.100.0/23', subnetGateway: '192.168.100.1' };
