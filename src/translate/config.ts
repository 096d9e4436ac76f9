// Engine configuration that changes what KIC would translate.
export interface TranslateConfig {
  /** KIC's `--ingress-class`: the IngressClass name and the class annotation value it serves. */
  ingressClass: string;
  /** The GatewayClass controllerName KIC reconciles. */
  gatewayControllerName: string;
}

export const DEFAULT_TRANSLATE_CONFIG: TranslateConfig = {
  ingressClass: 'kong',
  gatewayControllerName: 'konghq.com/kic-gateway-controller',
};
