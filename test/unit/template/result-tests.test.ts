import test from 'ava';
import { asHostData } from '../../../src/template/host-data.js';
import { evaluate } from '../../../src/template/render.js';

const vars = {
  ok: asHostData({ changed: false, failed: false, skipped: false }),
  chg: asHostData({ changed: true, failed: false }),
  bad: asHostData({ changed: false, failed: true, msg: 'boom' }),
  skip: asHostData({ changed: false, skipped: true }),
  loop: asHostData({ results: [{ changed: false }, { changed: true }] }),
  loopNoChange: asHostData({ results: [{ changed: false }] }),
  async: asHostData({ started: 1, finished: 0 }),
  text: 'not a result',
};
const ev = (e: string): unknown => evaluate(e, vars);

test('changed / change, as core.py: a loop result without changed asks its items', (t) => {
  t.true(ev('chg is changed'));
  t.false(ev('ok is changed'));
  t.true(ev('chg is change'));
  t.true(ev('loop is changed'));
  t.false(ev('loopNoChange is changed'));
  t.true(ev('ok is not changed'));
});

test('failed / failure / succeeded / success / successful', (t) => {
  t.true(ev('bad is failed'));
  t.true(ev('bad is failure'));
  t.false(ev('bad is succeeded'));
  t.true(ev('ok is succeeded and ok is success and ok is successful'));
  t.true(ev('skip is success'), 'a result without failed succeeded');
  t.false(ev('ok is failed'));
});

test('skipped / skip, reachable / unreachable, started / finished', (t) => {
  t.true(ev('skip is skipped'));
  t.true(ev('skip is skip'));
  t.false(ev('ok is skipped'));
  t.false(ev('chg is skipped'), 'no skipped key: not skipped');
  t.true(ev('ok is reachable'));
  t.false(ev('ok is unreachable'));
  t.true(ev('async is started'));
  t.false(ev('async is finished'));
  t.true(ev('ok is finished'), 'a task that is not async counts as finished');
});

test('a result test on something that is not a mapping is an error', (t) => {
  t.throws(() => ev('text is changed'), { message: "The 'changed' test expects a dictionary" });
  t.throws(() => ev('missing is failed'), { message: /missing/ });
});
