// Whether PCRE2 would refuse to compile a pattern, as Kong compiles route paths (`ngx.re.find("", re, "aj")`:
// anchored, no UTF) and cors origins (`ngx.re.match`, no options). No PCRE2 build small and current enough
// exists on npm, so this is a syntax scanner written from PCRE2's documentation (pcre2pattern) and checked
// against PCRE2 itself (pcre2test; test/fixtures/kong-oracle/pcre2.json). It reports an error only where PCRE2
// certainly reports one, with PCRE2's own message; whatever it cannot judge surely (extended mode, verbs,
// conditionals, callouts, Unicode property names, lookbehind lengths, version differences) it accepts.

export interface Pcre2Error {
  /** PCRE2's error message, e.g. "missing closing parenthesis". */
  message: string;
  /** Offset in the pattern at which the error is found (PCRE2's offset may differ). */
  offset: number;
}

const ERR = {
  backslashAtEnd: '\\ at end of pattern',
  cAtEnd: '\\c at end of pattern',
  unrecognizedEscape: 'unrecognized character follows \\',
  outOfOrder: 'numbers out of order in {} quantifier',
  tooBig: 'number too big in {} quantifier',
  missingBracket: 'missing terminating ] for character class',
  invalidInClass: 'escape sequence is invalid in character class',
  rangeOutOfOrder: 'range out of order in character class',
  nothingToRepeat: 'quantifier does not follow a repeatable item',
  unrecognizedAfterParen: 'unrecognized character after (? or (?-',
  posixOutside: 'POSIX named classes are supported only within a class',
  posixCollating: 'POSIX collating elements are not supported',
  missingParen: 'missing closing parenthesis',
  noSuchGroup: 'reference to non-existent subpattern',
  commentUnterminated: 'missing ) after (?# comment',
  unmatchedParen: 'unmatched closing parenthesis',
  unknownPosix: 'unknown POSIX class name',
  codePointTooLarge: 'character code point value in \\x{} or \\o{} is too large',
  unsupportedEscape: 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u',
  dupName: 'two named subpatterns have the same name (PCRE2_DUPNAMES not set)',
  nameStartsWithDigit: 'subpattern name must start with a non-digit',
  nameExpected: 'subpattern name expected',
  nameSyntax: 'syntax error in subpattern name (missing terminator?)',
  octalTooBig: 'octal value is greater than \\377 in 8-bit non-UTF-8 mode',
  invalidRange: 'invalid range in character class',
  malformedG: '\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number',
  missingBraceO: 'missing opening brace after \\o',
  nonHex: 'non-hex character in \\x{} (closing brace missing?)',
  digitsMissing: 'digits missing in \\x{} or \\o{} or \\N{U+}',
  malformedK: '\\k is not followed by a braced, angle-bracketed, or quoted name',
  cNotPrintable: '\\c must be followed by a printable ASCII character',
  nInClass: '\\N is not supported in a class',
  nUtf: '\\N{U+dddd} is supported only in Unicode (UTF) mode',
  malformedP: 'malformed \\P or \\p sequence',
  unrecognizedAfterP: 'unrecognized character after (?P',
  recursionSyntax: '(?R (recursive pattern call) must be followed by a closing parenthesis',
  nameTooLong: 'subpattern name is too long (maximum 32 code units)',
} as const;

class Refused extends Error {
  readonly pcre: string;
  readonly at: number;
  constructor(pcre: string, at: number) {
    super(pcre);
    this.pcre = pcre;
    this.at = at;
  }
}

/** Thrown when the scanner meets syntax it does not judge: the pattern is then accepted. */
class Unsure extends Error {}

const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
/** Escapes that are one character type (usable in a class, never as a range end). */
const CLASS_TYPES = new Set('dDsShHvVwWpP');
/** Escapes that are assertions or resets: nothing to repeat after them. */
const NOT_REPEATABLE_ESCAPES = new Set('bBAzZGK');
/** Letters that are an escape outside a class (besides the ones handled on their own). */
const KNOWN_ESCAPE_LETTERS = new Set('aAbBCdDeEfGhHKnNrRsStvVwWXzZ');
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

interface Scan {
  p: string;
  i: number;
  groups: number;
  names: Set<string>;
  numberRefs: { n: number; at: number }[];
  nameRefs: { name: string; at: number }[];
  /** Inside (?| ... ): group numbers are reused, names may repeat. */
  branchReset: number;
  /** (?J) somewhere: duplicate names are allowed. */
  dupNames: boolean;
  /** Back references that may be octal escapes, decided by the whole pattern's group count. */
  ambiguous: { digits: string; at: number }[];
}

/** Whether a quantifier may follow; 'unsure' when the scanner cannot tell (it then accepts one). */
type Repeat = boolean | 'unsure';

/** PCRE2's verdict on `pattern` when it is sure to refuse it; undefined when PCRE2 compiles it or the scanner is unsure. */
export function pcre2Error(pattern: string): Pcre2Error | undefined {
  try {
    scan(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof Refused) return { message: e.pcre, offset: e.at };
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

function scan(p: string): void {
  // Extended mode changes what whitespace and "#" mean, and (*...) options at the start may change anything.
  if (/\(\?\^?(?:[imnsJUr]|a[DSWPT]?)*x(?:[imnsxJUr]|a[DSWPT]?)*(-[a-zA-Z]*)?[):]/.test(p)) throw new Unsure();
  const s: Scan = { p, i: 0, groups: 0, names: new Set(), numberRefs: [], nameRefs: [], branchReset: 0, ambiguous: [], dupNames: /\(\?\^?(?:[imnsxUr]|a[DSWPT]?)*J/.test(p) };
  const stack: { at: number; reset: boolean }[] = [];
  let repeatable: Repeat = false;
  while (s.i < p.length) {
    const at = s.i;
    const c = p[s.i++]!;
    switch (c) {
      case '\\':
        repeatable = escapeOutside(s, at);
        break;
      case '[':
        charClass(s, at);
        repeatable = true;
        break;
      case '(': {
        const kind = groupOpening(s);
        if (kind === 'comment') break; // a comment is nothing: what came before it may still be repeated
        if (kind === 'flags') {
          repeatable = false;
          break;
        }
        if (kind === 'atom' || kind === 'unsure') {
          repeatable = kind === 'atom' ? true : 'unsure';
          break;
        }
        stack.push({ at, reset: kind === 'reset' });
        if (kind === 'reset') s.branchReset++;
        repeatable = false;
        break;
      }
      case ')': {
        const open = stack.pop();
        if (!open) throw new Refused(ERR.unmatchedParen, at);
        if (open.reset) s.branchReset--;
        repeatable = true;
        break;
      }
      case '|':
      case '^':
      case '$':
        repeatable = false;
        break;
      case '*':
      case '+':
      case '?':
        if (!repeatable) throw new Refused(ERR.nothingToRepeat, at);
        quantifierSuffix(s);
        repeatable = false;
        break;
      case '{': {
        const q = braceQuantifier(s, at);
        if (q === undefined) {
          repeatable = true; // a literal "{"
          break;
        }
        if (!repeatable) throw new Refused(ERR.nothingToRepeat, q.end - 1);
        quantifierSuffix(s);
        repeatable = false;
        break;
      }
      default:
        repeatable = true;
    }
  }
  if (stack.length) throw new Refused(ERR.missingParen, p.length);
  if (s.branchReset === 0) {
    for (const r of s.numberRefs) if (r.n > s.groups) throw new Refused(ERR.noSuchGroup, r.at);
    for (const r of s.nameRefs) if (!s.names.has(r.name)) throw new Refused(ERR.noSuchGroup, r.at);
    // An escape \NN (NN >= 10) is a back reference when the pattern has that many groups, else up to three octal digits.
    for (const a of s.ambiguous) {
      if (Number(a.digits) <= s.groups) continue;
      const oct = /^[0-7]{1,3}/.exec(a.digits)?.[0];
      if (oct && parseInt(oct, 8) > 0o377) throw new Refused(ERR.octalTooBig, a.at + 1 + oct.length);
    }
  }
}

/** After a quantifier: one "+" (possessive) or "?" (lazy). */
function quantifierSuffix(s: Scan): void {
  if (s.p[s.i] === '+' || s.p[s.i] === '?') s.i++;
}

/**
 * "{n}", "{n,}" or "{n,m}" at s.i (just after "{"): the quantifier, or undefined when it is a literal "{". PCRE2
 * 10.43 (Kong 3.9 ships 10.44) also reads "{,m}" and spaces inside as a quantifier: those are left literal here,
 * so they are never refused.
 */
function braceQuantifier(s: Scan, at: number): { end: number } | undefined {
  const m = /^(\d+)(,(\d*))?\}/.exec(s.p.slice(s.i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[3] ? Number(m[3]) : undefined;
  if (min > 65535 || (max !== undefined && max > 65535)) throw new Refused(ERR.tooBig, at);
  if (max !== undefined && max < min) throw new Refused(ERR.outOfOrder, at);
  s.i += m[0].length;
  return { end: s.i };
}

type GroupKind = 'group' | 'reset' | 'comment' | 'flags' | 'atom' | 'unsure';

/** What follows "(" (s.i is just after it). */
function groupOpening(s: Scan): GroupKind {
  const p = s.p;
  if (p[s.i] === '*') {
    // (*VERB), (*VERB:NAME), (*LIMIT_MATCH=n), (*pla:...) and other alphabetic assertions: not judged.
    const m = /^\*[A-Za-z_]+(=\d+)?(:)?/.exec(p.slice(s.i));
    if (!m) throw new Unsure();
    if (m[2]) {
      const close = p.indexOf(')', s.i);
      if (/^\*(MARK|PRUNE|SKIP|THEN|COMMIT|ACCEPT|FAIL|F)?:/.test(p.slice(s.i)) || m[0] === '*:') {
        if (close < 0) throw new Unsure();
        s.i = close + 1;
        return 'unsure';
      }
      s.i += m[0].length;
      return 'group';
    }
    if (p[s.i + m[0].length] !== ')') throw new Unsure();
    s.i += m[0].length + 1;
    return 'unsure';
  }
  if (p[s.i] !== '?') {
    s.groups++;
    return 'group';
  }
  s.i++;
  const c = p[s.i];
  if (c === undefined) throw new Refused(ERR.missingParen, p.length);
  if (c === '#') {
    const end = p.indexOf(')', s.i);
    if (end < 0) throw new Refused(ERR.commentUnterminated, p.length);
    s.i = end + 1;
    return 'comment';
  }
  if (c === ':' || c === '>' || c === '=' || c === '!' || c === '*') {
    s.i++;
    return 'group';
  }
  if (c === '|') {
    s.i++;
    return 'reset';
  }
  if (c === '<' && (p[s.i + 1] === '=' || p[s.i + 1] === '!')) {
    s.i += 2;
    return 'group'; // lookbehind: its length limits are not judged
  }
  if (c === '<' || c === "'") return namedGroup(s, c === '<' ? '>' : "'");
  if (c === 'P') {
    const d = p[s.i + 1];
    if (d === '<') {
      s.i++;
      return namedGroup(s, '>');
    }
    if (d === '=' || d === '>') {
      s.i += 2;
      nameReference(s, ')');
      return 'atom';
    }
    throw new Refused(ERR.unrecognizedAfterP, s.i + 1);
  }
  if (c === '&') {
    s.i++;
    nameReference(s, ')');
    return 'atom';
  }
  if (c === 'R' || /[0-9+-]/.test(c)) {
    const m = /^(R|[+-]?\d+)\)/.exec(p.slice(s.i));
    if (m) {
      if (/^\d+$/.test(m[1]!)) s.numberRefs.push({ n: Number(m[1]), at: s.i });
      // relative references (?+1) (?-1) are not judged
      s.i += m[0].length;
      return 'atom';
    }
    if (c === 'R') throw new Refused(ERR.recursionSyntax, s.i + 1);
  }
  if (c === '(') {
    // A conditional group: (?(1)...), (?(<name>)...), (?(R)...), (?(DEFINE)...), or an assertion as the condition.
    if (p[s.i + 1] === '?' || p[s.i + 1] === '*') return 'group'; // the assertion is read next as a group of its own
    const close = /^\([^()]*\)/.exec(p.slice(s.i));
    if (!close) throw new Unsure();
    s.i += close[0].length;
    return 'group';
  }
  if (c === 'C') {
    // A callout, (?C), (?Cn) or (?C"text"): not judged, nor what follows it.
    const close = p.indexOf(')', s.i);
    if (close < 0) throw new Unsure();
    s.i = close + 1;
    return 'unsure';
  }
  // Option letters: (?imnsxJU-imnsxJU) or (?^...) then ")" or ":". PCRE2 10.43 added a, r and the a-suffixes D S W P T.
  if (/^\^?[imnsJUraDSWPT]*(-[imnsJUraDSWPT]*)?[):]/.test(p.slice(s.i)) && /^[^):]*[raDSWPT]/.test(p.slice(s.i))) throw new Unsure();
  const m = /^\^?[imnsJU]*(-[imnsJU]*)?([):])/.exec(p.slice(s.i));
  if (!m) throw new Refused(ERR.unrecognizedAfterParen, s.i);
  s.i += m[0].length;
  return m[2] === ')' ? 'flags' : 'group';
}

/** (?<name> (?'name' (?P<name>: s.i is on the opening delimiter. */
function namedGroup(s: Scan, close: string): GroupKind {
  s.i++;
  const rest = s.p.slice(s.i);
  if (/^\d/.test(rest)) throw new Refused(ERR.nameStartsWithDigit, s.i);
  const m = NAME.exec(rest);
  if (!m) throw new Refused(ERR.nameExpected, s.i);
  if (m[0].length > 32) throw new Refused(ERR.nameTooLong, s.i + 32);
  s.i += m[0].length;
  if (s.p[s.i] !== close) throw new Refused(ERR.nameSyntax, s.i);
  s.i++;
  if (s.names.has(m[0]) && s.branchReset === 0 && !s.dupNames) throw new Refused(ERR.dupName, s.i);
  s.names.add(m[0]);
  s.groups++;
  return 'group';
}

/** A name then `close` (for (?P=name), (?P>name), (?&name), \k<name>, ...). */
function nameReference(s: Scan, close: string): void {
  const m = NAME.exec(s.p.slice(s.i));
  if (!m || s.p[s.i + m[0].length] !== close) throw new Unsure();
  s.nameRefs.push({ name: m[0], at: s.i });
  s.i += m[0].length + 1;
}

/** An escape outside a class, s.i just after the backslash; returns whether a quantifier may follow. */
function escapeOutside(s: Scan, at: number): Repeat {
  const p = s.p;
  const c = p[s.i];
  if (c === undefined) throw new Refused(ERR.backslashAtEnd, at);
  s.i++;
  if (c === 'Q') {
    const end = p.indexOf('\\E', s.i);
    if (end < 0) {
      s.i = p.length;
      return true;
    }
    const empty = end === s.i;
    s.i = end + 2;
    return empty ? 'unsure' : true; // "\Q\E" is nothing: what came before it decides
  }
  if (c === 'E') return 'unsure'; // a lone \E is ignored: what came before it decides
  if (/[0-9]/.test(c)) return backReferenceOrOctal(s, at);
  if (!/[A-Za-z]/.test(c)) return true; // an escaped non-alphanumeric is that character
  switch (c) {
    case 'c':
      controlChar(s, at);
      return true;
    case 'x':
      hexEscape(s);
      return true;
    case 'o':
      octalBraces(s, at);
      return true;
    case 'g':
      gReference(s, at);
      return true;
    case 'k':
      kReference(s, at);
      return true;
    case 'p':
    case 'P':
      property(s, at);
      return true;
    case 'N':
      // \N{3} and \N{ 2, 3 } are quantified \N; \N{U+41} and \N{name} are refused without UTF.
      if (p[s.i] === '{' && !/^\{[\d, \t]*\}/.test(p.slice(s.i))) {
        throw new Refused(p.startsWith('{U+', s.i) ? ERR.nUtf : ERR.unsupportedEscape, at);
      }
      return true;
    case 'F':
    case 'L':
    case 'l':
    case 'U':
    case 'u':
      throw new Refused(ERR.unsupportedEscape, at);
  }
  if (!KNOWN_ESCAPE_LETTERS.has(c)) throw new Refused(ERR.unrecognizedEscape, at + 1);
  return !NOT_REPEATABLE_ESCAPES.has(c);
}

function backReferenceOrOctal(s: Scan, at: number): boolean {
  const digits = /^\d+/.exec(s.p.slice(at + 1))![0];
  if (digits[0] === '0') {
    // \0 plus up to two more octal digits
    const oct = /^0[0-7]{0,2}/.exec(digits)![0];
    s.i = at + 1 + oct.length;
    return true;
  }
  const n = Number(digits);
  if (n < 10 || digits[0] === '8' || digits[0] === '9' || n <= s.groups) {
    s.i = at + 1 + digits.length;
    s.numberRefs.push({ n, at });
    return true;
  }
  // PCRE2 counts the groups of the whole pattern, later ones too: decided at the end. The digits are atoms either way.
  s.ambiguous.push({ digits, at });
  s.i = at + 1 + digits.length;
  return true;
}

function controlChar(s: Scan, at: number): void {
  const c = s.p[s.i];
  if (c === undefined) throw new Refused(ERR.cAtEnd, at + 1);
  const code = c.charCodeAt(0);
  if (code < 32 || code > 126) throw new Refused(ERR.cNotPrintable, at + 1);
  s.i++;
}

/** \xhh or \x{hhh}: s.i just after the "x". */
function hexEscape(s: Scan): void {
  if (s.p[s.i] !== '{') {
    s.i += /^[0-9A-Fa-f]{0,2}/.exec(s.p.slice(s.i))![0].length;
    return;
  }
  const m = /^\{([0-9A-Fa-f]*)(\}?)/.exec(s.p.slice(s.i))!;
  if (/^\{[^}]* /.test(s.p.slice(s.i))) throw new Unsure(); // spaces inside braces: PCRE2 10.43 changed their reading
  if (!m[1]) throw new Refused(s.p[s.i + 1] === '}' || s.i + 1 >= s.p.length ? ERR.digitsMissing : ERR.nonHex, s.i + 1);
  if (!m[2]) throw new Refused(ERR.nonHex, s.i + 1 + m[1].length);
  s.i += m[0].length;
  if (parseInt(m[1], 16) > 0xff) throw new Refused(ERR.codePointTooLarge, s.i);
}

function octalBraces(s: Scan, at: number): void {
  if (s.p[s.i] !== '{') throw new Refused(ERR.missingBraceO, at + 1);
  const m = /^\{([0-7]*)\}/.exec(s.p.slice(s.i));
  if (!m) throw new Unsure();
  if (!m[1]) throw new Refused(ERR.digitsMissing, s.i + 1);
  s.i += m[0].length;
  if (parseInt(m[1], 8) > 0xff) throw new Refused(ERR.codePointTooLarge, s.i);
}

/** \g: \gn, \g-n, \g+n, \g{n}, \g{-n}, \g{name}, \g<n|name>, \g'n|name'. */
function gReference(s: Scan, at: number): void {
  const rest = s.p.slice(s.i);
  const m = /^(?:([+-]?\d+)|\{([+-]?\d+|[A-Za-z_]\w*)\}|<([+-]?\d+|[A-Za-z_]\w*)>|'([+-]?\d+|[A-Za-z_]\w*)')/.exec(rest);
  if (!m) {
    if (/^[{<']/.test(rest)) throw new Unsure();
    throw new Refused(ERR.malformedG, at + 2);
  }
  s.i += m[0].length;
  const ref = m[1] ?? m[2] ?? m[3] ?? m[4]!;
  if (/^\d+$/.test(ref)) {
    if (Number(ref) === 0) throw new Refused(ERR.noSuchGroup, at);
    s.numberRefs.push({ n: Number(ref), at });
  } else if (/^[A-Za-z_]/.test(ref)) s.nameRefs.push({ name: ref, at });
  else throw new Unsure(); // relative references
}

/** \k<name>, \k'name', \k{name}. */
function kReference(s: Scan, at: number): void {
  const open = s.p[s.i];
  const close = open === '<' ? '>' : open === "'" ? "'" : open === '{' ? '}' : undefined;
  if (!close) throw new Refused(ERR.malformedK, at + 2);
  s.i++;
  nameReference(s, close);
}

/** \p and \P: a one-letter property or a braced name. Property names themselves are not judged. */
function property(s: Scan, at: number): void {
  const c = s.p[s.i];
  if (c === undefined) throw new Refused(ERR.malformedP, at + 2);
  if (c !== '{') {
    if (!/[A-Za-z]/.test(c)) throw new Refused(ERR.malformedP, at + 2);
    s.i++;
    return;
  }
  const end = s.p.indexOf('}', s.i);
  if (end < 0) throw new Refused(ERR.malformedP, s.p.length);
  s.i = end + 1;
}

/** One class member's value for range checks: a code unit, or "type" for \d and friends, or undefined when unsure. */
type ClassAtom = number | 'type' | undefined;

/** A character class; s.i just after "[". */
function charClass(s: Scan, at: number): void {
  const p = s.p;
  // "[:alpha:]" (or [.x.], [=x=]) outside a class.
  const posix = /^([:.=])[^\]\\]*?\1\]/.exec(p.slice(s.i));
  if (posix) throw new Refused(posix[1] === ':' ? ERR.posixOutside : ERR.posixCollating, at);
  if (p[s.i] === '^') s.i++;
  let first = true;
  let rangeFrom: ClassAtom | null = null; // set after "x-": the range's start
  while (true) {
    if (s.i >= p.length) throw new Refused(ERR.missingBracket, p.length);
    const atAt = s.i;
    const c = p[s.i++]!;
    if (c === ']' && !first) {
      return;
    }
    first = false;
    let atom: ClassAtom | null;
    if (c === '[' && /^[:.=]/.test(p.slice(s.i))) {
      const m = /^([:.=])(\^?)([A-Za-z]*)\1\]/.exec(p.slice(s.i));
      if (m) {
        if (m[1] !== ':') throw new Refused(ERR.posixCollating, atAt);
        if (!POSIX_CLASSES.has(m[3]!)) throw new Refused(ERR.unknownPosix, atAt + 2);
        s.i += m[0].length;
        atom = 'type';
      } else {
        atom = c.charCodeAt(0);
      }
    } else if (c === '\\') {
      atom = escapeInClass(s, atAt);
      if (atom === null) continue; // \E, \Q...\E: nothing (or literals handled inside)
    } else {
      atom = c.charCodeAt(0);
    }
    if (rangeFrom !== null) {
      if (atom === 'type') throw new Refused(ERR.invalidRange, s.i - 1);
      if (typeof rangeFrom === 'number' && typeof atom === 'number' && atom < rangeFrom) throw new Refused(ERR.rangeOutOfOrder, s.i - 1);
      rangeFrom = null;
      continue;
    }
    // "x-" followed by something other than "]" makes a range.
    if (p[s.i] === '-' && p[s.i + 1] !== undefined && p[s.i + 1] !== ']') {
      if (atom === 'type') {
        // "[\d-z]": refused, but "[\d-]" and "[%--]" are not ranges; PCRE2 refuses a class type as a range start.
        throw new Refused(ERR.invalidRange, s.i + 1);
      }
      s.i++;
      rangeFrom = atom;
    }
  }
}

/** An escape inside a class, s.i just after the backslash: its value, "type", undefined (unsure) or null (nothing). */
function escapeInClass(s: Scan, at: number): ClassAtom | null {
  const p = s.p;
  const c = p[s.i];
  if (c === undefined) throw new Refused(ERR.backslashAtEnd, at);
  s.i++;
  if (c === 'E') return null;
  if (c === 'Q') throw new Unsure(); // quoted literals inside a class: ranges across them are not judged
  if (CLASS_TYPES.has(c)) {
    if (c === 'p' || c === 'P') property(s, at);
    return 'type';
  }
  if (c === 'b') return 8;
  if (c === 'N') throw new Refused(ERR.nInClass, at + 1);
  if (c === 'g' || c === 'k') throw new Unsure();
  if ('BRXAzZGKC'.includes(c)) throw new Refused(ERR.invalidInClass, at + 1);
  if (c === 'F' || c === 'L' || c === 'l' || c === 'U' || c === 'u') throw new Refused(ERR.unsupportedEscape, at);
  if (c === 'c') {
    controlChar(s, at);
    return p.charCodeAt(s.i - 1) & 0x1f;
  }
  if (c === 'x') {
    const start = s.i;
    hexEscape(s);
    const hex = p.slice(start, s.i).replace(/[{}]/g, '');
    return hex ? parseInt(hex, 16) : 0;
  }
  if (c === 'o') {
    octalBraces(s, at);
    return undefined;
  }
  if (/[0-7]/.test(c)) {
    const oct = /^[0-7]{1,3}/.exec(p.slice(s.i - 1))![0];
    s.i += oct.length - 1;
    const v = parseInt(oct, 8);
    if (v > 0o377) throw new Refused(ERR.octalTooBig, s.i);
    return v;
  }
  if (c === '8' || c === '9') return c.charCodeAt(0);
  const simple: Record<string, number> = { a: 7, e: 27, f: 12, n: 10, r: 13, t: 9 };
  if (c in simple) return simple[c];
  if (/[A-Za-z]/.test(c)) throw new Refused(ERR.unrecognizedEscape, at + 1);
  return c.charCodeAt(0);
}
