import test from 'ava';
import { withLookupItems } from '../../../src/runner/with-items.js';

test('with_dict: {key, value} per entry, in order (dict2items)', (t) => {
  t.deepEqual(withLookupItems('dict', { b: 1, a: [2] }), [
    { key: 'b', value: 1 },
    { key: 'a', value: [2] },
  ]);
});

test('with_dict: a list of dicts is read dict after dict; anything else is an error', (t) => {
  t.deepEqual(withLookupItems('dict', [{ a: 1 }, { b: 2 }]), [
    { key: 'a', value: 1 },
    { key: 'b', value: 2 },
  ]);
  t.throws(() => withLookupItems('dict', [1, 2]), { message: /with_dict expects a dict, got number/ });
  t.throws(() => withLookupItems('dict', 'x'), { message: /with_dict expects a dict/ });
});

test('with_items flattens one level; with_list keeps the list', (t) => {
  t.deepEqual(withLookupItems('items', [1, [2, [3]]]), [1, 2, [3]]);
  t.deepEqual(withLookupItems('list', [1, [2, [3]]]), [1, [2, [3]]]);
  t.deepEqual(withLookupItems('items', 'one'), ['one']);
});

test('with_indexed_items: [index, item] over the flattened list', (t) => {
  t.deepEqual(withLookupItems('indexed_items', ['a', ['b', 'c']]), [
    [0, 'a'],
    [1, 'b'],
    [2, 'c'],
  ]);
});

test('with_together: the lists zipped, the shorter padded with null', (t) => {
  t.deepEqual(
    withLookupItems('together', [
      [1, 2, 3],
      ['a', 'b'],
    ]),
    [
      [1, 'a'],
      [2, 'b'],
      [3, null],
    ],
  );
  t.throws(() => withLookupItems('together', []), { message: /with_together requires at least one element/ });
});

test('a with_ loop over something that is not a list is an error naming the lookup', (t) => {
  t.throws(() => withLookupItems('list', { a: 1 }), { message: /with_list expects a list, got object/ });
});
