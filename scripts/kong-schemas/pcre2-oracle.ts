// PCRE2's own verdict on a corpus of patterns: the oracle for src/kong/pcre2.ts (test/fixtures/kong-oracle/pcre2.json).
// Runs Debian's pcre2test (package pcre2-utils) with no options, as Kong compiles regexes (no UTF); by hand only.
//   node scripts/kong-schemas/pcre2-oracle.ts scripts/kong-schemas/corpus/pcre2.json 2000 7 > test/fixtures/kong-oracle/pcre2.json
// The corpus is a list of {pattern, note}; the two numbers add that many random patterns made from regex tokens
// (seeded, so the fixture is reproducible), to look for patterns PCRE2 compiles and the scanner refuses.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [corpusPath, randomCount = '0', seedText = '1'] = process.argv.slice(2);
if (!corpusPath) throw new Error('usage: pcre2-oracle.ts <corpus.json> [random count] [seed]');
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8')) as { pattern: string; note: string }[];

// mulberry32
let seed = Number(seedText) >>> 0;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const TOKENS = [
  'a', 'b', 'z', '/', '.', '-', '_', '0', '9', '%', ':', '@', '~', ' ', 'é', '(', ')', '(', ')', '[', ']', '[^', '{', '}', '{2}', '{1,3}',
  '{3,1}', '{,2}', '{2,}', '*', '+', '?', '|', '^', '$', '\\', '\\d', '\\w', '\\s', '\\D', '\\b', '\\B', '\\A', '\\z', '\\Z', '\\G', '\\K',
  '\\Q', '\\E', '\\j', '\\i', '\\m', '\\q', '\\y', '\\I', '\\O', '\\u0041', '\\U', '\\L', '\\l', '\\N', '\\N{x}', '\\N{2}', '\\x41',
  '\\x{41}', '\\x{100}', '\\x{zz}', '\\o{101}', '\\o', '\\c', '\\cA', '\\0', '\\1', '\\2', '\\8', '\\12', '\\777', '\\g1', '\\g{1}',
  '\\g{-1}', '\\g<1>', '\\g', '\\k<n>', '\\k{n}', '\\k', '\\p{L}', '\\pL', '\\p{Foo}', '\\p', '\\P{Lu}', '\\h', '\\H', '\\v', '\\R', '\\X',
  '\\C', '\\e', '\\f', '\\t', '\\n', '\\r', '\\a', '\\/', '\\-', '\\.', '\\[', '\\]', '\\(', '\\{', '(?:', '(?=', '(?!', '(?<=', '(?<!',
  '(?>', '(?|', '(?i)', '(?i:', '(?-i)', '(?^)', '(?z)', '(?#c)', '(?<n>', "(?'n'", '(?P<n>', '(?P=n)', '(?P>n)', '(?&n)', '(?R)', '(?1)',
  '(?+1)', '(?', '(?<1>', '(?<>', '[:alpha:]', '[[:alpha:]]', '[[:foo:]]', '[[.a.]]', '[a-z]', '[z-a]', '[\\w-.]', '[\\d-z]', '[a-\\d]',
  '[]a]', '[^]a]', '[\\b]', '[\\B]', '[\\N]', '[\\j]', '[%--]', '[a-]', '[-a]', '[\\x41-\\x5a]', '[\\Q-\\E]', '(*ACCEPT)', '(*FOO)',
  '(?(1)', '(?(?=a)', '(?C1)', '(*pla:',
];
const cases = [...corpus];
const seen = new Set(cases.map((c) => c.pattern));
for (let made = 0; made < Number(randomCount); ) {
  let p = random() < 0.5 ? '/' : '';
  const length = 1 + Math.floor(random() * 6);
  for (let k = 0; k < length; k++) p += TOKENS[Math.floor(random() * TOKENS.length)];
  if (seen.has(p)) continue;
  seen.add(p);
  cases.push({ pattern: p, note: `random (seed ${seedText})` });
  made++;
}

// pcre2test reads "<d>pattern<d>" then subject lines up to a blank line; the delimiter must not occur in the pattern.
const DELIMITERS = ['/', '!', '"', '#', '%', '&', ',', ':', ';', '=', '@', '~', '`', "'", '-', '<', '>', '_'];
const delimiter = (p: string): string | undefined => DELIMITERS.find((d) => !p.includes(d));
const usable = cases.filter((c) => delimiter(c.pattern) && !c.pattern.endsWith('\\') && !/[\n\r]|^\s|\s$/.test(c.pattern));
const input = usable.map((c) => `${delimiter(c.pattern)}${c.pattern}${delimiter(c.pattern)}\n\n`).join('');
const output = execFileSync('pcre2test', ['-q'], { input, maxBuffer: 1 << 28 }).toString().split('\n');
const version = execFileSync('pcre2test', ['-C']).toString().split('\n')[0]!.trim();
const results = usable.map((c) => ({ ...c, ok: true, error: undefined as string | undefined }));
let index = -1;
for (const line of output) {
  const next = usable[index + 1];
  if (next && line === `${delimiter(next.pattern)}${next.pattern}${delimiter(next.pattern)}`) {
    index++;
    continue;
  }
  const m = /^Failed: error \d+ at offset \d+: (.*)$/.exec(line);
  if (m && index >= 0) {
    results[index]!.ok = false;
    results[index]!.error = m[1];
  }
}
if (index !== usable.length - 1) throw new Error(`pcre2test's echo lost track at ${index} of ${usable.length}`);

process.stdout.write(
  `${JSON.stringify(
    {
      source: { pcre2: version, tool: 'pcre2test (Debian pcre2-utils), no options', command: `node scripts/kong-schemas/pcre2-oracle.ts <corpus> ${randomCount} ${seedText}` },
      cases: results,
    },
    null,
    1,
  )}\n`,
);
