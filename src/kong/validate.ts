// Kong's plugin validation (kong/db/schema/init.lua @3.9.3) interpreted over the generated schema dump:
// shorthands, then defaults (process_auto_fields), then field validators in Kong's order, then entity checks
// with Kong's "non-empty" semantics. Errors come back in Kong's flattened shape (`config.policy`,
// `config.origins.1`, `@entity`) with Kong's wording.
import { ENTITY_CHECKS, FIELD_CHECKS, NOT_CHECKED, SHORTHANDS, type CheckContext } from './checks.ts';
import { pcreRefusal } from './regex.ts';
import { luaMatches } from './lua-pattern.ts';
import { remembered } from '../model/bounded-cache.ts';

export type KongField = { type: string; [k: string]: unknown };
export type FieldList = Record<string, KongField>[];
export interface KongSchema {
  fields: FieldList;
  entity_checks?: Record<string, unknown>[];
  shorthand_fields?: FieldList;
  /** The entity takes a `ttl` (Kong's DAO option). */
  ttl?: boolean;
}

type ErrorValue = string | Errors | ErrorValue[] | undefined;
interface Errors {
  [k: string]: ErrorValue;
}
const NULL = null;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMarker = (v: unknown): v is { $fn: string } => isObj(v) && typeof v.$fn === 'string';
/** A record field carries its own `fields`, `entity_checks` and `shorthand_fields`: it is a schema. */
const asRecord = (field: KongField): KongSchema => field as unknown as KongSchema;
// Only objects need a copy; defaults are mostly numbers, strings and booleans.
const clone = <T>(v: T): T => (v === null || typeof v !== 'object' ? v : (JSON.parse(JSON.stringify(v)) as T));
const isEmptyTable = (v: unknown): boolean => (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);

/** Kong's is_nonempty: nil, null, "", {} and [] are empty. */
const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !isEmptyTable(v);
const quoted = (names: readonly unknown[]): string => names.map((n) => `'${String(n)}'`).join(', ');
/** Lua's tostring for numbers: integers without a fraction. */
const luaStr = (v: unknown): string => (typeof v === 'number' && Number.isInteger(v) ? String(v) : String(v));
const isReference = (v: unknown): boolean => typeof v === 'string' && v.startsWith('{vault://');

// The generated schemas never change: index each field list once.
const indexed = new WeakMap<FieldList, Map<string, KongField>>();
function index(list: FieldList): Map<string, KongField> {
  let m = indexed.get(list);
  if (!m) indexed.set(list, (m = new Map(list.map((f) => Object.entries(f)[0] as [string, KongField]))));
  return m;
}
function entries(list: FieldList | undefined): Iterable<[string, KongField]> {
  return list ? index(list) : [];
}
function fieldOf(list: FieldList | undefined, name: string): KongField | undefined {
  return list ? index(list).get(name) : undefined;
}

/** A JSON array, or `{}`: Lua cannot tell an empty object from an empty array. */
function asSequence(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (isObj(v) && Object.keys(v).length === 0) return [];
  return undefined;
}

// ------------------------------------------------------------------ process_auto_fields

function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

class ShorthandErrors extends Error {
  readonly errors: Errors;
  constructor(errors: Errors) {
    super('shorthand errors');
    this.errors = errors;
  }
}

/** Shorthands, then defaults; throws ShorthandErrors as Kong's process_auto_fields returns them. */
function autoFields(schema: KongSchema, data: Record<string, unknown>, owned = false): { data: Record<string, unknown> } {
  // Kong works on a copy of the input; nested records of that copy are already ours.
  const out = owned ? data : clone(data);
  const errors = table();
  for (const [sname, sdef] of entries(schema.shorthand_fields)) {
    const value = out[sname];
    if (value === undefined) continue;
    const err = validateField(sdef, value);
    if (err !== undefined) {
      errors[sname] = err;
      continue;
    }
    const deprecation = sdef.deprecation as { replaced_with?: { path: string[] }[] } | undefined;
    const replaced = deprecation?.replaced_with;
    if (value !== NULL && replaced) {
      const mismatch = replaced.find((r) => {
        const now = getPath(out, r.path);
        return now !== undefined && now !== NULL && JSON.stringify(now) !== JSON.stringify(value);
      });
      if (mismatch) {
        errors[sname] =
          `both deprecated and new field are used but their values mismatch: ${sname} = ${luaStr(value)} vs ${mismatch.path.join('.')} = ${luaStr(getPath(out, mismatch.path))}`;
        continue;
      }
    }
    delete out[sname];
    const fn = isMarker(sdef.func) ? SHORTHANDS[sdef.func.$fn] : undefined;
    let set: Record<string, unknown> | undefined;
    if (fn) set = fn(value);
    else if (replaced?.[0]) {
      set = {};
      let cursor = set;
      const p = replaced[0].path;
      p.forEach((seg, i) => {
        if (i === p.length - 1) cursor[seg] = value;
        else cursor = (cursor[seg] = {}) as Record<string, unknown>;
      });
    }
    for (const [k, v] of Object.entries(set ?? {})) {
      if (isObj(v)) {
        const source = isObj(out[k]) ? (out[k] as Record<string, unknown>) : {};
        // A deprecated alias never overrides the field it stands for.
        out[k] = deprecation ? mergeMissing(source, v) : { ...source, ...v };
      } else if (!deprecation || out[k] === undefined || out[k] === NULL) out[k] = v;
    }
  }
  // Kong aborts the whole entity on a shorthand error, reporting it unprefixed (`redis_host`, not `config.redis_host`).
  if (Object.keys(errors).length) throw new ShorthandErrors(errors);
  for (const [name, field] of entries(schema.fields)) {
    let v = out[name];
    if (v === undefined) v = missing(field);
    else v = adjust(field, v);
    if (v === undefined) delete out[name];
    else out[name] = v;
  }
  return { data: out };
}

function mergeMissing(source: Record<string, unknown>, add: Record<string, unknown>): Record<string, unknown> {
  const out = { ...source };
  for (const [k, v] of Object.entries(add)) {
    if (out[k] === undefined || out[k] === NULL) out[k] = v;
    else if (isObj(out[k]) && isObj(v)) out[k] = mergeMissing(out[k] as Record<string, unknown>, v);
  }
  return out;
}

function missing(field: KongField): unknown {
  // `auto` fields are generated on insert (oauth2's provision_key, ids): any well-formed value will do.
  if (field.auto === true) {
    if (field.uuid) return '00000000-0000-4000-8000-000000000000';
    if (field.type === 'string') return 'generated-by-kong';
    if (field.timestamp) return 1;
  }
  if (field.default !== undefined) return clone(field.default);
  if (field.required !== true) return NULL;
  if (field.type === 'record') return autoFields(asRecord(field), {}, true).data;
  return undefined;
}

function adjust(field: KongField, v: unknown): unknown {
  if (v === NULL) return v;
  if (field.type === 'record' && isObj(v)) return autoFields(asRecord(field), v, true).data;
  if ((field.type === 'array' || field.type === 'set') && Array.isArray(v)) {
    const el = field.elements as KongField | undefined;
    return el?.type === 'record' ? v.map((x) => (isObj(x) ? autoFields(asRecord(el), x, true).data : x)) : v;
  }
  if (field.type === 'map' && isObj(v)) {
    const vals = field.values as KongField | undefined;
    if (vals?.type === 'record') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isObj(x) ? autoFields(asRecord(vals), x, true).data : x]));
  }
  return v;
}

// ------------------------------------------------------------------ validate_field

let ctx: CheckContext = { database: 'off' };

const TYPE_ERRORS: Record<string, string> = {
  string: 'expected a string', number: 'expected a number', integer: 'expected an integer', boolean: 'expected a boolean',
  array: 'expected an array', set: 'expected a set', map: 'expected a map', record: 'expected a record', foreign: 'expected a record',
};

/** Kong's validate_field: undefined when valid, else a message (or a nested error table). */
function validateField(field: KongField, value: unknown): ErrorValue {
  if (value === NULL || value === undefined) {
    if (field.ne === NULL) return (field.err as string) ?? 'value must not be null';
    if (field.eq !== undefined && field.eq !== NULL) return `value must be ${luaStr(field.eq)}`;
    if (field.required) return 'required field missing';
    return undefined;
  }
  if (field.eq === NULL) return (field.err as string) ?? 'value must be null';
  switch (field.type) {
    case 'array':
    case 'set': {
      const seq = asSequence(value);
      if (!seq) return TYPE_ERRORS[field.type];
      const el = { ...(field.elements as KongField), required: true };
      const errs = seq.map((x) => validateField(el, x));
      if (errs.some((e) => e !== undefined)) return errs;
      break;
    }
    case 'map': {
      if (typeof value !== 'object') return TYPE_ERRORS.map;
      const keys = { ...(field.keys as KongField), required: true };
      const vals = { ...(field.values as KongField), required: true };
      // A JSON array is a Lua table too: its keys are the numbers 1..n.
      const pairs: [unknown, unknown][] = Array.isArray(value) ? value.map((v, i) => [i + 1, v]) : Object.entries(value as object);
      for (const [k, v] of pairs) {
        const e = validateField(keys, k) ?? validateField(vals, v);
        if (e !== undefined) return e;
      }
      break;
    }
    case 'record': {
      if (typeof value !== 'object') return TYPE_ERRORS.record;
      const errs = recordErrors(field, value);
      if (errs) return errs;
      break;
    }
    case 'foreign':
      if (!isObj(value)) return TYPE_ERRORS.foreign;
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return TYPE_ERRORS.integer;
      break;
    case 'string':
      if (typeof value !== 'string') return TYPE_ERRORS.string;
      if (field.referenceable && isReference(value)) return undefined;
      break;
    case 'number':
    case 'boolean':
      if (typeof value !== field.type) return TYPE_ERRORS[field.type];
      break;
    default:
      break;
  }
  const err = runValidators(field, value);
  return err === undefined ? undefined : ((field.err as string | undefined) ?? err);
}

// A record's errors depend only on its value and the database mode: the upstreams' healthchecks, a large default every
// upstream carries, are judged once. Keyed by the record's field list, which copies of the field definition share.
const RECORDS_KEPT = 100;
const recordVerdicts = new WeakMap<FieldList, Map<string, ErrorValue | null>>();

function recordErrors(field: KongField, value: object): ErrorValue {
  const fields = asRecord(field).fields;
  let known = recordVerdicts.get(fields);
  if (!known) recordVerdicts.set(fields, (known = new Map()));
  const key = `${ctx.database}\u0000${JSON.stringify(value)}`;
  const errs = remembered(known, RECORDS_KEPT, key, () => {
    // A Lua table from a JSON array has keys 1..n, which the record does not know.
    const rec = Array.isArray(value) ? Object.fromEntries(value.map((x, i) => [String(i + 1), x])) : (value as Record<string, unknown>);
    try {
      // Values reach here from the entity's copy (autoFields at the top), never from the caller's object.
      return validateRecord(asRecord(field), autoFields(asRecord(field), rec, true).data) ?? null;
    } catch (e) {
      if (!(e instanceof ShorthandErrors)) throw e;
      return e.errors ?? null;
    }
  });
  // Entity checks of an enclosing record may add to these tables: hand out copies.
  return errs === null ? undefined : clone(errs);
}

function length(value: unknown, type: string): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.length;
  if (type === 'map' && isObj(value)) return Object.keys(value).length;
  return 0;
}

/** The validators in Kong's validators_order; the first failure wins. */
function runValidators(field: KongField, value: unknown): string | undefined {
  const f = field;
  const lenMin = f.type === 'string' && f.len_min === undefined ? 1 : (f.len_min as number | undefined);
  if (f.eq !== undefined && value !== f.eq) return `value must be ${luaStr(f.eq)}`;
  if (f.ne !== undefined && value === f.ne) return `value must not be ${luaStr(value)}`;
  if (Array.isArray(f.not_one_of) && f.not_one_of.includes(value)) return `must not be one of: ${f.not_one_of.map(luaStr).join(', ')}`;
  if (Array.isArray(f.one_of) && !f.one_of.includes(value)) return `expected one of: ${f.one_of.map(luaStr).join(', ')}`;
  if (typeof f.gt === 'number' && !((value as number) > f.gt)) return `value must be greater than ${luaStr(f.gt)}`;
  if (f.timestamp && !((value as number) > 0)) return 'failed validating: ' + luaStr(value);
  if (f.uuid && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(value))) return 'expected a valid UUID';
  if (f.is_regex && pcreRefusal(String(value)) !== undefined) return `not a valid regex: ${String(value)}`;
  if (Array.isArray(f.between)) {
    const [lo, hi] = f.between as number[];
    if ((value as number) < lo! || (value as number) > hi!) return `value should be between ${Math.trunc(lo!)} and ${Math.trunc(hi!)}`;
  }
  if (typeof f.len_eq === 'number' && length(value, f.type) !== f.len_eq) return `length must be ${f.len_eq}`;
  if (typeof lenMin === 'number' && length(value, f.type) < lenMin) return `length must be at least ${lenMin}`;
  if (typeof f.len_max === 'number' && length(value, f.type) > f.len_max) return `length must be at most ${f.len_max}`;
  if (typeof value === 'string') {
    if (typeof f.starts_with === 'string' && !value.startsWith(f.starts_with)) return `should start with: ${f.starts_with}`;
    if (typeof f.not_match === 'string' && luaMatches(value, f.not_match)) return `invalid value: ${value}`;
    for (const m of (f.match_none as { pattern: string; err: string }[] | undefined) ?? []) if (luaMatches(value, m.pattern)) return m.err;
    if (typeof f.match === 'string' && !luaMatches(value, f.match)) return `invalid value: ${value}`;
    for (const m of (f.match_all as { pattern: string; err: string }[] | undefined) ?? []) if (!luaMatches(value, m.pattern)) return m.err;
    const any = f.match_any as { patterns: string[]; err: string } | undefined;
    // Without its own err (jwt_secrets' if_match), a failed match_any still fails: Kong's message is then nil.
    if (any && !any.patterns.some((p) => luaMatches(value, p))) return any.err ?? `invalid value: ${value}`;
  }
  if (f.contains !== undefined && Array.isArray(value) && !value.includes(f.contains)) return `expected to contain: ${luaStr(f.contains)}`;
  if (isMarker(f.custom_validator)) {
    const check = FIELD_CHECKS[f.custom_validator.$fn];
    if (check === undefined) throw new Error(`no registry entry for Kong validator ${f.custom_validator.$fn}`);
    if (check !== NOT_CHECKED) {
      const r = check(value, ctx);
      if (r !== true) return r;
    }
  }
  if (Array.isArray(f.mutually_exclusive_subsets) && Array.isArray(value)) {
    const subsets = f.mutually_exclusive_subsets as string[][];
    // In the order the values name them, as Kong lists them.
    const hit = [...new Set(value.map((v) => subsets.find((s) => s.includes(v as string))).filter((s) => s !== undefined))];
    if (hit.length > 1) return `these sets are mutually exclusive: ${hit.map((s) => `(${quoted(s)})`).join(', ')}`;
  }
  return undefined;
}

// ------------------------------------------------------------------ records and entity checks

/** Error tables without a prototype: a user's key such as `__proto__` must land in them as data. */
const table = (): Errors => Object.create(null) as Errors;

function validateRecord(schema: KongSchema, input: Record<string, unknown>): Errors | undefined {
  const errors = table();
  for (const [k, v] of Object.entries(input)) {
    const field = fieldOf(schema.fields, k);
    // A schema with `ttl = true` (key-auth credentials) takes a ttl beside its fields.
    if (!field && k === 'ttl' && schema.ttl === true) continue;
    if (!field) {
      errors[k] = 'unknown field';
      continue;
    }
    const e = validateField(field, v);
    if (e !== undefined) errors[k] = e;
  }
  for (const [name, field] of entries(schema.fields)) {
    if (field.required && (input[name] === NULL || input[name] === undefined) && field.abstract !== true) errors[name] = 'required field missing';
  }
  runEntityChecks(schema, input, errors);
  return Object.keys(errors).length ? errors : undefined;
}

// Entity checks name their fields as dotted paths; the schemas never change, so each path is split and resolved once.
const splitPaths = new Map<string, string[]>();
const split = (dotted: string): string[] => {
  let parts = splitPaths.get(dotted);
  if (!parts) splitPaths.set(dotted, (parts = dotted.split('.')));
  return parts;
};
function getField(obj: unknown, dotted: string): unknown {
  return getPath(obj, split(dotted));
}
const resolved = new WeakMap<KongSchema, Map<string, KongField | undefined>>();
function schemaField(schema: KongSchema, dotted: string): KongField | undefined {
  let bySchema = resolved.get(schema);
  if (!bySchema) resolved.set(schema, (bySchema = new Map()));
  if (bySchema.has(dotted)) return bySchema.get(dotted);
  let fields: FieldList | undefined = schema.fields;
  let f: KongField | undefined;
  for (const part of split(dotted)) {
    f = fieldOf(fields, part);
    if (!f) break;
    fields = f.fields as FieldList | undefined;
  }
  bySchema.set(dotted, f);
  return f;
}
function setError(errors: Errors, dotted: string, message: string): void {
  const parts = dotted.split('.');
  let cur = errors;
  parts.slice(0, -1).forEach((p) => {
    if (!isObj(cur[p])) cur[p] = table();
    cur = cur[p] as Errors;
  });
  cur[parts.at(-1)!] = message;
}
function entityError(errors: Errors, message: string): void {
  const list = (errors['@entity'] ??= []) as string[];
  list.push(message);
}

interface Checker {
  withMissing: boolean;
  withInvalid: boolean;
  sources?: readonly string[];
  required?: readonly string[];
  message?: string;
  // Each checker reads its own argument shape (Kong's entity_checks are heterogeneous).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(entity: Record<string, unknown>, arg: any, schema: KongSchema, errors: Errors): true | [string, string?];
}

/** Kong matches `if_match`/`then_match` as a field definition layered over the schema's field (built once per pair). */
const layered = new WeakMap<Record<string, unknown>, WeakMap<KongSchema, KongField>>();
function matches(schema: KongSchema, path: string, match: Record<string, unknown>, value: unknown): string | undefined {
  let bySchema = layered.get(match);
  if (!bySchema) layered.set(match, (bySchema = new WeakMap()));
  let field = bySchema.get(schema);
  if (!field) bySchema.set(schema, (field = { ...(schemaField(schema, path) ?? { type: 'any' }), ...match } as KongField));
  return validateField(field, value) as string | undefined;
}

const CHECKERS: Record<string, Checker> = {
  at_least_one_of: {
    withMissing: true, withInvalid: true, message: 'at least one of these fields must be non-empty: %s',
    run: (e, names: string[]) => (names.some((n) => nonEmpty(getField(e, n))) ? true : [quoted(names)]),
  },
  only_one_of: {
    withMissing: false, withInvalid: true, message: 'exactly one of these fields must be non-empty: %s',
    run: (e, names: string[]) => (names.filter((n) => nonEmpty(getField(e, n))).length === 1 ? true : [quoted(names)]),
  },
  distinct: {
    withMissing: false, withInvalid: true, message: 'values of these fields must be distinct: %s',
    run: (e, names: string[]) => {
      const vals = names.map((n) => getField(e, n)).filter(nonEmpty);
      return new Set(vals).size === vals.length ? true : [quoted(names)];
    },
  },
  mutually_required: {
    withMissing: true, withInvalid: false, message: 'all or none of these fields must be set: %s',
    run: (e, names: string[]) => {
      const n = names.filter((x) => nonEmpty(getField(e, x))).length;
      return n === 0 || n === names.length ? true : [quoted(names)];
    },
  },
  mutually_exclusive: {
    withMissing: true, withInvalid: false, message: 'only one or none of these fields must be set: %s',
    run: (e, names: string[]) => (names.filter((x) => nonEmpty(getField(e, x))).length <= 1 ? true : [quoted(names)]),
  },
  mutually_exclusive_sets: {
    withMissing: true, withInvalid: false, sources: ['set1', 'set2'], required: ['set1', 'set2'], message: 'these sets are mutually exclusive: %s',
    run: (e, a: { set1: string[]; set2: string[] }) => {
      const s1 = a.set1.filter((x) => nonEmpty(getField(e, x)));
      const s2 = a.set2.filter((x) => nonEmpty(getField(e, x)));
      return s1.length && s2.length ? [`(${quoted(s1)}), (${quoted(s2)})`] : true;
    },
  },
  conditional: {
    withMissing: false, withInvalid: true, sources: ['if_field', 'then_field'], required: ['if_field'],
    message: "failed conditional validation given value of field '%s'",
    run: (e, a, schema, errors) => {
      const ifValue = getField(e, a.if_field);
      const thenValue = getField(e, a.then_field) ?? NULL;
      if (matches(schema, a.if_field, a.if_match, ifValue) !== undefined) return true;
      if (a.then_match.required === true && thenValue === NULL) {
        setError(errors, a.then_field, 'required field missing');
        return [a.if_field];
      }
      const err = matches(schema, a.then_field, a.then_match, thenValue);
      if (err !== undefined) {
        setError(errors, a.then_field, String(err));
        return [a.if_field, a.then_err ? String(a.then_err).replace('%s', a.if_field) : undefined];
      }
      return true;
    },
  },
  conditional_at_least_one_of: {
    withMissing: true, withInvalid: true, sources: ['if_field', 'then_at_least_one_of', 'else_then_at_least_one_of'], required: ['if_field'],
    message: 'at least one of these fields must be non-empty: %s',
    run: (e, a, schema) => {
      const ifValue = getField(e, a.if_field);
      if (ifValue === undefined) return true;
      let names: string[] = a.then_at_least_one_of;
      let errFmt: string | undefined = a.then_err;
      if (matches(schema, a.if_field, a.if_match, ifValue) !== undefined) {
        if (a.else_match === undefined || matches(schema, a.if_field, a.else_match, ifValue) !== undefined) return true;
        names = a.else_then_at_least_one_of;
        errFmt = a.else_then_err;
      }
      if (names.some((n) => nonEmpty(getField(e, n)))) return true;
      return [quoted(names), errFmt ? errFmt.replace('%s', quoted(names)) : undefined];
    },
  },
  custom_entity_check: {
    withMissing: false, withInvalid: false, sources: ['field_sources'], required: ['field_sources'],
    run: (e, a) => {
      const marker = isMarker(a.fn) ? a.fn.$fn : '';
      const check = ENTITY_CHECKS[marker];
      if (check === undefined) throw new Error(`no registry entry for Kong entity check ${marker}`);
      if (check === NOT_CHECKED) return true;
      const r = check(e, ctx);
      return r === true ? true : [r];
    },
  },
};

function runEntityChecks(schema: KongSchema, input: Record<string, unknown>, errors: Errors): void {
  for (const check of schema.entity_checks ?? []) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- handed to the checker that knows its shape
    const [name, arg] = Object.entries(check)[0] as [string, any];
    const checker = CHECKERS[name];
    if (!checker) throw new Error(`unknown Kong entity check ${name}`);
    let fields: string[] = [];
    const required = new Set<string>();
    if (checker.sources) {
      for (const s of checker.sources) {
        const v = arg[s];
        const list = typeof v === 'string' ? [v] : Array.isArray(v) ? (v as string[]) : [];
        fields.push(...list);
        if (checker.required?.includes(s)) list.forEach((x) => required.add(x));
      }
    } else {
      fields = arg as string[];
      fields.forEach((x) => required.add(x));
    }
    const missingFields: string[] = [];
    let allNil = true;
    let allOk = true;
    let skip = false;
    for (const f of fields) {
      const v = getField(input, f);
      if (v === undefined) {
        if (!checker.withMissing && !arg.run_with_missing_fields && required.has(f) && !schemaField(schema, f)?.nilable) missingFields.push(f);
      } else {
        allNil = false;
        if (schemaField(schema, f)?.referenceable && isReference(v)) skip = true;
      }
      if (errors[f] !== undefined) allOk = false;
    }
    if (skip) continue;
    if (!allOk && !checker.withInvalid && !arg.run_with_invalid_fields) continue;
    if (allNil && !checker.withMissing) continue;
    if (missingFields.length) {
      missingFields.forEach((f) => setError(errors, f, 'field required for entity check'));
      continue;
    }
    const r = checker.run(input, arg, schema, errors);
    if (r === true) continue;
    const [detail, custom] = r;
    entityError(errors, custom ?? (checker.message ? checker.message.replace('%s', detail) : detail));
  }
}

// ------------------------------------------------------------------ entry point

/** Kong's flattened error table: dotted paths, arrays 1-based, `@entity` lists. */
export type FlatErrors = Record<string, string[]>;

function flatten(errors: unknown, prefix: string, out: FlatErrors): FlatErrors {
  const add = (key: string, v: unknown): void => {
    if (v === undefined) return;
    if (typeof v === 'string') out[key] = [v];
    else flatten(v, key, out);
  };
  if (Array.isArray(errors)) errors.forEach((v, i) => add(prefix ? `${prefix}.${i + 1}` : String(i + 1), v));
  else if (isObj(errors)) {
    for (const [k, v] of Object.entries(errors)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (k === '@entity' && Array.isArray(v)) out[key] = [...(v as string[])].sort();
      else add(key, v);
    }
  }
  return out;
}

export interface PluginInput {
  config?: unknown;
  protocols?: unknown;
  /** Dynamic plugin ordering (a Kong Enterprise field). */
  ordering?: unknown;
  /** The plugin is scoped to a consumer. */
  consumer?: boolean;
}

/** Validates a plugin entity against its merged schema, as DB-less Kong does for each plugin it loads. */
export function validatePluginEntity(schema: KongSchema, name: string, input: PluginInput, context: CheckContext): { valid: boolean; errors: FlatErrors } {
  ctx = context;
  const entity: Record<string, unknown> = { name };
  if (input.config !== undefined) entity.config = input.config;
  if (input.protocols !== undefined) entity.protocols = input.protocols;
  if (input.ordering !== undefined) entity.ordering = input.ordering;
  if (input.consumer) entity.consumer = { id: '00000000-0000-4000-8000-000000000001' };
  return verdict(schema, entity);
}

/** process_auto_fields then validate_insert, as Kong's flattened errors. */
function verdict(schema: KongSchema, entity: Record<string, unknown>): { valid: boolean; errors: FlatErrors } {
  let errors: Errors | undefined;
  try {
    errors = validateRecord(schema, autoFields(schema, entity).data);
  } catch (e) {
    if (!(e instanceof ShorthandErrors)) throw e;
    errors = e.errors;
  }
  const flat = flatten(errors ?? {}, '', {});
  return { valid: Object.keys(flat).length === 0, errors: flat };
}

/** An entity schema with subschemas chosen by one of its fields (routes by protocol, vaults by name). */
export interface KongEntitySchema extends KongSchema {
  subschema_key?: string;
  subschema_error?: string;
  subschemas?: Record<string, KongSchema>;
}

// The entity's fields specialised by the subschema's and both lists of entity checks, as Kong runs them.
const specialised = new WeakMap<KongSchema, Map<KongSchema, KongSchema>>();
function withSubschema(schema: KongSchema, sub: KongSchema): KongSchema {
  let bySub = specialised.get(schema);
  if (!bySub) specialised.set(schema, (bySub = new Map()));
  let merged = bySub.get(sub);
  if (!merged) {
    const own = index(sub.fields);
    const fields = schema.fields.map((f) => {
      const [name, def] = Object.entries(f)[0]!;
      return { [name]: own.get(name) ?? def };
    });
    merged = { fields, entity_checks: [...(schema.entity_checks ?? []), ...(sub.entity_checks ?? [])] };
    if (schema.shorthand_fields) merged.shorthand_fields = schema.shorthand_fields;
    bySub.set(sub, merged);
  }
  return merged;
}

/** The subschema Kong picks (get_subschema: the key's value, or the first element of a set that names one), or Kong's error. */
function subschemaOf(schema: KongEntitySchema, input: Record<string, unknown>): { schema: KongSchema } | { errors: Errors } {
  const key = schema.subschema_key!;
  const value = input[key] === undefined ? fieldOf(schema.fields, key)?.default : input[key];
  if (value === undefined || value === NULL) return { errors: Object.assign(table(), { [key]: 'required field missing' }) };
  const subs = schema.subschemas ?? {};
  const names = Array.isArray(value) ? value : [value];
  const found = names.find((n) => typeof n === 'string' && Object.hasOwn(subs, n)) as string | undefined;
  if (found !== undefined) return { schema: withSubschema(schema, subs[found]!) };
  const shown = Array.isArray(value) ? (value.length ? luaStr(value[0]) : 'nil') : luaStr(value);
  return { errors: Object.assign(table(), { [key]: (schema.subschema_error ?? 'unknown type: %s').replace('%s', shown) }) };
}

/** Validates one entity of a declarative configuration as DB-less Kong does: process_auto_fields, then validate_insert. */
export function validateEntity(schema: KongEntitySchema, input: Record<string, unknown>, context: CheckContext): { valid: boolean; errors: FlatErrors } {
  ctx = context;
  if (!schema.subschema_key) return verdict(schema, input);
  const sub = subschemaOf(schema, input);
  // Without its subschema Kong validates no further.
  return 'errors' in sub ? { valid: false, errors: flatten(sub.errors, '', {}) } : verdict(sub.schema, input);
}
