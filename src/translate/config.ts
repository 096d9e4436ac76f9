// Engine configuration that changes what KIC would translate, and what the Kong behind it accepts.
export interface TranslateConfig {
  /** KIC's `--ingress-class`: the IngressClass name and the class annotation value it serves. */
  ingressClass: string;
  /** The GatewayClass controllerName KIC reconciles. */
  gatewayControllerName: string;
  /** Kong Gateway OSS, or Enterprise (its plugins are known; their configuration is not checked). */
  kongEdition: 'oss' | 'enterprise';
  /** Kong's `database`: `off` (DB-less, KIC's default) or `postgres`; some plugin values depend on it. */
  kongDatabase: 'off' | 'postgres';
}

export const DEFAULT_TRANSLATE_CONFIG: TranslateConfig = {
  ingressClass: 'kong',
  gatewayControllerName: 'konghq.com/kic-gateway-controller',
  kongEdition: 'oss',
  kongDatabase: 'off',
};
