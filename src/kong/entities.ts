// Kong 3.9.3's core entities (services, routes per router flavor, upstreams, targets, consumers, certificates,
// SNIs, CA certificates, vaults) and the credential DAOs, from the generated dump: what DB-less Kong says about
// each entity of a declarative configuration, in its own words (kong/db/schema validate_insert, per entity).
// The dump is parsed on first use: only a process that judges entities pays for it.
import { ENTITIES_JSON } from './generated/3.9.3/entities.ts';
import type { RouterFlavor } from './regex.ts';
import { validateEntity, type FlatErrors, type KongEntitySchema } from './validate.ts';
import { remembered } from '../model/bounded-cache.ts';

export interface EntitiesDump {
  source: { repository: string; tag: string; commit: string; database: string; command: string };
  /** The credential collections (keyauth_credentials, jwt_secrets, ...). */
  credentials: string[];
  entities: Record<string, KongEntitySchema>;
  /** routes.lua and routes_subschemas.lua per router flavor. */
  routes: Record<RouterFlavor, KongEntitySchema>;
}

let dump: EntitiesDump | undefined;
export function entitiesDump(): EntitiesDump {
  dump ??= JSON.parse(ENTITIES_JSON) as EntitiesDump;
  return dump;
}

/** The entity types (Kong's collection names) there is a schema for, routes included. */
export function entityTypes(): string[] {
  return ['routes', ...Object.keys(entitiesDump().entities)].sort();
}

export interface EntityVerdict {
  valid: boolean;
  /** Kong's flattened errors: `paths.1` -> ["non-normalized path, consider use '/a%2Fb' instead"]. */
  errors: FlatErrors;
}

// A change is judged before and after, and most entities are the same on both sides: remember recent verdicts.
const VERDICTS_KEPT = 1000;
const verdicts = new Map<string, EntityVerdict>();

/** What DB-less Kong says about one entity of collection `type` (`services`, `routes`, `jwt_secrets`, ...). */
export function validateKongEntity(type: string, input: Record<string, unknown>, flavor: RouterFlavor = 'traditional_compatible'): EntityVerdict {
  const d = entitiesDump();
  const schema = type === 'routes' ? d.routes[flavor] : Object.hasOwn(d.entities, type) ? d.entities[type] : undefined;
  if (!schema) throw new Error(`no Kong schema for entity type ${type}`);
  const key = `${type}\u0000${type === 'routes' ? flavor : ''}\u0000${JSON.stringify(input)}`;
  return remembered(verdicts, VERDICTS_KEPT, key, () => validateEntity(schema, input, { database: 'off' }));
}
