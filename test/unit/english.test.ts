import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plural, withArticle } from '../../src/model/english.ts';

test('plural and withArticle', () => {
  for (const [got, want] of [
    [plural(0, 'object'), '0 objects'],
    [plural(1, 'object'), '1 object'],
    [plural(2, 'change'), '2 changes'],
    [plural(1, 'entry', 'entries'), '1 entry'],
    [plural(3, 'entry', 'entries'), '3 entries'],
    [withArticle('UPDATE'), 'an UPDATE'],
    [withArticle('CREATE'), 'a CREATE'],
    [withArticle('integer'), 'an integer'],
    [withArticle('object'), 'an object'],
    [withArticle('string'), 'a string'],
  ]) assert.equal(got, want);
});
