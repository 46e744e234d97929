import test from 'ava';
import { parseKv, splitArgs } from '../../../src/core/parse-kv.js';

test('split_args keeps quoted strings and Jinja blocks whole', (t) => {
  t.deepEqual(splitArgs('a=b c="foo bar"'), ['a=b', 'c="foo bar"']);
  t.deepEqual(splitArgs('msg={{ a | default("x y") }} z=1'), ['msg={{ a | default("x y") }}', 'z=1']);
});

test('split_args: an unbalanced quote or block is an error', (t) => {
  t.throws(() => splitArgs('msg="open'), { message: /unbalanced jinja2 block or quotes/ });
  t.throws(() => splitArgs('msg={{ x'), { message: /unbalanced/ });
});

test('parse_kv: key=value words, values unquoted, escapes decoded', (t) => {
  t.deepEqual(parseKv('path=/x state=touch'), { path: '/x', state: 'touch' });
  t.deepEqual(parseKv('msg="a b"'), { msg: 'a b' });
  t.deepEqual(parseKv("content='x\\ny' dest={{ out }}/f"), { content: 'x\ny', dest: '{{ out }}/f' });
  t.deepEqual(parseKv('a=b=c'), { a: 'b=c' });
});

test('parse_kv: words without = are the raw params', (t) => {
  t.deepEqual(parseKv('hello a=1'), { a: '1', _raw_params: 'hello' });
});

test('parse_kv with check_raw: only the free-form options are taken out, the command keeps its spacing', (t) => {
  t.deepEqual(parseKv("chdir=/tmp echo  'x  y' a=b creates=/c", true), { chdir: '/tmp', creates: '/c', _raw_params: "echo  'x  y' a=b" });
  t.deepEqual(parseKv('printf "%s\\n" a\nb', true), { _raw_params: 'printf "%s\\n" a\nb' });
});
