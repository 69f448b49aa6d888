/**
 * Where an object goes, chosen once and then spelled twice: as KubeFed placement or Karmada
 * cluster affinity for the fleet repo, and as the resulting cluster list for the kustomize side.
 * The list is computed here from the labels, independently of gitfed's own selector code.
 */
import { REGIONS, TIERS } from './clusters.js';
import type { BenchCluster } from './model.js';
import type { Rng } from './prng.js';

export type Choice =
  | { readonly form: 'all' }
  | { readonly form: 'label'; readonly key: 'tier' | 'provider'; readonly value: string }
  | { readonly form: 'regionIn'; readonly regions: readonly string[] }
  | { readonly form: 'tierNotIn'; readonly tiers: readonly string[] }
  | { readonly form: 'names'; readonly names: readonly string[] }
  | { readonly form: 'allExcept'; readonly names: readonly string[] };

export type Form = Choice['form'];

export function matches(choice: Choice, c: BenchCluster): boolean {
  switch (choice.form) {
    case 'all': return true;
    case 'label': return c.labels[choice.key] === choice.value;
    case 'regionIn': return choice.regions.includes(c.labels.region);
    case 'tierNotIn': return !choice.tiers.includes(c.labels.tier);
    case 'names': return choice.names.includes(c.name);
    case 'allExcept': return !choice.names.includes(c.name);
  }
}

export function clustersOf(choice: Choice, clusters: readonly BenchCluster[]): string[] {
  return clusters.filter((c) => matches(choice, c)).map((c) => c.name);
}

function draw(rng: Rng, form: Form, clusters: readonly BenchCluster[]): Choice {
  switch (form) {
    case 'all': return { form };
    case 'label': return rng.chance(0.7) ? { form, key: 'tier', value: rng.pick(['prod', 'prod', 'staging']) } : { form, key: 'provider', value: rng.pick(['aws', 'gcp', 'azure', 'onprem']) };
    case 'regionIn': return { form, regions: rng.sample(REGIONS, rng.int(2, 3)) };
    case 'tierNotIn': return { form, tiers: [rng.pick(TIERS)] };
    case 'names': return { form, names: rng.sample(clusters, Math.max(1, Math.round(clusters.length * (0.1 + rng.next() * 0.3)))).map((c) => c.name) };
    case 'allExcept': return { form, names: rng.sample(clusters, Math.max(1, Math.round(clusters.length * 0.05))).map((c) => c.name) };
  }
}

/** A choice of the given forms (weighted by repetition) that selects at least one cluster. */
export function choose(rng: Rng, forms: readonly Form[], clusters: readonly BenchCluster[]): { choice: Choice; names: string[] } {
  for (;;) {
    const choice = draw(rng, rng.pick(forms), clusters);
    const names = clustersOf(choice, clusters);
    if (names.length > 0) return { choice, names };
  }
}

/** KubeFed spec.placement. */
export function kubefedPlacement(choice: Choice): object {
  switch (choice.form) {
    case 'all': return { clusterSelector: {} };
    case 'label': return { clusterSelector: { matchLabels: { [choice.key]: choice.value } } };
    case 'regionIn': return { clusterSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: [...choice.regions] }] } };
    case 'tierNotIn': return { clusterSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [...choice.tiers] }] } };
    case 'names': return { clusters: choice.names.map((name) => ({ name })) };
    case 'allExcept': throw new Error('KubeFed placement has no exclude list');
  }
}

/** Karmada placement.clusterAffinity. */
export function karmadaAffinity(choice: Choice): object {
  switch (choice.form) {
    case 'all': return {};
    case 'label': return { labelSelector: { matchLabels: { [choice.key]: choice.value } } };
    case 'regionIn': return { labelSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: [...choice.regions] }] } };
    case 'tierNotIn': return { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [...choice.tiers] }] } };
    case 'names': return { clusterNames: [...choice.names] };
    case 'allExcept': return { exclude: [...choice.names] };
  }
}
