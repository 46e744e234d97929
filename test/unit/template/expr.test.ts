import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { evaluate, isTruthy } from '../../../src/template/render.js';

const vars = {
  n: 7,
  s: 'abc',
  l: [3, 1, 2],
  d: { a: 1, b: { c: 'deep' }, 'with-dash': true },
  peers: [
    { name: 'r1', ip: '192.168.100.20', up: true },
    { name: 'r2', ip: '192.168.100.21', up: false },
  ],
  nothing: null,
  empty: '',
  yes_str: 'yes',
  flag_str: 'false',
};
const ev = (e: string, v: Record<string, unknown> = vars): unknown => evaluate(e, v);

test('literals', (t) => {
  t.is(ev('42'), 42);
  t.is(ev('4.5'), 4.5);
  t.is(ev("'it''s'"), 'its', 'adjacent strings concatenate');
  t.is(ev('"dq \\"x\\""'), 'dq "x"');
  t.is(ev("'a\\nb'"), 'a\nb');
  for (const x of ['true', 'True']) t.is(ev(x), true);
  for (const x of ['false', 'False']) t.is(ev(x), false);
  for (const x of ['none', 'None']) t.is(ev(x), null);
  t.deepEqual(ev('[1, "two", [3]]'), [1, 'two', [3]]);
  t.deepEqual(ev('{\'a\': 1, "b": [2]}'), { a: 1, b: [2] });
  t.deepEqual(ev('(1, 2)'), [1, 2]);
  t.deepEqual(ev('[]'), []);
});

test('variables, dotted and indexed access', (t) => {
  t.is(ev('n'), 7);
  t.is(ev('d.a'), 1);
  t.is(ev("d['b']['c']"), 'deep');
  t.is(ev('d.b.c'), 'deep');
  t.is(ev("d['with-dash']"), true);
  t.is(ev('l[0]'), 3);
  t.is(ev('l.1'), 1);
  t.is(ev('l[-1]'), 2);
  t.is(ev('s[1]'), 'b');
  t.is(ev('peers[1].ip'), '192.168.100.21');
  t.deepEqual(ev('l[1:]'), [1, 2]);
  t.deepEqual(ev('l[::-1]'), [2, 1, 3]);
  t.is(ev('s[:2]'), 'ab');
  t.is(ev('d[key]', { d: { x: 5 }, key: 'x' }), 5);
});

test('comparisons, chained', (t) => {
  t.true(ev('n == 7') as boolean);
  t.true(ev('n != 8') as boolean);
  t.true(ev('n < 8 and n <= 7 and n > 6 and n >= 7') as boolean);
  t.true(ev('1 < n < 10') as boolean);
  t.false(ev('1 < n < 5') as boolean);
  t.true(ev("s == 'abc'") as boolean);
  t.true(ev("'abc' < 'abd'") as boolean);
  t.true(ev('[1, 2] == [1, 2]') as boolean);
  t.true(ev("{'a': 1} == {'a': 1}") as boolean);
  t.true(ev('true == 1') as boolean);
  t.throws(() => ev("n < 'x'"), { instanceOf: TemplateError, message: "'<' not supported between 'int' and 'str'" });
});

test('and, or, not return operands as Python does', (t) => {
  t.is(ev('n and s'), 'abc');
  t.is(ev('empty or s'), 'abc');
  t.is(ev('nothing or 0'), 0);
  t.is(ev('not empty'), true);
  t.is(ev('not n'), false);
  t.is(ev('not n == 8'), true, 'not binds looser than ==');
  t.is(ev('false or true and false'), false, 'and binds tighter than or');
});

test('in and not in', (t) => {
  t.true(ev('1 in l') as boolean);
  t.true(ev('5 not in l') as boolean);
  t.true(ev("'b' in s") as boolean);
  t.true(ev("'a' in d") as boolean);
  t.false(ev("'z' in d") as boolean);
  t.true(ev("'r1' in peers | map(attribute='name')") as boolean);
});

test('tests: defined, undefined, none and friends', (t) => {
  t.true(ev('n is defined') as boolean);
  t.true(ev('missing is not defined') as boolean);
  t.true(ev('missing is undefined') as boolean);
  t.true(ev('d.zzz is not defined') as boolean);
  t.true(ev('missing.deeper is undefined') as boolean);
  t.true(ev('nothing is none') as boolean);
  t.false(ev('n is none') as boolean);
  t.true(ev('s is string and n is number and d is mapping and l is sequence') as boolean);
  t.true(ev('n is odd and 4 is even and 9 is divisibleby 3') as boolean);
  t.true(ev("s is match('a.c')") as boolean);
  t.true(ev("'abc' is search('bc')") as boolean);
  t.true(ev('n is eq(7)') as boolean);
  t.throws(() => ev('n is frobnicated'), { message: "unknown test 'frobnicated'" });
});

test('arithmetic and concatenation', (t) => {
  t.is(ev('1 + 2 * 3'), 7);
  t.is(ev('(1 + 2) * 3'), 9);
  t.is(ev('7 / 2'), 3.5);
  t.is(ev('7 // 2'), 3);
  t.is(ev('-7 // 2'), -4);
  t.is(ev('7 % 3'), 1);
  t.is(ev('-7 % 3'), 2, 'Python modulo');
  t.is(ev('2 ** 10'), 1024);
  t.is(ev('-n + 1'), -6);
  t.is(ev("'a' + 'b'"), 'ab');
  t.deepEqual(ev('[1] + [2]'), [1, 2]);
  t.is(ev("'ab' * 2"), 'abab');
  t.is(ev('s ~ n ~ nothing ~ true'), 'abc7NoneTrue');
  t.throws(() => ev("n + 'x'"), { message: "unsupported operand types for +: 'int' and 'str'" });
  t.throws(() => ev('n / 0'), { message: 'division by zero' });
});

test('inline if', (t) => {
  t.is(ev("'up' if n > 5 else 'down'"), 'up');
  t.is(ev("'up' if n > 50 else 'down'"), 'down');
});

test('filters', (t) => {
  t.is(ev("missing | default('x')"), 'x');
  t.is(ev("missing | d('x')"), 'x');
  t.is(ev("n | default('x')"), 7);
  t.is(ev("empty | default('x')"), '', 'default only replaces undefined...');
  t.is(ev("empty | default('x', true)"), 'x', '...unless boolean=true');
  t.is(ev("d.nope.deeper | default('chain')"), 'chain');
  t.is(ev("l | join(',')"), '3,1,2');
  t.is(ev("peers | map(attribute='ip') | join(' ')"), '192.168.100.20 192.168.100.21');
  t.is(ev('l | length'), 3);
  t.is(ev('s | length'), 3);
  t.is(ev('d | length'), 3);
  t.is(ev('l | count'), 3);
  t.is(ev("'42' | int"), 42);
  t.is(ev("'4.9' | int"), 4);
  t.is(ev("'x' | int"), 0);
  t.is(ev("'x' | int(5)"), 5);
  t.is(ev("'1.5' | float"), 1.5);
  for (const x of ["'yes'", "'on'", "'1'", "'true'", "'True'", 'true', '1']) t.is(ev(`${x} | bool`), true, x);
  for (const x of ["'no'", "'off'", "'0'", "'false'", 'false', 'none', "'maybe'"]) t.is(ev(`${x} | bool`), false, x);
  t.is(ev("'AbC' | lower"), 'abc');
  t.is(ev("'AbC' | upper"), 'ABC');
  t.is(ev('n | string'), '7');
  t.is(ev('true | string'), 'True');
  t.deepEqual(ev("'ab' | list"), ['a', 'b']);
  t.deepEqual(ev('d | list'), ['a', 'b', 'with-dash']);
  t.is(ev('l | first'), 3);
  t.is(ev('l | last'), 2);
  t.deepEqual(ev('[1, 2, 1, 3, 2] | unique'), [1, 2, 3]);
  t.deepEqual(ev('l | sort'), [1, 2, 3]);
  t.deepEqual(ev('l | sort(reverse=true)'), [3, 2, 1]);
  t.deepEqual(ev("peers | sort(attribute='ip', reverse=true) | map(attribute='name') | list"), ['r2', 'r1']);
  t.is(ev("'  x ' | trim"), 'x');
  t.is(ev("'a.b.c' | replace('.', '-')"), 'a-b-c');
  t.deepEqual(ev("'a,b' | split(',')"), ['a', 'b']);
  t.is(ev('l | min'), 1);
  t.is(ev('l | max'), 3);
  t.is(ev('l | sum'), 6);
  t.is(ev("true | ternary('on', 'off')"), 'on');
  t.deepEqual(ev("{'a': 1} | dict2items"), [{ key: 'a', value: 1 }]);
  t.deepEqual(ev("[{'key': 'a', 'value': 1}] | items2dict"), { a: 1 });
  t.deepEqual(ev("peers | selectattr('up') | map(attribute='name') | list"), ['r1']);
  t.deepEqual(ev("peers | rejectattr('name', 'equalto', 'r1') | map(attribute='name') | list"), ['r2']);
  t.deepEqual(ev("l | select('odd') | list"), [3, 1]);
  t.deepEqual(ev("['a', 'b'] | map('upper') | list"), ['A', 'B']);
  t.deepEqual(ev("{'a': 1} | combine({'b': 2})"), { a: 1, b: 2 });
  t.is(ev("'10.0.0.1/24' | regex_replace('/\\\\d+$', '')"), '10.0.0.1');
  t.is(ev("'eth0: up' | regex_replace('(\\\\w+): (\\\\w+)', '\\\\2 \\\\1')"), 'up eth0');
  t.is(ev("{'a': [1]} | to_json"), '{"a": [1]}');
  t.is(ev('s | length > 2'), true, 'filters bind tighter than comparisons');
  t.throws(() => ev('n | frob'), { message: "unknown filter 'frob'" });
  t.throws(() => ev('missing | length'), { message: "undefined variable 'missing'" });
});

test('methods commonly used in Ansible', (t) => {
  t.deepEqual(ev("'a:b'.split(':')"), ['a', 'b']);
  t.is(ev("'a:b'.split(':')[0]"), 'a');
  t.true(ev("s.startswith('ab')") as boolean);
  t.deepEqual(ev('d.b.items()'), [['c', 'deep']]);
  t.deepEqual(ev('range(3)'), [0, 1, 2]);
  t.throws(() => ev('s.__class__()'), { message: /no supported method '__class__'/ });
});

test('no access to JavaScript internals', (t) => {
  t.true(ev('d.constructor is undefined') as boolean);
  t.true(ev("d['__proto__'] is undefined") as boolean);
  t.true(ev('s.length is undefined') as boolean);
});

test('undefined variables are errors when used', (t) => {
  t.throws(() => ev('missing'), { instanceOf: TemplateError, message: "undefined variable 'missing'" });
  t.throws(() => ev('missing == 1'), { message: "undefined variable 'missing'" });
  t.throws(() => ev('d.zzz + 1'), { message: "'d' has no attribute 'zzz'" });
  t.throws(() => ev('l[9] + 1'), { message: "index 9 out of range in 'l'" });
  t.throws(() => isTruthy(ev('missing.x')));
});

test('syntax errors are parse errors naming the expression', (t) => {
  for (const bad of ['n ==', '(n', 'n |', "'open", 'n $ 2', '', 'l[', 'd.']) {
    const err = t.throws(() => ev(bad), { instanceOf: TemplateError }, bad);
    t.is(err!.kind, 'parse', bad);
    t.false(err!.message.includes('\n'));
  }
  t.throws(() => ev('n =='), { message: "syntax error: expected a value, got end of expression in expression 'n =='" });
});

test('when: bool, list (all must hold), {{ }} stripped, bare string variable', (t) => {
  t.is(evaluate(true, vars), true);
  t.is(evaluate(['n > 1', 's == "abc"'], vars), true);
  t.is(evaluate(['n > 1', 's == "x"'], vars), false);
  t.is(evaluate('{{ n > 1 }}', vars), true);
  t.is(evaluate('{{ n }} == 7', vars), true);
  t.is(evaluate('flag_str', vars), 'false', "a variable holding 'false' is a non-empty string, true under ansible-core 2.14");
  t.true(isTruthy(evaluate('flag_str', vars)));
  t.is(evaluate('yes_str', vars), 'yes', 'a string that is not an expression stays a (truthy) string');
});

test('isTruthy follows Jinja', (t) => {
  for (const v of [null, false, 0, '', [], {}]) t.false(isTruthy(v), JSON.stringify(v));
  for (const v of [true, 1, -1, 'x', [0], { a: 0 }, 'false']) t.true(isTruthy(v), JSON.stringify(v));
});
