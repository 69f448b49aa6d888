/**
 * @module open-secrets
 * The one place where the apply side turns SOPS-encrypted objects of the branch into the
 * objects it applies: in memory, right before planning and server-side apply. The plaintext
 * never leaves memory: the report names the object and the reason only, and the applied-digest
 * of a decrypted object is keyed (plan/digest.ts) so that neither the annotation nor a re-run
 * after re-encryption to other recipients reveals or changes anything.
 *
 * An object that cannot be decrypted (no identity matches, its MAC does not verify) fails alone:
 * it is reported as a failure of its file and left out, and, as for a file that does not parse,
 * nothing is pruned on that member until it decrypts again.
 */
import { formatRef, type KubeObject } from '../../object.js';
import { digestKeyOf, keyringFor, type DecryptionSettings, type SecretReader } from '../../secrets/keyring.js';
import { KubeClient, loadKubeConfig } from '../member/kube-client.js';
import { openSealed, SopsError, type Keyring } from '../../secrets/open.js';
import type { DesiredObject, FileFailure, ParsedCluster } from './manifests.js';

/** Decrypted objects by the encrypted object they came from and the keyring that opened them. */
const opened = new WeakMap<object, { readonly keyring: Keyring; readonly desired: DesiredObject }>();
/**
 * Plaintext by file text, per keyring: every member of a fleet gets the same file, and unwrapping
 * a data key costs an X25519 operation. In memory only, bounded; read-only like every desired object.
 */
const byText = new WeakMap<Keyring, Map<string, Promise<KubeObject>>>();
const MAX_TEXTS = 10_000;

function plaintextOf(d: DesiredObject, keyring: Keyring): Promise<KubeObject> {
  let texts = byText.get(keyring);
  if (!texts) byText.set(keyring, (texts = new Map()));
  let p = texts.get(d.sealed!);
  if (!p) {
    if (texts.size >= MAX_TEXTS) texts.clear();
    p = openSealed(d.obj, d.sealed!, keyring);
    texts.set(d.sealed!, p);
    // A failure is not kept: the next attempt may have the key.
    p.catch(() => texts.delete(d.sealed!));
  }
  return p;
}
/** Whole clusters whose every encrypted object opened, so a re-sync hands planning the same objects. */
const clusters = new WeakMap<ParsedCluster, { readonly keyring: Keyring; readonly parsed: ParsedCluster }>();

async function openOne(d: DesiredObject, keyring: Keyring): Promise<DesiredObject> {
  const hit = opened.get(d.obj);
  if (hit && hit.keyring === keyring) return hit.desired;
  const obj = await plaintextOf(d, keyring);
  const desired: DesiredObject = { ref: d.ref, obj, file: d.file, digestKey: digestKeyOf(keyring) };
  opened.set(d.obj, { keyring, desired });
  return desired;
}

/** The cluster's objects with every encrypted one decrypted, or failed with its reason. */
/**
 * decryption.secretRef's Secret, read with the default kubeconfig chain (in a pod, its service
 * account): through the one client apply talks to clusters with.
 */
const readDecryptionSecret: SecretReader = async (namespace, name, context) => {
  const kc = loadKubeConfig();
  const client = await KubeClient.connect(kc, 'decryption', context ?? kc.getCurrentContext(), { timeoutMs: 10_000 });
  try {
    const secret = await client.get({ group: '', version: 'v1', kind: 'Secret', namespace, name });
    return secret === undefined ? undefined : ((secret as { data?: Record<string, string> }).data ?? {});
  } finally {
    client.close();
  }
};

export async function openSecrets(parsed: ParsedCluster, settings: DecryptionSettings): Promise<ParsedCluster> {
  if (!parsed.objects.some((d) => d.sealed !== undefined)) return parsed;
  let keyring = await keyringFor(settings, { readSecret: readDecryptionSecret });
  const hit = clusters.get(parsed);
  if (hit && hit.keyring === keyring) return hit.parsed;

  const objects: DesiredObject[] = [];
  const failures: FileFailure[] = [...parsed.failures];
  let retried = false;
  for (const d of parsed.objects) {
    if (d.sealed === undefined) {
      objects.push(d);
      continue;
    }
    for (;;) {
      try {
        objects.push(await openOne(d, keyring));
        break;
      } catch (err) {
        if (!(err instanceof SopsError)) throw err;
        // A Secret holding the identities may have been given a new key since it was read.
        if (!retried && /no age identity/.test(err.message)) {
          retried = true;
          const fresh = await keyringFor(settings, { retry: true, readSecret: readDecryptionSecret });
          if (fresh !== keyring) {
            keyring = fresh;
            continue;
          }
        }
        failures.push({ file: d.file, message: `${formatRef(d.ref)}: cannot decrypt: ${err.message}` });
        break;
      }
    }
  }
  const out: ParsedCluster = { objects, failures };
  if (failures.length === parsed.failures.length) clusters.set(parsed, { keyring, parsed: out });
  return out;
}
