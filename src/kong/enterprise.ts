// What Kong Gateway Enterprise adds to the bundled plugins (generated/enterprise-fields.ts): with
// kongEdition: enterprise, Kong OSS's "unknown field" or "expected one of" about such a field or value is no error.
import { ENTERPRISE_FIELDS } from './generated/enterprise-fields.ts';

/** Kong's error path with list indexes as `*`, as the overlay names array elements. */
const overlayPath = (kongPath: string): string => kongPath.split('.').map((s) => (/^\d+$/.test(s) ? '*' : s)).join('.');

/** Whether Enterprise accepts what Kong OSS reports at `kongPath`, given the value found there. */
export function enterpriseAccepts(plugin: string, kongPath: string, message: string, value: unknown): boolean {
  const overlay = Object.hasOwn(ENTERPRISE_FIELDS, plugin) ? ENTERPRISE_FIELDS[plugin] : undefined;
  if (!overlay) return false;
  const path = overlayPath(kongPath);
  if (message === 'unknown field') return overlay.fields.includes(path);
  if (message.startsWith('expected one of: ')) return Object.hasOwn(overlay.values, path) && overlay.values[path]!.includes(value);
  return false;
}
