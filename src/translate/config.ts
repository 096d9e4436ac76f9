// Engine configuration that changes what KIC would translate, and what the Kong behind it accepts.

/** The KIC 3.x minor releases ingress-guard can judge by. */
export const KIC_VERSIONS = ['3.0', '3.1', '3.2', '3.3', '3.4', '3.5'] as const;
export type KicVersion = (typeof KIC_VERSIONS)[number];

export interface TranslateConfig {
  /** KIC's `--ingress-class`: the IngressClass name and the class annotation value it serves. */
  ingressClass: string;
  /** The GatewayClass controllerName KIC reconciles. */
  gatewayControllerName: string;
  /** The KIC minor release whose translator is followed where 3.x releases differ (README, Configuration). */
  kicVersion: KicVersion;
  /** Kong Gateway OSS, or Enterprise (its plugins are known; their configuration is not checked). */
  kongEdition: 'oss' | 'enterprise';
  /** Kong's `database`: `off` (DB-less, KIC's default) or `postgres`; some plugin values depend on it. */
  kongDatabase: 'off' | 'postgres';
  /** KIC's `--feature-gates=GatewayAlpha=true`: only then does it translate TCPRoute, TLSRoute and UDPRoute. */
  gatewayAlpha: boolean;
  /**
   * KIC's `--feature-gates=KongServiceFacade=true` (off by default): only then does it read KongServiceFacades and
   * translate Ingress backends that point at one (`backend.resource`).
   */
  kongServiceFacade: boolean;
  /**
   * KIC's `--feature-gates=RewriteURIs=true` (off by default): only then does it translate an Ingress's `konghq.com/rewrite`
   * (a request-transformer in each of its routes) rather than fail the Kong service holding them.
   */
  rewriteURIs: boolean;
  /**
   * Kong's `router_flavor` (Kong's default traditional_compatible), which KIC follows: it decides which regex engines
   * judge route paths, and with `expressions` KIC builds expression routes (Ingress and HTTPRoute ones are modelled).
   */
  kongRouterFlavor: 'traditional' | 'traditional_compatible' | 'expressions';
}

export const DEFAULT_TRANSLATE_CONFIG: TranslateConfig = {
  ingressClass: 'kong',
  gatewayControllerName: 'konghq.com/kic-gateway-controller',
  kicVersion: '3.5',
  kongEdition: 'oss',
  kongDatabase: 'off',
  gatewayAlpha: false,
  kongServiceFacade: false,
  rewriteURIs: false,
  kongRouterFlavor: 'traditional_compatible',
};

/** Whether the configured KIC release is `version` or later. */
export function kicAtLeast(config: TranslateConfig, version: KicVersion): boolean {
  return KIC_VERSIONS.indexOf(config.kicVersion) >= KIC_VERSIONS.indexOf(version);
}
