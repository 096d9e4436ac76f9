// The image and the npm package, read statically (no Docker engine needed): the Dockerfile runs the Node the tests
// run on, builds without install scripts, carries OCI labels, runs as a numeric non-root user matching the
// Deployment, and reads its certificate where the Deployment mounts it; the package ships a build and a license.
// .ci/image-steps runs the Dockerfile's RUN steps for real in a temporary copy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULTS, deploymentManifest, TLS_MOUNT } from '../../src/deploy/manifests.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// Continuation lines joined, comments dropped: one instruction per entry.
const instructions = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));
const stages = instructions.join('\n').split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
const runtime = stages[stages.length - 1]!;
const argDefault = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(instructions.join('\n'))?.[1];

test('Dockerfile: every stage is node:<the tests\' Node>-bookworm-slim', () => {
  assert.match(pkg.devDependencies.node, /^\d+\.\d+\.\d+$/, 'the node devDependency is pinned exactly');
  assert.equal(argDefault('NODE_VERSION'), pkg.devDependencies.node);
  assert.equal(stages.length, 3);
  for (const s of stages) assert.match(s, /^FROM node:\$\{NODE_VERSION\}-bookworm-slim( AS \w+)?$/m);
});

test('Dockerfile: no install scripts in any stage; the build is npm run build on the image\'s node', () => {
  const npmCi = instructions.filter((l) => /\bnpm ci\b/.test(l));
  assert.equal(npmCi.length, 2);
  for (const l of npmCi) assert.match(l, /npm ci [^&]*--ignore-scripts/, l);
  assert.match(stages[0]!, /^RUN npm run build$/m);
  assert.equal(pkg.scripts.build, 'tsc -p tsconfig.build.json', 'tsc through PATH: the image\'s node, as the node package is not installed');
  assert.match(runtime, /^COPY --from=deps .*node_modules/m);
  assert.match(stages[1]!, /npm ci --omit=dev/);
});

test('Dockerfile: OCI labels from package.json, version through a build-arg', () => {
  const labels = Object.fromEntries([...runtime.matchAll(/(org\.opencontainers\.image\.[a-z]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  assert.deepEqual(Object.keys(labels).sort(), ['description', 'licenses', 'source', 'title', 'version'].map((k) => `org.opencontainers.image.${k}`));
  assert.equal(labels['org.opencontainers.image.licenses'], pkg.license);
  assert.equal(labels['org.opencontainers.image.title'], pkg.name);
  assert.equal(labels['org.opencontainers.image.description'], pkg.description);
  assert.equal(labels['org.opencontainers.image.version'], '${VERSION}');
  assert.equal(argDefault('VERSION'), pkg.version);
  assert.match(labels['org.opencontainers.image.source']!, /^\$\{SOURCE\}$/);
  assert.match(argDefault('SOURCE')!, /^https:\/\//);
});

test('Dockerfile: numeric non-root user, the Deployment\'s; certificate paths where the Deployment mounts the Secret', () => {
  const user = /^USER (\d+):(\d+)$/m.exec(runtime);
  assert.ok(user, 'USER uid:gid, numeric so runAsNonRoot can verify it');
  const pod = deploymentManifest(DEFAULTS).object as any;
  const c = pod.spec.template.spec.containers[0];
  assert.deepEqual([Number(user[1]), Number(user[2])], [c.securityContext.runAsUser, c.securityContext.runAsGroup]);
  assert.notEqual(Number(user[1]), 0);
  const env = Object.fromEntries([...runtime.matchAll(/(INGRESS_GUARD_TLS_(?:CERT|KEY))=(\S+)/g)].map((m) => [m[1], m[2]]));
  assert.deepEqual(env, { INGRESS_GUARD_TLS_CERT: `${TLS_MOUNT}/tls.crt`, INGRESS_GUARD_TLS_KEY: `${TLS_MOUNT}/tls.key` });
  const mount = c.volumeMounts.find((m: { name: string }) => m.name === 'tls');
  assert.equal(mount.mountPath, TLS_MOUNT);
  assert.equal(mount.readOnly, true);
  assert.match(runtime, /^ENTRYPOINT \["node", "dist\/cli\/main\.js"\]$/m);
  assert.equal(pkg.bin['ingress-guard'], 'dist/cli/main.js');
});

test('.dockerignore keeps every file the Dockerfile copies from the context', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const copied = instructions.filter((l) => /^COPY (?!--from)/.test(l)).flatMap((l) => l.replace(/^COPY (--\S+ )*/, '').split(/\s+/).slice(0, -1));
  assert.deepEqual(copied.sort(), ['LICENSE', 'package-lock.json', 'package-lock.json', 'package.json', 'package.json', 'package.json', 'src', 'tsconfig.build.json', 'tsconfig.json'].sort());
  const matches = (pattern: string, file: string) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file);
  for (const f of copied) assert.ok(!ignored.some((p) => matches(p, f)), `${f} is excluded by .dockerignore`);
});

test('package: Apache-2.0 license text, a build before every pack, no source maps to unshipped files', () => {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  assert.equal(pkg.license, 'Apache-2.0');
  assert.match(license, /^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
  for (const section of ['TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION', '9. Accepting Warranty or Additional Liability.', 'END OF TERMS AND CONDITIONS', 'APPENDIX: How to apply the Apache License to your work.']) assert.ok(license.includes(section), section);
  assert.ok(pkg.files.includes('LICENSE') && pkg.files.includes('dist'));
  assert.equal(pkg.scripts.prepack, 'npm run build', 'npm pack never ships an empty dist/');
  const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
  assert.ok(!build.compilerOptions.sourceMap || pkg.files.includes('src'), 'source maps would point at src/, which is not shipped');
  assert.equal(pkg.engines.node, '>=24 <25');
});
