// The operator's configuration (shared by serve, check, translate and problems), from a parsed document to
// a Policy. Validated with ajv; every problem is reported with its path, and unknown settings and rule ids get
// a suggestion. Pure: reading the file and parsing its YAML belong to the CLI (cli/config-file.ts).
import type { ErrorObject } from 'ajv';
import { CONFIG_SCHEMA } from './config-schema.ts';
import { validate as validateConfig } from './generated/config-validator.ts';
import { RULES } from '../rules/index.ts';
import { withArticle } from '../model/english.ts';
import { didYouMean } from '../rules/text.ts';
import { DEFAULT_POLICY, type Policy } from './policy.ts';
import type { KicVersion } from '../translate/config.ts';

export interface ConfigFile {
  /** KIC's --ingress-class (default kong). */
  ingressClass?: string;
  /** The GatewayClass controllerName KIC reconciles (default konghq.com/kic-gateway-controller). */
  gatewayControllerName?: string;
  /** The KIC 3.x minor release to judge by (default 3.5). */
  kicVersion?: KicVersion;
  /** Dangling references deny instead of warn. */
  strict?: boolean;
  /** Per-rule severity: deny, warn or off. */
  rules?: Record<string, 'deny' | 'warn' | 'off'>;
  /** Custom plugins installed in Kong, so `unknown-plugin` accepts them. */
  customPlugins?: string[];
  /** Namespaces whose objects are never judged. */
  ignoreNamespaces?: string[];
  /** The Kong Gateway edition behind KIC (default oss). */
  kongEdition?: 'oss' | 'enterprise';
  /** Kong's database mode (default off: DB-less). */
  kongDatabase?: 'off' | 'postgres';
  /** KIC runs with --feature-gates=GatewayAlpha=true (TCPRoute, TLSRoute, UDPRoute translated); default false. */
  gatewayAlpha?: boolean;
  /** KIC runs with --feature-gates=KongServiceFacade=true (Ingress backends may be KongServiceFacades); default false. */
  kongServiceFacade?: boolean;
  rewriteURIs?: boolean;
  /** Kong's router_flavor (default traditional_compatible). */
  kongRouterFlavor?: 'traditional' | 'traditional_compatible' | 'expressions';
}

// ajv compiled the schema at build time (scripts/config-validator/generate.ts, ajv's standalone mode): no
// compiler, and no ajv beyond one small runtime helper, is loaded when a command starts.
const validate = validateConfig as unknown as ((data: unknown) => data is ConfigFile) & { errors?: ErrorObject[] | null };

export class ConfigError extends Error {}

function describeError(e: ErrorObject): string {
  const at = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '(top level)';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at === '(top level)' ? '' : `${at}.`}${String(e.params.additionalProperty)}: unknown setting${didYouMean(String(e.params.additionalProperty), Object.keys(CONFIG_SCHEMA.properties))}`;
    case 'enum':
      return `${at}: must be one of ${(e.params.allowedValues as string[]).join(', ')}`;
    case 'type':
      return `${at}: must be ${e.params.type === 'array' ? 'a list' : e.params.type === 'object' ? 'a mapping' : withArticle(String(e.params.type))}`;
    case 'minLength':
      return `${at}: must not be empty`;
    case 'uniqueItems':
      return `${at}: lists an entry twice`;
    default:
      return `${at}: ${e.message ?? 'is invalid'}`;
  }
}

/** Validates a parsed configuration document (`source` names it in messages); the policy is the defaults with it applied. */
export function policyFromConfig(data: unknown, source: string): Policy {
  // YAML reads `kicVersion: 3.5` as a number (and 3.0 as 3): take it as the release it names.
  if (data && typeof data === 'object' && typeof (data as ConfigFile & { kicVersion: unknown }).kicVersion === 'number') {
    data = { ...data, kicVersion: (data as { kicVersion: number }).kicVersion.toFixed(1) };
  }
  if (!validate(data)) throw new ConfigError(`${source}: ${(validate.errors ?? []).map(describeError).join('; ')}`);
  const known = RULES.map((r) => r.id);
  const unknown = Object.keys(data.rules ?? {}).filter((id) => !known.includes(id));
  if (unknown.length) throw new ConfigError(`${source}: ${unknown.map((id) => `rules.${id}: no such rule${didYouMean(id, known)}`).join('; ')} (ingress-guard rules lists them)`);
  return {
    translate: {
      ingressClass: data.ingressClass ?? DEFAULT_POLICY.translate.ingressClass,
      gatewayControllerName: data.gatewayControllerName ?? DEFAULT_POLICY.translate.gatewayControllerName,
      kicVersion: data.kicVersion ?? DEFAULT_POLICY.translate.kicVersion,
      kongEdition: data.kongEdition ?? DEFAULT_POLICY.translate.kongEdition,
      kongDatabase: data.kongDatabase ?? DEFAULT_POLICY.translate.kongDatabase,
      gatewayAlpha: data.gatewayAlpha ?? DEFAULT_POLICY.translate.gatewayAlpha,
      kongServiceFacade: data.kongServiceFacade ?? DEFAULT_POLICY.translate.kongServiceFacade,
      rewriteURIs: data.rewriteURIs ?? DEFAULT_POLICY.translate.rewriteURIs,
      kongRouterFlavor: data.kongRouterFlavor ?? DEFAULT_POLICY.translate.kongRouterFlavor,
    },
    rules: { ...data.rules },
    strict: data.strict ?? false,
    customPlugins: [...(data.customPlugins ?? [])],
    ignoreNamespaces: [...(data.ignoreNamespaces ?? [])],
  };
}
