// Kong entities as KIC would produce them, each with `sources`: the Kubernetes objects it came from.
import type { ObjectRef } from '../model/object.ts';
import type { ExtensionRefPlugin, GeneratedPlugin } from './httproute-filters.ts';

export interface Sourced {
  sources: ObjectRef[];
}

export interface KongServiceBackend {
  service: ObjectRef;
  /** Port as written by the referrer (number or name); undefined when it did not say. */
  port?: number | string;
  weight: number;
}

export interface KongService extends Sourced {
  name: string;
  host: string;
  /** Set where KIC sets it for the kind (grpc, grpcs, tcp, udp); absent means Kong's default, http. */
  protocol?: string;
  backends: KongServiceBackend[];
  /** The KongServiceFacade this Kong service stands for (its tags, and its annotations over the Service's). */
  facade?: ObjectRef;
}

export interface KongRoute extends Sourced {
  /** KIC's FillIDs (on by default): go-kong's name-based ID (router/route-id.ts `kicRouteId`). Decides priority ties. */
  id: string;
  name: string;
  service: string;
  hosts: string[];
  paths: string[];
  methods: string[];
  /** Set where KIC sets them for the kind: grpc/grpcs, tcp, tls, tls_passthrough, udp. */
  protocols?: string[];
  /** TLS SNIs (TLSRoute hostnames, a TCPIngress rule's host). */
  snis?: string[];
  /** Ports of Kong's stream listeners the route matches (KIC's destinations). */
  destinations?: number[];
  /** Header matches: HTTPRoute and GRPCRoute header matches, or konghq.com/headers.* (which replaces them). */
  headers?: Record<string, string[]>;
  /** The remaining fields as KIC sets them (absent: KIC leaves Kong's default). */
  strip_path?: boolean;
  preserve_host?: boolean;
  regex_priority?: number;
  /** 426 (Kong's default) or a redirect code for http requests to an https-only route. */
  https_redirect_status_code?: number;
  path_handling?: string;
  request_buffering?: boolean;
  response_buffering?: boolean;
  /** With Kong's expressions router: KIC's ATC expression and priority (hosts, paths, ... are then inside it). */
  expression?: string;
  priority?: number;
  /** The field of the source object this route comes from. */
  field: string;
  /**
   * HTTPRoute routes: the `name` of the rule of each match the route merges, one per match, unnamed ones left out
   * (KIC's k8s-named-route-rule tags: httproute.go httpRouteMatches, httproute_atc.go one per split match).
   */
  namedRules?: string[];
  /**
   * An HTTPRoute route merging N >= 2 matches of rules with a RequestRedirect filter: KIC (httproute.go getRoutesFromMatches)
   * emits it N times under the same name, the kth copy with the paths and methods of the first k matches and the
   * filter plugins k times over; these are the first N - 1 copies (the route itself is the last). Kong rejects the
   * configuration then: two routes with one name.
   */
  redirectCopies?: { paths: string[]; methods: string[] }[];
}

export interface KongTarget {
  target: string;
  /** Absent where KIC sets none (Kong's default, 100): translate/upstream-targets.ts. */
  weight?: number;
}

export interface KongUpstream extends Sourced {
  name: string;
  targets: KongTarget[];
}

/** The scope a plugin instance is bound to; all absent means global. */
export interface PluginScope {
  service?: string;
  route?: string;
  consumer?: string;
  consumerGroup?: string;
}

export interface KongPluginInstance extends Sourced {
  /** Plugin type (`rate-limiting`). */
  name: string;
  /** The KongPlugin or KongClusterPlugin this instance comes from. */
  plugin: ObjectRef;
  scope: PluginScope;
  /** The objects whose references place the plugin on this scope (route source, consumer, ...). */
  placedBy: ObjectRef[];
}

export interface KongConsumer extends Sourced {
  username?: string;
  custom_id?: string;
  groups: string[];
}

export interface KongConsumerGroup extends Sourced {
  name: string;
}

export interface KongCredential extends Sourced {
  type: string;
  consumer: string;
  secret: ObjectRef;
}

export interface KongCertificate extends Sourced {
  secret: ObjectRef;
  snis: string[];
}

export interface KongConfig {
  services: KongService[];
  routes: KongRoute[];
  upstreams: KongUpstream[];
  plugins: KongPluginInstance[];
  /** Plugins KIC generates from HTTPRoute filters, nested in one Kong route each. */
  filterPlugins: GeneratedPlugin[];
  /** KongPlugins that HTTPRoute ExtensionRef filters place on their Kong routes. */
  extensionRefPlugins: ExtensionRefPlugin[];
  consumers: KongConsumer[];
  consumerGroups: KongConsumerGroup[];
  credentials: KongCredential[];
  certificates: KongCertificate[];
}

export function scopeKey(scope: PluginScope): string {
  return `service=${scope.service ?? ''}|route=${scope.route ?? ''}|consumer=${scope.consumer ?? ''}|group=${scope.consumerGroup ?? ''}`;
}

/** Which kind of scope, in Kong's words: `route`, `consumer and route`, `global`, ... */
export function scopeKind(scope: PluginScope): string {
  const parts: string[] = [];
  if (scope.consumer) parts.push('consumer');
  if (scope.consumerGroup) parts.push('consumer group');
  if (scope.route) parts.push('route');
  if (scope.service) parts.push('service');
  return parts.length ? parts.join(' and ') : 'global';
}
