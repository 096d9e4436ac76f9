// Which objects a change can affect: the changed object, what it depends on, everything that depends on
// it (transitively, as KIC's fallback graph), the other referrers of plugins it touches (plugin scoping
// depends on every referrer), and its neighbours in the uniqueness indexes. Computed on the state before
// and after the change, so appearing and disappearing edges both count.
import { SERVICE_NAME_LABEL } from '../model/annotations.ts';
import { dependencies } from '../model/dependencies.ts';
import { keyOf, label, refKey, type K8sObject } from '../model/object.ts';
import { INDEXES, type IndexName } from '../state/indexes.ts';
import type { StateView } from '../state/view.ts';
import type { Translator } from '../translate/translator.ts';

const CONFLICT_INDEXES: IndexName[] = ['consumerUsername', 'consumerCustomId', 'hostPath', 'defaultBackend', 'globalPlugin'];

export interface Scope {
  /** Objects every rule must re-judge. */
  keys: Set<string>;
  /**
   * Other referrers of the plugins the change touches, reached only that way: only rules that read a plugin's
   * other referrers (Rule.readsPluginPeers) can change their findings.
   */
  peers: Set<string>;
}

/** Objects whose findings the change can alter. Bounded by the change's neighbourhood. */
export function affectedKeys(changedKey: string, sides: { tr: Translator; object: K8sObject | undefined }[]): Scope {
  const keys = new Set<string>([changedKey]);
  const peerCandidates = new Set<string>();
  // Our IngressClass becoming (or ceasing to be) the default adopts (or drops) every class-less object.
  const defaultFlips = new Set(sides.map(({ tr }) => tr.ourClassIsDefault())).size > 1;
  for (const { tr, object } of sides) {
    const view = tr.view;
    addDependants(view, changedKey, keys);
    if (defaultFlips) for (const o of view.lookup('classless', '*')) keys.add(keyOf(o));
    if (!object) continue;
    // A ReferenceGrant decides every remote plugin reference into its namespace.
    if (object.kind === 'ReferenceGrant') for (const o of view.lookup('remotePluginNamespace', object.metadata.namespace ?? '')) keys.add(keyOf(o));
    for (const dep of dependencies(object)) keys.add(refKey(dep.ref));
    // An EndpointSlice decides whether its Service has ready endpoints.
    const sliceOf = object.kind === 'EndpointSlice' ? label(object, SERVICE_NAME_LABEL) : undefined;
    if (sliceOf) keys.add(refKey({ group: '', kind: 'Service', namespace: object.metadata.namespace ?? '', name: sliceOf }));
    if (object.kind === 'IngressClass') {
      // Default classes are judged against each other; whether ours exists decides the class-less objects' warnings.
      for (const c of view.list('IngressClass')) keys.add(keyOf(c));
      if (object.metadata.name === tr.config.ingressClass) for (const o of view.lookup('classless', '*')) keys.add(keyOf(o));
    }
    // Plugin scoping: every referrer of a plugin the object references (or of the object, if it is a plugin).
    const plugins = object.kind === 'KongPlugin' || object.kind === 'KongClusterPlugin' ? [object] : tr.pluginsOf(object).flatMap((p) => (p.plugin ? [p.plugin] : []));
    for (const plugin of plugins) for (const r of tr.referrersOf(plugin)) peerCandidates.add(keyOf(r));
    for (const name of CONFLICT_INDEXES) for (const k of INDEXES[name](object)) for (const o of view.lookup(name, k)) keys.add(keyOf(o));
    // Credentials: consumers of Secrets holding the same credential as this Secret or this consumer's Secrets.
    const secrets = object.kind === 'Secret' ? [object] : object.kind === 'KongConsumer' ? dependencies(object).flatMap((d) => (d.ref.kind === 'Secret' ? [view.get(refKey(d.ref))] : [])) : [];
    for (const secret of secrets) {
      if (!secret) continue;
      for (const k of INDEXES.credential(secret)) for (const same of view.lookup('credential', k)) for (const c of view.lookup('dependants', keyOf(same))) keys.add(keyOf(c));
    }
  }
  return { keys, peers: new Set([...peerCandidates].filter((k) => !keys.has(k))) };
}

function addDependants(view: StateView, key: string, into: Set<string>): void {
  const stack = [key];
  while (stack.length) {
    for (const dependant of view.lookup('dependants', stack.pop()!)) {
      const k = keyOf(dependant);
      if (!into.has(k)) {
        into.add(k);
        stack.push(k);
      }
    }
  }
}
