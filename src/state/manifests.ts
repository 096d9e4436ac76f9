// Loads manifests from files, directories and stdin into frozen K8sObjects, the way `kubectl apply -f` reads them.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments, parseDocument, type Document } from 'yaml';
import { withArticle } from '../model/english.ts';
import { kindInfo } from '../model/kinds.ts';
import { isReadSecret } from '../model/secret-selection.ts';
import { isCaCertificateSource } from '../model/ca-certificate.ts';
import { groupOf, isRecord, MAX_OBJECT_DEPTH, metadataProblem, nestedDeeperThan, type K8sObject } from '../model/object.ts';

export interface LoadedObject {
  object: K8sObject;
  /** File path or `stdin`. */
  source: string;
  /** 0-based document index within the source (list items share their list's index). */
  index: number;
}

export interface LoadProblem {
  source: string;
  /** 0-based document index, or -1 when the source itself could not be read. */
  index: number;
  message: string;
}

export interface LoadResult {
  objects: LoadedObject[];
  problems: LoadProblem[];
  /** Documents of kinds the engine does not read. */
  ignored: number;
}

export interface ParseOptions {
  defaultNamespace?: string;
}

export interface LoadOptions extends ParseOptions {
  stdin?: NodeJS.ReadableStream;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Parses one source's text. JSON is YAML, but a `.json` source is a single document. */
export function parseManifests(text: string, source: string, options: ParseOptions = {}): LoadResult {
  const result: LoadResult = { objects: [], problems: [], ignored: 0 };
  // Warnings (a mapping used as a key, ...) would go to the process's stderr; what matters becomes a problem below.
  const yamlOptions = { logLevel: 'error' } as const;
  const docs: Document[] = source.toLowerCase().endsWith('.json') ? [parseDocument(text, yamlOptions)] : parseAllDocuments(text, yamlOptions);
  const defaultNamespace = options.defaultNamespace ?? 'default';
  docs.forEach((doc, index) => {
    const where = `${source}, document ${index}`;
    const problem = (message: string): void => void result.problems.push({ source, index, message: `${where}: ${message}` });
    // Only the first line: later lines quote the source, which may hold Secret values.
    if (doc.errors.length > 0) return problem(`invalid YAML: ${firstLine(doc.errors[0]!.message)}`);
    if (doc.contents === null) return; // empty or comment-only
    let value: unknown;
    try {
      value = doc.toJS(); // keeps yaml's default alias limit against alias bombs
    } catch (err) {
      return problem(`invalid YAML: ${firstLine((err as Error).message)}`);
    }
    if (value === null || value === undefined) return; // an explicit `null` document is empty too
    const list = listOf(value);
    if (!list) return accept(value, problem);
    list.items.forEach((item, i) => {
      const itemProblem = (message: string): void =>
        void result.problems.push({ source, index, message: `${where}, item ${i}: ${message}` });
      // `kubectl get` prints typed lists' items without kind/apiVersion; the list carries them.
      if (list.itemKind && isRecord(item)) {
        item = { ...item, kind: item.kind ?? list.itemKind, apiVersion: item.apiVersion ?? list.apiVersion };
      }
      accept(item, itemProblem);
    });

    function accept(value: unknown, problem: (message: string) => void): void {
      if (!isRecord(value)) return problem(`not a Kubernetes object (expected a mapping, found ${typeName(value)})`);
      const missing = (['apiVersion', 'kind'] as const).filter((f) => !nonEmptyString(value[f]));
      if (missing.length > 0) return problem(`not a Kubernetes object (missing ${missing.map((f) => `"${f}"`).join(', ')})`);
      const info = kindInfo(groupOf(value.apiVersion as string), value.kind as string);
      // Unknown kinds (kustomization.yaml, CRDs, Deployments...) are not ours to judge, even when malformed.
      if (!info) return void result.ignored++;
      // Secrets of the types the live view never lists either (src/model/secret-selection.ts).
      if (info.kind === 'Secret' && !isReadSecret(value)) return void result.ignored++;
      // ConfigMaps other than CA certificates, which the live view never lists either.
      if (info.kind === 'ConfigMap' && !isCaCertificateSource(value as K8sObject)) return void result.ignored++;
      const metadata = value.metadata;
      if (!isRecord(metadata) || !nonEmptyString(metadata.name)) {
        return problem(`not a Kubernetes object (missing "metadata.name")`);
      }
      // kubectl would refuse it too (e.g. an unquoted `true` as an annotation value).
      const metaProblem = metadataProblem(metadata);
      if (metaProblem) return problem(`not a valid Kubernetes object (${metaProblem})`);
      if (nestedDeeperThan(value, MAX_OBJECT_DEPTH)) return problem(`not a valid Kubernetes object (nests deeper than ${MAX_OBJECT_DEPTH} levels)`);
      if (info.namespaced) {
        if (!nonEmptyString(metadata.namespace)) metadata.namespace = defaultNamespace;
      } else {
        delete metadata.namespace; // the API server ignores it on cluster-scoped kinds; keys must not carry it
      }
      result.objects.push({ object: deepFreeze(value as K8sObject), source, index });
    }
  });
  return result;
}

/** Loads every path in order; `-` reads all of stdin. Unreadable paths become problems, never throws. */
export async function loadManifests(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { objects: [], problems: [], ignored: 0 };
  const add = (part: LoadResult): void => {
    result.objects.push(...part.objects);
    result.problems.push(...part.problems);
    result.ignored += part.ignored;
  };
  for (const path of paths) {
    if (path === '-') {
      add(parseManifests(await readAll(options.stdin ?? process.stdin), 'stdin', options));
      continue;
    }
    let files: string[];
    try {
      files = (await stat(path)).isDirectory() ? (await walk(path)).sort(byCodeUnit) : [path];
    } catch (err) {
      result.problems.push({ source: path, index: -1, message: readError(path, err) });
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        result.problems.push({ source: file, index: -1, message: readError(file, err) });
        continue;
      }
      add(parseManifests(text, file, options));
    }
  }
  return result;
}

/** Manifest files under `dir`, skipping hidden entries and node_modules. Symlinked dirs are not followed (cycles). */
async function walk(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
      if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile())) files.push(path);
    }
  }
  return files;
}

interface ListShape {
  items: unknown[];
  apiVersion: unknown;
  /** Set for typed lists (`IngressList` → `Ingress`); undefined for the generic `List`. */
  itemKind: string | undefined;
}

function listOf(value: unknown): ListShape | undefined {
  if (!isRecord(value) || typeof value.kind !== 'string' || !value.kind.endsWith('List')) return undefined;
  if (!Array.isArray(value.items)) return undefined;
  const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
  return { items: value.items, apiVersion: value.apiVersion, itemKind };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function readError(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file or directory`;
  if (code === 'EACCES') return `${path}: permission denied`;
  return `${path}: cannot read (${code ?? (err as Error).message})`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'a sequence' : value === null ? 'null' : withArticle(typeof value);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.replace(/:\s*$/, '');
}

// Plain code-unit order, so the walk order does not depend on the locale.
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
