// CA certificates: Secrets and ConfigMaps labelled konghq.com/ca-cert: "true", which KIC turns into Kong
// ca_certificates (translator/translate_cacerts.go, getCACerts). KIC checks each one and skips those it cannot use
// with a translation failure; what references their id (plugins' and Services' ca_certificates) then verifies
// against nothing. The id is passed on unchecked, and Kong requires it to be a UUID.
import { keyOf, refOf } from '../model/object.ts';
import { CA_CERT_LABEL } from '../model/ca-certificate.ts';
import { caCertificateOf } from '../model/secret.ts';
import { olderFirst } from '../state/view.ts';
import type { Draft, Rule } from './rule.ts';
import { name } from './text.ts';
import { KONG_BASE } from './example-base.ts';

/** A real self-signed CA certificate (EC P-256, CA:TRUE, valid until 2126), public like every CA certificate. */
const EXAMPLE_CA = `-----BEGIN CERTIFICATE-----
MIIBpDCCAUmgAwIBAgIUSqgJ8KfvSuPVH0HMG0nFZAgfNZwwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTZXhhbXBsZS1pbnRlcm5hbC1jYTAgFw0yNjEyMDEwMjMwMzRa
GA8yMTI2MTEwNzAyMzAzNFowHjEcMBoGA1UEAwwTZXhhbXBsZS1pbnRlcm5hbC1j
YTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABN0RYKyq4DyOfoBkhqcp9rxhebJx
a89wvY/eGqhj/487+yyyGgoUbK7TOkZWsx5oJXDHoQh9Mt9RXUmsz/elH3+jYzBh
MB0GA1UdDgQWBBRg8yBY/XbXwJ1jlw9YEEtTTVnZWTAfBgNVHSMEGDAWgBRg8yBY
/XbXwJ1jlw9YEEtTTVnZWTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIB
BjAKBggqhkjOPQQDAgNJADBGAiEAx3Cfqc03x2RFsnF/s/WJtbEhmlovOLrkkBW6
JoTFXhICIQDPuS+id0NCVzk5ELrOuE43HLaxwCtuNwWOCsCpS9/CUQ==
-----END CERTIFICATE-----`;

const caConfigMap = (id: string) => `${KONG_BASE}---
apiVersion: v1
kind: ConfigMap
metadata: {name: internal-ca, namespace: default, labels: {${CA_CERT_LABEL}: "true"}}
data:
  id: ${id}
  ca.crt: |
${EXAMPLE_CA.split('\n').map((l) => `    ${l}`).join('\n')}
`;

const SKIPPED = 'KIC skips it, so plugins and Services that name its id in ca_certificates verify against nothing';

export const invalidCaCertificate: Rule = {
  id: 'invalid-ca-certificate',
  severity: 'deny',
  summary: 'A Secret or ConfigMap labelled konghq.com/ca-cert: "true" that KIC cannot turn into a Kong CA certificate, or whose id Kong refuses.',
  explanation:
    'KIC reads every Secret and ConfigMap labelled konghq.com/ca-cert: "true" (any class) as a Kong CA certificate. It skips, with a translation failure, ' +
    'one without an "id" entry, one whose id another such object (older) already has, and one whose "cert" (or "ca.crt") entry is not exactly one PEM ' +
    'certificate of a CA that has not expired. The id itself is passed on unchecked: Kong requires a UUID and rejects the whole configuration otherwise.',
  examples: { bad: caConfigMap('internal-ca'), good: caConfigMap('4f3a8c1e-2b7d-4c5e-9a0f-1d2e3f4a5b6c') },
  kinds: ['Secret', 'ConfigMap'],
  check({ view, now }, subject) {
    const facts = caCertificateOf(subject);
    if (!facts) return [];
    const source = subject.kind === 'Secret' ? 'secret' : 'configmap';
    if (!facts.id) {
      return [
        {
          field: 'data.id',
          related: [],
          message: `${name(subject)} is labelled ${CA_CERT_LABEL}: "true" but has no "id" entry. ${SKIPPED} ("invalid ${source} CA certificate: missing 'id' field in data").`,
          fix: `add an "id" entry holding a UUID, the id that ca_certificates lists name.`,
        },
      ];
    }
    // KIC keeps the oldest object of an id and checks only that one (two passes in getCACerts).
    const winner = view.lookup('caCertificateId', facts.id.digest).sort(olderFirst(view, keyOf))[0];
    if (winner && keyOf(winner) !== keyOf(subject)) {
      return [
        {
          field: 'data.id',
          related: [refOf(winner)],
          message: `${name(subject)} has the same CA certificate "id" as ${name(winner)}. KIC keeps the older ${name(winner)} and skips this one ("invalid ${source} CA certificate: duplicate 'id' field in multiple objects").`,
          fix: `give ${subject.metadata.name} its own id (a UUID), or remove the ${CA_CERT_LABEL} label from the copy.`,
        },
      ];
    }
    const drafts: Draft[] = [];
    if (!facts.id.uuid) {
      drafts.push({
        field: 'data.id',
        discriminator: 'id',
        related: [],
        kongRejects: true,
        message: `${name(subject)} has a CA certificate "id" that is not a UUID. KIC passes it to Kong as the ca_certificate's id, and Kong rejects the configuration ("id: expected a valid UUID").`,
        fix: `set "id" to a UUID (for example from uuidgen), and the ca_certificates lists that name it.`,
      });
    }
    const error = facts.error ?? (facts.notAfter && Date.parse(facts.notAfter) < now.getTime() ? 'expired' : undefined);
    if (error) {
      drafts.push({
        field: `data.${facts.field ?? 'cert'}`,
        discriminator: 'certificate',
        related: [],
        message: `${name(subject)} does not hold a usable CA certificate (${error}). ${SKIPPED} ("invalid ${source} CA certificate: ${error}").`,
        fix: error === 'expired' ? 'renew the CA certificate.' : `put exactly one PEM certificate of a CA (basicConstraints CA:TRUE) under "cert" or "ca.crt".`,
      });
    }
    return drafts;
  },
};

export const CA_CERTIFICATE_RULES: readonly Rule[] = [invalidCaCertificate];
