/**
 * Credentials made on the spot for one member: an admin token (kube-apiserver's static token
 * file, group system:masters) and a service-account signing key. No openssl: kube-apiserver
 * makes its own serving certificate in --cert-dir.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

export const ADMIN_USER = 'gitfed-admin';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** The token file's line format is `token,user,uid,"group1,group2"`. */
export function tokenFileLine(token: string, user: string = ADMIN_USER): string {
  return `${token},${user},${user},"system:masters"\n`;
}

/** An EC P-256 key in SEC1 PEM, which both kube-apiserver and kube-controller-manager read. */
export function serviceAccountKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return privateKey;
}

export function writeSecret(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
}
