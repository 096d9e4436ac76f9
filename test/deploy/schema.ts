// Structural check of manifests against the Kubernetes API's own types, offline: the model classes that
// @kubernetes/client-node generates from the API server's OpenAPI document carry every field's name and type.
// An unknown field (a typo, or one the API does not have) or a wrong primitive type is reported with its path.
// What this cannot tell: required fields, enum values, and in which Kubernetes release a field appeared.
import * as k8s from '@kubernetes/client-node';

type Attr = { name: string; baseName: string; type: string };
const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attr[] }>;

export const TYPE_OF_KIND: Record<string, string> = {
  Namespace: 'V1Namespace',
  ServiceAccount: 'V1ServiceAccount',
  ClusterRole: 'V1ClusterRole',
  ClusterRoleBinding: 'V1ClusterRoleBinding',
  ConfigMap: 'V1ConfigMap',
  Secret: 'V1Secret',
  Service: 'V1Service',
  Deployment: 'V1Deployment',
  PodDisruptionBudget: 'V1PodDisruptionBudget',
  NetworkPolicy: 'V1NetworkPolicy',
  ValidatingWebhookConfiguration: 'V1ValidatingWebhookConfiguration',
};

export function schemaErrors(value: unknown, type: string, path = ''): string[] {
  const here = path || '(root)';
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => schemaErrors(v, array[1]!, `${path}[${i}]`)) : [`${here}: expected a list`];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${here}: expected a map`];
    return Object.entries(value).flatMap(([k, v]) => schemaErrors(v, map[1]!, `${path}.${k}`));
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${here}: expected a string, got ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${here}: expected a number, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${here}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'IntOrString':
      return typeof value === 'number' || typeof value === 'string' ? [] : [`${here}: expected an int or a string`];
    case 'Date':
      return typeof value === 'string' ? [] : [`${here}: expected a timestamp`];
    case 'any':
    case 'object':
      return [];
  }
  const model = models[type]?.getAttributeTypeMap?.();
  if (!model) return [`${here}: no model ${type}`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${here}: expected an object (${type})`];
  return Object.entries(value).flatMap(([key, v]) => {
    const attr = model.find((a) => a.baseName === key);
    return attr ? schemaErrors(v, attr.type, `${path}.${key}`) : [`${path}.${key}: no such field in ${type}`];
  });
}
