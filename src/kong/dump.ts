// The shape of the generated schema dump (scripts/kong-schemas/dump.lua): Kong's Admin API schema JSON.
import type { KongSchema } from './validate.ts';

export type PluginSchemas = Record<string, KongSchema>;

export interface KongDump {
  source: { repository: string; tag: string; commit: string; database: string; command: string };
  /** kong/constants.lua BUNDLED_PLUGINS, sorted. */
  bundled: string[];
  /** Every protocol Kong knows (PROTOCOLS_WITH_SUBSYSTEM). */
  protocols: string[];
  /** The plugins entity: the fields every plugin has before its subschema specialises them. */
  plugins_entity: KongSchema;
  plugins: PluginSchemas;
}
