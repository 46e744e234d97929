import test from 'ava';
import { run } from '../../helpers/lab.js';

// The README's commands run as root as written; as another user they must stop at once and say
// why, before apt-get or npm try anything.
test('scripts/setup.sh (run by demo.sh and test.sh) stops at once without root and says so', async (t) => {
  if (process.getuid?.() !== 0) return t.pass('needs root to run the script as another user');
  const r = await run('bash', ['scripts/setup.sh'], { uid: 65534, gid: 65534, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(r.stderr, /^setup: needs root .*run it as root, or with sudo$/m);
  t.notRegex(r.stdout + r.stderr, /setup: installing|setup: npm ci/);
});
