// YAML output for manifests: plain objects in, with comments placed before keys or list items, so the
// generated files keep the explanations a hand-written manifest would have.
import { Document, isMap, isScalar, isSeq } from 'yaml';

/** Comments keyed by a dotted path: 'spec.replicas' (before a key), 'spec.ingress.0' (before a list item); keys with dots cannot be named. */
export type Comments = Record<string, string>;

export interface Manifest {
  object: Record<string, unknown>;
  comments?: Comments;
  /** A comment above the whole document. */
  header?: string;
}

const indent = (text: string) => text.split('\n').map((l) => (l ? ` ${l}` : '')).join('\n');

export function toYaml(m: Manifest): string {
  // No anchors and aliases for shared sub-objects (label selectors): plain YAML reads better and diffs cleanly.
  const doc = new Document(m.object, { aliasDuplicateObjects: false });
  if (m.header) doc.commentBefore = indent(m.header);
  for (const [dotted, text] of Object.entries(m.comments ?? {})) {
    const path = dotted.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const last = path[path.length - 1];
    let node: { commentBefore?: string | null } | undefined;
    if (isMap(parent)) node = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last)?.key as typeof node;
    else if (isSeq(parent) && typeof last === 'number') node = parent.items[last] as typeof node;
    if (!node) throw new Error(`comment for ${dotted}: no such path in ${String((m.object as { kind?: string }).kind)}`);
    node.commentBefore = indent(text);
  }
  return doc.toString({ lineWidth: 0 });
}

/** Several manifests as one multi-document stream. */
export function toYamlStream(manifests: Manifest[], header?: string): string {
  const body = manifests.map(toYaml).join('---\n');
  return header ? `${header.split('\n').map((l) => `#${l ? ` ${l}` : ''}`).join('\n')}\n${body}` : body;
}
