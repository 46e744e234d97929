/**
 * `tsx bench/plan-many.ts N`: plans (check mode) a small playbook on N inventory hosts, each an
 * in-memory FakeMachine (no SSH), in this process; prints one JSON line {hosts, ms, changed,
 * peakRssBytes}. bench/memory.ts runs it as a child and samples its RSS from /proc as well.
 */
import { loadInventory } from '../src/inventory/load.js';
import { loadPlaybook } from '../src/playbook/load.js';
import { runPlaybook } from '../src/runner/run.js';
import type { HostOpener, Reporter } from '../src/runner/types.js';
import { validatePlaybook } from '../src/runner/validate.js';
import { FakeMachine } from '../test/helpers/fake-machine.js';
import { debianFacts } from '../test/helpers/facts.js';
import { makeProject } from '../test/helpers/project.js';
import { harmlessPlaybook } from './memory-playbook.js';

const quiet: Reporter = { playStart() {}, taskStart() {}, hostResult() {}, hostUnreachable() {}, notice() {}, runEnd() {} };

const hosts = Number(process.argv[2] ?? 1000);
const forks = Number(process.argv[3] ?? 100);
const names = Array.from({ length: hosts }, (_, i) => `h${String(i + 1).padStart(4, '0')}`);
const p = await makeProject({
  'inventory.yml': `all:\n  vars:\n    work: /srv/bench\n  hosts:\n${names.map((h) => `    ${h}: {}`).join('\n')}\n`,
  'site.yml': harmlessPlaybook(),
  'templates/t.ejs': 'host <%= inventory_hostname %>\n',
});
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
try {
  const open: HostOpener = async () => ({ driver: new FakeMachine({ dirs: ['/srv', '/srv/bench'] }), facts: debianFacts() });
  const pb = await loadPlaybook(p.path('site.yml'));
  validatePlaybook(pb);
  const inventory = await loadInventory(p.path('inventory.yml'));
  const t0 = performance.now();
  const result = await runPlaybook({
    inventory,
    playbook: pb,
    check: true,
    diff: false,
    tags: [],
    skipTags: [],
    roles: [],
    forks,
    extraVars: {},
    open,
    reporter: quiet,
  });
  const ms = performance.now() - t0;
  const stats = Object.values(result.stats);
  const changed = stats.reduce((s, h) => s + h.changed, 0);
  const failed = stats.reduce((s, h) => s + h.failed + h.unreachable, 0);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(JSON.stringify({ hosts: stats.length, ms, changed, failed, peakRssBytes: peak }));
} finally {
  clearInterval(sampler);
  await p.remove();
}
