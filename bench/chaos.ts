// Chaos figures for `npm run bench` (wired by the lead): brings up lab `chaos-bench`, applies the
// roles, runs every fault on r1 with 64 TCP + 64 UDP flows and 10 s of CPU load, prints the
// table, writes chaos-timeline.svg, and tears the lab down. Needs root. About 2 minutes.
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chaosTable } from '../src/chaos/report.js';
import { DEFAULT_OPTIONS, runChaos } from '../src/chaos/run.js';
import { timelineSvg } from '../src/chaos/timeline.js';
import { writeFileSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const name = 'chaos-bench';
const prov = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const labCmd = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/lab-main.ts'), 'lab', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

try {
  if (labCmd(['up', '--name', name]).status !== 0) throw new Error('lab up failed');
  const inventory = join(root, 'inventory', `${name}.yml`);
  if (prov(['apply', inventory]).status !== 0) throw new Error('apply failed');
  const result = await runChaos(inventory, { ...DEFAULT_OPTIONS, cpuLoadS: 10 }, (l) => process.stderr.write(`${l}\n`));
  console.log('chaos (lab, 2 routers + 1 host, 64 TCP + 64 UDP flows, faults on r1)');
  console.log(chaosTable(result));
  writeFileSync('chaos-timeline.svg', timelineSvg(result.faults.map((report, i) => ({ report, flows: result.flows[i]! }))));
} finally {
  labCmd(['down', '--name', name]);
}
