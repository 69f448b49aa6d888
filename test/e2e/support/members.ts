/**
 * The member clusters of an e2e run. The global setup starts member1, member2 and member3
 * (member1 also runs kube-scheduler and kwok, so only there do Deployments become Available),
 * or, with USE_EXISTING_CLUSTER=true, takes every context of $KUBECONFIG.
 */
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { inject } from 'vitest';
import { findBinaries, type BinaryName } from '../../../src/dev/index.js';
import { KUBECONFIG_ENV } from './provided.js';

/** The kubeconfig holding one context per member, named after the member. */
export function memberKubeconfig(): string {
  const path = inject('gitfedKubeconfig') ?? process.env[KUBECONFIG_ENV];
  if (!path) throw new Error('no member kubeconfig: is test/e2e/global-setup.ts the globalSetup of this project?');
  return path;
}

/** Member names in kubeconfig order; GITFED_E2E_MEMBERS=a,b narrows an existing cluster's list. */
export function memberNames(): string[] {
  const doc = yaml.load(readFileSync(memberKubeconfig(), 'utf8')) as { contexts?: { name: string }[] };
  const all = (doc.contexts ?? []).map((c) => c.name);
  const only = process.env.GITFED_E2E_MEMBERS?.split(',').map((s) => s.trim()).filter(Boolean);
  return only ? all.filter((n) => only.includes(n)) : all;
}

/** The member whose pods really run (kwok); GITFED_E2E_WORKLOADS_MEMBER for existing clusters. */
export function workloadsMember(): string {
  const name = process.env.GITFED_E2E_WORKLOADS_MEMBER ?? memberNames()[0];
  if (!name) throw new Error('no members in the e2e kubeconfig');
  return name;
}

/** A client-node KubeConfig whose current context is the member. */
export function memberKubeConfig(member: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(memberKubeconfig());
  if (!kc.getContextObject(member)) throw new Error(`no context ${member} in ${memberKubeconfig()}`);
  kc.setCurrentContext(member);
  return kc;
}

/** Path of a control-plane binary (kubectl, …), found the way `gitfed dev` finds them. */
export function controlPlaneBinary(name: BinaryName): string {
  const path = findBinaries().paths[name];
  if (!path) throw new Error(`${name} not found; run npm run controlplane or set KUBEBUILDER_ASSETS`);
  return path;
}
