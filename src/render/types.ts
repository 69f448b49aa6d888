/**
 * The render layer's vocabulary. Every engine (KubeFed, Karmada) consumes SourceObjects and
 * Clusters and produces RenderedObjects plus Diagnostics and Explanations; emit turns the
 * RenderedObjects into the output tree. Nothing here knows about git or about applying.
 */
import type { FailurePolicy, ResolvedWave } from '../rollout/policy.js';
import type { ErrorCode, WarningCode } from '../errors.js';
import type { CopyMemo } from './copy-memo.js';
import type { TemplateSchemas } from './schema/templates.js';

/** Where a document came from: repo-relative path, 1-based line of the document's first line. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
}

import type { KubeObject, ObjectKey } from '../object.js';
import type { FleetState } from '../state/model.js';

/** The object model is shared by every layer; render re-exports it for its callers. */
export type { KubeObject, ObjectKey } from '../object.js';

/** One YAML document of the fleet repo, with its position for error messages. */
export interface SourceObject {
  readonly obj: KubeObject;
  readonly pos: SourcePos;
  /**
   * Resolves a dotted/indexed field path (e.g. "spec.overrides[0].clusterOverrides[1].path")
   * to the line it sits on, for schema errors; falls back to the document's line.
   */
  readonly lineOf: (path: readonly (string | number)[]) => number;
  /** A SOPS-encrypted document's file text, which goes to the branch unchanged (render/sealed.ts). */
  readonly verbatim?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  /** When it was added (unix seconds); only taints derived from observed readiness have one. */
  timeAdded?: number;
}

/** A member cluster of the fleet, from a KubeFedCluster or a Karmada Cluster document. */
export interface Cluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly provider?: string;
  readonly region?: string;
  /** Karmada `spec.zones` (or the legacy single `spec.zone`), sorted as written. */
  readonly zones: readonly string[];
  readonly taints: readonly Taint[];
  /** Kubeconfig context the apply side should use; defaults to the cluster name. */
  readonly context?: string;
  readonly pos: SourcePos;
}

/** One object that one member cluster gets. */
export interface RenderedObject {
  readonly cluster: string;
  readonly obj: KubeObject;
  /** Identity of the federated/template object this came from, for reports and explain. */
  readonly origin: ObjectKey;
  readonly pos: SourcePos;
  readonly engine: 'kubefed' | 'karmada';
  /** The file's text as committed, for a SOPS-encrypted document: emitted instead of `obj`. */
  readonly text?: string;
  /**
   * The template `obj` was copied from, sharing every subtree no override wrote: the emitter
   * writes the text of such a subtree once for all clusters.
   */
  readonly base?: KubeObject;
}

export type Severity = 'warning' | 'error';

/** A finding of render: errors fail the render (exit 2), warnings are printed and kept in reports. */
export type Diagnostic = DiagnosticBase & DiagnosticKind;

/** Machine-readable reason, from the closed sets in src/errors.ts: an error code fails the render. */
export type DiagnosticKind = { readonly severity: 'error'; readonly code: ErrorCode } | { readonly severity: 'warning'; readonly code: WarningCode };
export type WarningDiagnostic = Extract<Diagnostic, { severity: 'warning' }>;

interface DiagnosticBase {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly object?: ObjectKey;
  readonly cluster?: string;
  /** How to fix it, where that is known. */
  readonly hint?: string;
}

/** Why an object went where it went: consumed by `gitfed explain`. Lines are plain sentences. */
export interface Explanation {
  readonly object: ObjectKey;
  readonly pos: SourcePos;
  readonly engine: 'kubefed' | 'karmada';
  /** Placement reasoning: which placement/policy matched, why the others lost. */
  readonly placement: string[];
  /** Cluster name -> replicas planned, where the object has replicas. */
  readonly replicas?: Readonly<Record<string, number>>;
  /** Replica arithmetic, step by step. */
  readonly scheduling: string[];
  /** Cluster name -> the overrides applied there, one line each. */
  readonly overrides: Readonly<Record<string, string[]>>;
  /** Final set of clusters. */
  readonly clusters: readonly string[];
}

/** gitfed.yaml, after defaults. */
export interface FleetConfig {
  /** minimatch globs of repo paths not read (in addition to the defaults). */
  readonly exclude: readonly string[];
  /** KubeFed object without spec.placement: 'none' (upstream code) or 'all' (the seeds' book). */
  readonly missingPlacement: 'none' | 'all';
  readonly outputs: readonly OutputSpec[];
  /** Karmada namespaces never propagated automatically. */
  readonly reservedNamespaces: readonly string[];
  /** Secrets whose values may stay readable in git (every render warns); default none. */
  readonly allowPlaintextSecrets?: readonly PlaintextSecretRule[];
}

/** gitfed.yaml `secrets.allowPlaintext[]`: a namespace, a name, or both must match. */
export interface PlaintextSecretRule {
  readonly namespace?: string;
  readonly name?: string;
}

export interface OutputSpec {
  /** Branch name; may contain `{cluster}` for one branch per cluster. */
  readonly branch: string;
  /** Directory per cluster inside the branch; `{cluster}` is replaced. */
  readonly dir: string;
  /** Which clusters this output holds; absent = all. matchLabels/matchExpressions against cluster labels. */
  readonly clusterSelector?: LabelSelector;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** What every engine receives. */
export interface EngineInput {
  readonly objects: readonly SourceObject[];
  readonly clusters: readonly Cluster[];
  readonly config: FleetConfig;
  /** Observed member state (`render --state`): live inputs for the decisions that need them. */
  readonly state?: FleetState;
  /** Checks each template against its kind's schema; absent, templates are not checked. */
  readonly schemas?: TemplateSchemas;
  /** Clusters' copies from an earlier render of this fleet on this thread, taken where made from the same. */
  readonly copies?: CopyMemo;
}

/** What every engine returns. Engines never throw for bad input: they return error diagnostics. */
export interface EngineOutput {
  readonly rendered: RenderedObject[];
  readonly diagnostics: Diagnostic[];
  readonly explanations: Explanation[];
  /** Source objects this engine consumed (so the orchestrator can report what nothing selected). */
  readonly consumed: ReadonlySet<SourceObject>;
}

/** One cluster's directory in an output branch, as emitted. */
export interface ClusterOutput {
  readonly cluster: string;
  /** Directory of the cluster inside the branch, e.g. `clusters/cloud-1` (no trailing slash). */
  readonly dir: string;
  /** Branch-root-relative path -> file content (one object per file, YAML, LF, trailing newline). */
  readonly files: ReadonlyMap<string, string>;
  readonly objects: number;
  /** sha256 hex over the cluster's files (sorted paths, each `path\0content\0`). */
  readonly digest: string;
  /** Kubeconfig context the inventory names for this member (annotation gitfed.io/context); a name, never a credential. */
  readonly context?: string;
  /** The inventory's labels of this member, so `apply -l` selects as `render -l` does; absent when it has none. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Everything one output branch holds, before git adds its metadata file and .gitattributes. */
export interface BranchOutput {
  readonly branch: string;
  readonly clusters: readonly ClusterOutput[];
  /** gitfed.yaml's rollout, its waves resolved against this branch's clusters; carried in the branch's metadata. */
  readonly rollout?: BranchRollout;
}

/** The waves a branch carries to whoever rolls it out (gitfed daemon, its pointer-branch mode). */
export interface BranchRollout {
  readonly failurePolicy: FailurePolicy;
  readonly waves: readonly ResolvedWave[];
}
