// Kong's traditional priority, component by component: what kong/router/transform.lua `get_priority` really
// computes under LuaJIT (32-bit shifts for match weight, header count and regex_priority), and which
// component decides between two routes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compatDecidingComponent,
  compatPriority,
  compatPriorityInputs,
  luaLshift32,
  PLAIN_HOSTS_BIT,
  REGEX_BIT,
  TOP_BAND,
} from '../../src/router/compat-priority.ts';
import { splitRoute, type RouterRoute } from '../../src/router/route.ts';

const part = (fields: Omit<RouterRoute, 'id' | 'name'>, group?: number) => {
  const parts = splitRoute({ id: '00000000-0000-5000-8000-000000000000', name: 'r', ...fields });
  return group === undefined ? parts[0]! : parts.find((p) => p.group === group)!;
};
const value = (fields: Omit<RouterRoute, 'id' | 'name'>) => compatPriority(part(fields)).value;

describe('luaLshift32: bit.lshift on a Lua number', () => {
  test('shift counts are taken mod 32', () => {
    assert.equal(luaLshift32(1, 61), 1n << 29n);
    assert.equal(luaLshift32(1, 52), 1n << 20n);
    assert.equal(luaLshift32(1, 19), 1n << 19n);
  });
  test('results are int32: bit 31 makes them negative, higher bits are lost', () => {
    assert.equal(luaLshift32(3, 61), 3n << 29n);
    assert.equal(luaLshift32(4, 61), -(1n << 31n));
    assert.equal(luaLshift32(4096, 19), -(1n << 31n));
    assert.equal(luaLshift32(8192, 19), 0n);
    assert.equal(luaLshift32(-1, 19), -(1n << 19n));
    assert.equal(luaLshift32(255, 52), 255n << 20n);
  });
});

describe('inputs', () => {
  test('match weight counts each non-empty field once', () => {
    assert.equal(compatPriorityInputs(part({})).matchWeight, 0);
    assert.equal(compatPriorityInputs(part({ methods: ['GET'] })).matchWeight, 1);
    assert.equal(compatPriorityInputs(part({ hosts: ['a', 'b'] })).matchWeight, 1);
    assert.equal(compatPriorityInputs(part({ snis: ['a'] })).matchWeight, 1);
    assert.equal(compatPriorityInputs(part({ paths: ['/a'] })).matchWeight, 1);
    assert.equal(compatPriorityInputs(part({ headers: { a: ['1'], b: ['2'] } })).matchWeight, 1);
    assert.equal(compatPriorityInputs(part({ methods: [], hosts: [], paths: [], headers: {} })).matchWeight, 0);
    assert.equal(compatPriorityInputs(part({ methods: ['GET'], hosts: ['a'], snis: ['a'], paths: ['/'], headers: { h: ['1'] } })).matchWeight, 5);
  });
  test('header count is the number of names, capped at 255', () => {
    assert.equal(compatPriorityInputs(part({ headers: { a: ['1', '2'], b: ['3'] } })).headerCount, 2);
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`h${i}`, ['v']]));
    assert.equal(compatPriorityInputs(part({ headers: many })).headerCount, 255);
  });
  test('only plain hosts: hosts given and none has "*"', () => {
    assert.equal(compatPriorityInputs(part({})).plainHostsOnly, false);
    assert.equal(compatPriorityInputs(part({ hosts: ['a.com', 'b.com:80'] })).plainHostsOnly, true);
    assert.equal(compatPriorityInputs(part({ hosts: ['a.com', '*.b.com'] })).plainHostsOnly, false);
    assert.equal(compatPriorityInputs(part({ hosts: ['a.*'] })).plainHostsOnly, false);
    // `type(hosts) == "table"`: an empty list still counts (KIC never sends one).
    assert.equal(compatPriorityInputs(part({ hosts: [] })).plainHostsOnly, true);
  });
  test('regex_priority counts only for a regex part', () => {
    assert.equal(compatPriorityInputs(part({ paths: ['/a'], regexPriority: 9 })).regexPriority, 0);
    assert.equal(compatPriorityInputs(part({ paths: ['~/a'], regexPriority: 9 })).regexPriority, 9);
    assert.equal(compatPriorityInputs(part({ paths: ['/a/', '~/a$'], regexPriority: 9 }, 1)).regexPriority, 0);
    assert.equal(compatPriorityInputs(part({ paths: ['/a/', '~/a$'], regexPriority: 9 }, 2)).regexPriority, 9);
  });
  test('path length is the byte length of a plain part, 0 for regex or no path', () => {
    assert.equal(compatPriorityInputs(part({ paths: ['/abc'] })).pathLength, 4);
    assert.equal(compatPriorityInputs(part({ paths: ['/é'] })).pathLength, 3);
    assert.equal(compatPriorityInputs(part({ paths: ['~/abc'] })).pathLength, 0);
    assert.equal(compatPriorityInputs(part({})).pathLength, 0);
  });
});

describe('value', () => {
  test('plain hosts and regex are real 64-bit flags', () => {
    assert.equal(value({ hosts: ['a'] }) & PLAIN_HOSTS_BIT, PLAIN_HOSTS_BIT);
    assert.equal(value({ paths: ['~/a'] }) & REGEX_BIT, REGEX_BIT);
    assert.equal(value({ hosts: ['*.a'] }) & PLAIN_HOSTS_BIT, 0n);
  });
  test('match weight sits in bits 29-31, headers in 20-27, regex_priority from 19, length in 0-18', () => {
    assert.equal(value({ methods: ['GET'] }), 1n << 29n);
    assert.equal(value({ methods: ['GET'], paths: ['/ab'] }), (2n << 29n) | 3n);
    assert.equal(value({ headers: { a: ['1'], b: ['1'] } }), (1n << 29n) | (2n << 20n));
    assert.equal(value({ paths: ['~/a'], regexPriority: 3 }), REGEX_BIT | (1n << 29n) | (3n << 19n));
  });
  test('the pieces are OR-ed, not added: regex_priority 2 and one header share bit 20', () => {
    assert.equal(value({ paths: ['~/a'], regexPriority: 2, headers: { h: ['1'] } }), REGEX_BIT | (2n << 29n) | (1n << 20n));
  });
  test('regex_priority 1024 reads as one more matched field; 2048 as two', () => {
    assert.equal(value({ paths: ['~/a'], regexPriority: 1024 }), value({ paths: ['~/a'] }));
    assert.equal(value({ paths: ['~/a'], regexPriority: 2048 }), REGEX_BIT | (3n << 29n));
  });
  test('plain path length is masked to 19 bits', () => {
    assert.equal(value({ paths: [`/${'a'.repeat(0x80000)}`] }), (1n << 29n) | 1n);
  });
  test('top band: match weight ≥ 4, regex_priority < 0, or regex_priority mod 8192 ≥ 4096', () => {
    const top = (f: Omit<RouterRoute, 'id' | 'name'>) => compatPriority(part(f)).topBand;
    assert.equal(top({ methods: ['GET'], hosts: ['a'], paths: ['/'] }), false);
    assert.equal(top({ methods: ['GET'], hosts: ['a'], paths: ['/'], headers: { h: ['1'] } }), true);
    assert.equal(top({ paths: ['~/a'], regexPriority: -1 }), true);
    assert.equal(top({ paths: ['~/a'], regexPriority: 4095 }), false);
    assert.equal(top({ paths: ['~/a'], regexPriority: 4096 }), true);
    assert.equal(top({ paths: ['~/a'], regexPriority: 8192 }), false);
    assert.equal(top({ paths: ['/a'], regexPriority: -1 }), false, 'ignored without a regex path');
    assert.equal(value({ paths: ['~/a'], regexPriority: -1 }), TOP_BAND);
  });
  test('the documented layout is kept for comparison', () => {
    assert.equal(compatPriority(part({ methods: ['GET'], paths: ['/ab'] })).documented, (2n << 61n) | 3n);
    assert.equal(compatPriority(part({ paths: ['~/a'], regexPriority: 5, headers: { h: ['1'] } })).documented, (2n << 61n) | (1n << 52n) | REGEX_BIT | (5n << 19n));
  });
});

describe('compatDecidingComponent names the highest differing component', () => {
  const decide = (w: Omit<RouterRoute, 'id' | 'name'>, l: Omit<RouterRoute, 'id' | 'name'>) =>
    compatDecidingComponent(compatPriority(part(w)), compatPriority(part(l)));
  test('each component', () => {
    assert.equal(decide({ paths: ['~/a'], regexPriority: -1 }, { hosts: ['a'] })!.component, 'top-band');
    assert.equal(decide({ hosts: ['a'] }, { hosts: ['*.a'], methods: ['GET'], paths: ['/'] })!.component, 'plain-hosts');
    assert.equal(decide({ paths: ['~/a'] }, { paths: ['/a'], methods: ['GET'] })!.component, 'regex');
    assert.equal(decide({ paths: ['/a'], methods: ['GET'] }, { paths: ['/a'] })!.component, 'match-weight');
    assert.equal(decide({ headers: { a: ['1'], b: ['1'] } }, { headers: { a: ['1'] } })!.component, 'header-count');
    assert.equal(decide({ paths: ['~/a'], regexPriority: 2 }, { paths: ['~/a'], regexPriority: 1 })!.component, 'regex-priority');
    assert.equal(decide({ paths: ['/ab'] }, { paths: ['/a'] })!.component, 'path-length');
  });
  test('equal values: undefined (the route ID decides)', () => {
    assert.equal(decide({ paths: ['/a'] }, { paths: ['/b'] }), undefined);
  });
  test('a bit set by two inputs names both', () => {
    const d = decide({ paths: ['~/a'], methods: ['GET'], hosts: ['*.a'], regexPriority: 1024 }, { paths: ['~/a'], methods: ['GET'] })!;
    assert.equal(d.bit, 29);
    assert.deepEqual([d.component, ...d.sharedWith], ['match-weight', 'regex-priority']);
  });
  test('regex_priority 1024 on one field equals no regex_priority: no component decides', () => {
    assert.equal(decide({ paths: ['~/a'], regexPriority: 1024 }, { paths: ['~/b'] }), undefined);
  });
});

// Values printed by Kong 3.9.3's own kong/router/transform.lua `get_priority`, run unmodified under LuaJIT
// 2.1 (interpreter, jit.off(); unrelated modules stubbed). A row: methods|hosts|header count|snis|paths|
// regex_priority ('-' = absent, lists comma-separated). Run over 5,000 random routes, the model matched every
// value outside the top band and put every top-band route where Kong sets bit 63.
const KONG_GET_PRIORITY: readonly (readonly [string, string])[] = [
  ['GET|-|0|-|/abc|0', '0x0000000040000004'],
  ['-|a.com|0|-|~/x|5', '0x1008000040280000'],
  ['-|*.a.com|1|-|~/x|1', '0x0008000060180000'],
  ['-|*.a.com|1|-|~/x|2', '0x0008000060100000'],
  ['-|-|0|-|~/x|1024', '0x0008000020000000'],
  ['-|-|0|-|~/x|2047', '0x000800003ff80000'],
  ['-|-|0|-|~/x|2048', '0x0008000060000000'],
  ['-|-|0|-|~/x|4095', '0x000800007ff80000'],
  ['-|-|0|-|~/x|8192', '0x0008000020000000'],
  ['-|-|2|-|~/x|1', '0x0008000040280000'],
  ['-|-|255|-|/|0', '0x000000004ff00001'],
  ['-|-|300|-|/|0', '0x000000004ff00001'],
  ['GET,POST|a.com,b.*|0|-|/ab,/cd|0', '0x0000000060000003'],
  ['-|a.com:80|0|a.com|/|0', '0x1000000060000001'],
  ['GET|a.com|0|-|/abc|7', '0x1000000060000004'],
  ['-|-|0|-|-|0', '0x0000000000000000'],
  ['-|-|0|a.com|-|0', '0x0000000020000000'],
  ['-|-|3|-|~/x|3', '0x0008000040380000'],
  [`-|a.com|0|-|/${'a'.repeat(600000)}|0`, '0x10000000400127c1'],
  // top band: the interpreter printed these; bit 63 is what the model promises
  ['-|-|0|-|~/x|12288', '0x8008000020000000'],
  ['GET|*.a.com|0|a.com|~/x|9', '0x8008000000480000'],
  ['GET|a.com|1|-|/x|0', '0x9000000000100002'],
  ['-|-|0|-|~/x|-1', '0x8008000020000000'],
  ['-|-|0|-|~/x|4096', '0x8008000020000000'],
];

test("the model reproduces Kong's get_priority as LuaJIT runs it", () => {
  const list = (s: string) => (s === '-' ? undefined : s.split(','));
  for (const [row, kong] of KONG_GET_PRIORITY) {
    const [methods, hosts, headerCount, snis, paths, rp] = row.split('|') as [string, string, string, string, string, string];
    const headers = Number(headerCount) ? Object.fromEntries(Array.from({ length: Number(headerCount) }, (_, i) => [`h${i + 1}`, ['v']])) : undefined;
    const p = compatPriority(part({ methods: list(methods), hosts: list(hosts), headers, snis: list(snis), paths: list(paths), regexPriority: Number(rp) }));
    const expected = BigInt(kong);
    if (expected >> 63n) assert.equal(p.topBand, true, row.slice(0, 60));
    else assert.equal(p.value, expected, row.slice(0, 60));
  }
});
