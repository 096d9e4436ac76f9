// KIC's deckgen fillPlugin: before sending, every plugin's config is filled from the schema Kong serves
// (/schemas/plugins/<name>) by go-kong's FillPluginsDefaultsWithOpts with FillDefaults on and FillAuto off
// (kong/utils.go fillConfigRecord), then `enabled: true`, the schema's default protocols (KIC's own
// [http, https] when the schema has none), and run_on cleared. go-kong's rules, followed to the letter:
// - a field the config sets is kept as it is (null included), except a record (filled inside), an array or set of
//   records (each element filled; an empty one is replaced by the default), and a map value given to a field of
//   another type (replaced by the default);
// - an absent record is filled only when required, and kept only when the filling gives something;
// - an absent field takes the record-level default, else its own default, else an explicit null;
// - an `auto` field is left alone, and so is a field a shorthand (deprecated) field the config sets writes to.
import { pluginSchema, type KongDatabase } from '../kong/plugins.ts';
import { isRecord } from '../model/object.ts';

type Json = Record<string, unknown>;
type Shorthands = Map<string, string[][]>;

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
const entry = (field: unknown): [string, Json] => Object.entries(field as Json)[0] as [string, Json];

/** processDeprecatedFields: each shorthand the config sets, with the paths it writes (replaced_with, else translate_backwards). */
function shorthandsIn(record: Json, config: Json): Shorthands {
  const out: Shorthands = new Map();
  for (const f of Array.isArray(record.shorthand_fields) ? record.shorthand_fields : []) {
    const [name, def] = entry(f);
    if (!Object.hasOwn(config, name)) continue;
    const deprecation = isRecord(def.deprecation) ? def.deprecation : {};
    const replaced = Array.isArray(deprecation.replaced_with) ? deprecation.replaced_with.filter(isRecord).map((r) => (Array.isArray(r.path) ? r.path.map(String) : [])) : [];
    if (replaced.length) out.set(name, replaced);
    else if (Array.isArray(def.translate_backwards)) out.set(name, [def.translate_backwards.map(String)]);
  }
  return out;
}

/** filterDeprecatedFieldsForGivenField: the paths under `field`, one level down. */
function under(field: string, shorthands: Shorthands): Shorthands {
  const out: Shorthands = new Map();
  for (const [name, paths] of shorthands) {
    const rest = paths.filter((p) => p[0] === field).map((p) => p.slice(1));
    if (rest.length) out.set(name, rest);
  }
  return out;
}

const writtenByShorthand = (field: string, shorthands: Shorthands) => [...shorthands.values()].some((paths) => paths.some((p) => p[0] === field));

/** go-kong fillConfigRecord with FillDefaults true, FillAuto false. */
export function fillRecord(record: Json, config: Json, parentShorthands: Shorthands = new Map()): Json {
  let res = clone(config);
  const recordDefault = isRecord(record.default) ? record.default : undefined;
  const shorthands = shorthandsIn(record, config);
  for (const [k, v] of parentShorthands) shorthands.set(k, v);
  for (const f of Array.isArray(record.fields) ? record.fields : []) {
    const [name, def] = entry(f);
    if (name === 'config') {
      res = fillRecord(def, config, under(name, shorthands));
      continue;
    }
    const elementsType = isRecord(def.elements) ? def.elements.type : undefined;
    if (Object.hasOwn(config, name)) {
      const v = config[name];
      if (isRecord(v)) {
        if (def.keys !== undefined && def.values !== undefined) continue;
      } else if (Array.isArray(v)) {
        if (elementsType !== 'record') continue;
      } else continue;
    }
    const value = config[name];
    if (def.type === 'record' && ((value !== undefined && value !== null) || def.required === true)) {
      const sub = fillRecord(def, isRecord(value) ? value : {}, under(name, shorthands));
      if (Object.keys(sub).length > 0) res[name] = sub;
      continue;
    }
    if (writtenByShorthand(name, shorthands)) continue;
    if ((def.type === 'array' || def.type === 'set') && elementsType === 'record' && Array.isArray(value) && value.length > 0) {
      // go-kong passes the whole shorthand map down to array elements, not the part under this field.
      res[name] = value.map((el) => (isRecord(el) ? fillRecord(def.elements as Json, el, shorthands) : el));
      continue;
    }
    if (def.auto === true) continue;
    res[name] = recordDefault && Object.hasOwn(recordDefault, name) ? clone(recordDefault[name]) : def.default === undefined ? null : clone(def.default);
  }
  return res;
}

const field = (name: string, database: KongDatabase, fname: string): Json | undefined =>
  pluginSchema(name, database)?.fields.map((f) => entry(f)).find(([n]) => n === fname)?.[1];

/** The config fillPlugin gives a plugin Kong 3.9.3 bundles; undefined for others (no schema here). */
export function filledConfig(name: string, config: Json, database: KongDatabase): Json | undefined {
  const schema = field(name, database, 'config');
  return schema ? fillRecord(schema, config) : undefined;
}

/** The protocols go-kong gives a plugin that sets none: the schema's default, else KIC's [http, https]; undefined without a schema. */
export function defaultProtocols(name: string, database: KongDatabase): string[] | undefined {
  if (!pluginSchema(name, database)) return undefined;
  const d = field(name, database, 'protocols')?.default;
  return Array.isArray(d) && d.length ? (d as string[]) : ['http', 'https'];
}
