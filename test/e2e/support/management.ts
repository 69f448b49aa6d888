/**
 * A management cluster and extra members for the controller tests, started by the test file
 * itself beside the run's shared members: one more etcd, and a kube-apiserver per name (no
 * controller manager, scheduler or kwok: Leases, CRDs and ConfigMaps need none, and the two
 * cores are shared). The returned kubeconfig of the members merges the run's members and these.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { findBinaries, stopSet, up, type DevState } from '../../../src/dev/index.js';
import { KubeClient } from '../../../src/apply/member/kube-client.js';
import { memberKubeconfig } from './members.js';
import { eventually } from './wait.js';

interface KubeconfigDoc {
  clusters: { name: string }[];
  users: { name: string }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

export interface ExtraClusters {
  readonly state: DevState;
  /** Kubeconfig of the extra set alone (one context per name). */
  readonly kubeconfig: string;
  /** A kubeconfig whose only context is `management`'s. */
  readonly management: string;
  /** The run's members and the extra members (not the management cluster). */
  readonly members: string;
  readonly memberNames: readonly string[];
  stop(): Promise<void>;
}

function load(file: string): KubeconfigDoc {
  return yaml.load(fs.readFileSync(file, 'utf8')) as KubeconfigDoc;
}

/** A kubeconfig (YAML) holding only the context `name` of `file`, as a member Secret carries it. */
export function singleContext(file: string, name: string): string {
  return yaml.dump(only(load(file), [name]));
}

function only(doc: KubeconfigDoc, names: readonly string[]): KubeconfigDoc {
  const contexts = doc.contexts.filter((c) => names.includes(c.name));
  return {
    ...doc,
    contexts,
    clusters: doc.clusters.filter((c) => contexts.some((x) => x.context.cluster === c.name)),
    users: doc.users.filter((u) => contexts.some((x) => x.context.user === u.name)),
    'current-context': contexts[0]?.name ?? '',
  };
}

/** Starts `management` and `extra` members in `dir`; the run's shared members come first in `members`. */
export async function startExtraClusters(dir: string, management: string, extra: readonly string[]): Promise<ExtraClusters> {
  const found = findBinaries();
  const binaries = { ...found, paths: { etcd: found.paths.etcd, 'kube-apiserver': found.paths['kube-apiserver'] } };
  const kubeconfig = path.join(dir, 'extra.kubeconfig');
  const state = await up({ kubeconfig, names: [management, ...extra], workloads: [], binaries, ownerPid: process.pid, log: () => undefined });
  const doc = load(kubeconfig);
  const mgmtFile = path.join(dir, 'management.kubeconfig');
  fs.writeFileSync(mgmtFile, yaml.dump(only(doc, [management])), { mode: 0o600 });
  const shared = load(memberKubeconfig());
  const sharedNames = shared.contexts.map((c) => c.name);
  const extraDoc = only(doc, extra);
  const merged: KubeconfigDoc = {
    ...shared,
    clusters: [...shared.clusters, ...extraDoc.clusters],
    users: [...shared.users, ...extraDoc.users],
    contexts: [...shared.contexts, ...extraDoc.contexts],
  };
  const membersFile = path.join(dir, 'members.kubeconfig');
  fs.writeFileSync(membersFile, yaml.dump(merged), { mode: 0o600 });
  return { state, kubeconfig, management: mgmtFile, members: membersFile, memberNames: [...sharedNames, ...extra], stop: async () => void (await stopSet(state)) };
}

const clients = new Map<string, Promise<KubeClient>>();

/** An admin client for a context of a kubeconfig file. */
export function clientFor(kubeconfig: string, context: string): Promise<KubeClient> {
  const key = `${kubeconfig}#${context}`;
  let c = clients.get(key);
  if (!c) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    clients.set(key, (c = KubeClient.connect(kc, context, context, { concurrency: 8 })));
  }
  return c;
}

const CRD_FILE = path.resolve('deploy/base/crd.yaml');

/** Installs the MemberStatus CRD on the management cluster and waits until it is served. */
export async function installCrd(mgmt: KubeClient): Promise<void> {
  const crd = yaml.load(fs.readFileSync(CRD_FILE, 'utf8')) as { metadata: { name: string } };
  await mgmt.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
  await eventually('MemberStatus served', async () => {
    const { body } = await mgmt.request<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
    return body.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
  });
}

