/**
 * Error classes shared by every layer. Each carries what a user needs to find the problem:
 * the file and line, the object and the cluster, and where the fix is known, a hint. The CLI
 * maps GitfedError to exit code 2.
 *
 * Codes are a closed set: scripts match on them and the README documents them, so a new code is
 * a deliberate addition here (keep each list alphabetical, one code a line), and a misspelt one
 * is a compile error. test/unit/error-codes.test.ts checks the lists against the sources and the
 * README.
 */

import { formatRef, type ObjectIdentity } from './object.js';

/** Every code a GitfedError carries. */
export const ERROR_CODES = {
  AliasCycle: 'AliasCycle',
  AliasExpansion: 'AliasExpansion',
  AlreadyRunning: 'AlreadyRunning',
  Ambiguous: 'Ambiguous',
  AmbiguousRef: 'AmbiguousRef',
  AmbiguousType: 'AmbiguousType',
  ApiRequestFailed: 'ApiRequestFailed',
  BadName: 'BadName',
  BadQuery: 'BadQuery',
  BinariesMissing: 'BinariesMissing',
  BranchConflict: 'BranchConflict',
  BranchMoved: 'BranchMoved',
  BranchNotFound: 'BranchNotFound',
  BranchUnreadable: 'BranchUnreadable',
  ClusterExists: 'ClusterExists',
  ClusterNotFound: 'ClusterNotFound',
  ConfigInvalid: 'ConfigInvalid',
  ContextNotFound: 'ContextNotFound',
  CorruptObject: 'CorruptObject',
  CorruptRef: 'CorruptRef',
  CredentialsFailed: 'CredentialsFailed',
  DependencyCycle: 'DependencyCycle',
  DependencyInvalid: 'DependencyInvalid',
  DependencyNotFound: 'DependencyNotFound',
  DependentOverrideMissing: 'DependentOverrideMissing',
  DirectoryConflict: 'DirectoryConflict',
  DocumentNotFound: 'DocumentNotFound',
  DuplicateCluster: 'DuplicateCluster',
  DuplicateObject: 'DuplicateObject',
  DuplicateOverride: 'DuplicateOverride',
  DuplicateTypeConfig: 'DuplicateTypeConfig',
  EncryptedObjectChanged: 'EncryptedObjectChanged',
  FetchFailed: 'FetchFailed',
  FileNameCollision: 'FileNameCollision',
  FileNotFound: 'FileNotFound',
  FileTooLarge: 'FileTooLarge',
  FleetStateInvalid: 'FleetStateInvalid',
  FleetUnnamed: 'FleetUnnamed',
  GitConfigInvalid: 'GitConfigInvalid',
  ImportTargetNotEmpty: 'ImportTargetNotEmpty',
  InternalError: 'InternalError',
  InvalidAPIVersion: 'InvalidAPIVersion',
  InvalidArgument: 'InvalidArgument',
  InvalidBranch: 'InvalidBranch',
  InvalidCharacter: 'InvalidCharacter',
  InvalidClusterSelector: 'InvalidClusterSelector',
  InvalidCRD: 'InvalidCRD',
  InvalidFlag: 'InvalidFlag',
  InvalidKind: 'InvalidKind',
  InvalidLabel: 'InvalidLabel',
  InvalidName: 'InvalidName',
  InvalidOutput: 'InvalidOutput',
  InvalidOverridePath: 'InvalidOverridePath',
  InvalidPolicy: 'InvalidPolicy',
  InvalidRSP: 'InvalidRSP',
  InvalidUTF8: 'InvalidUTF8',
  InventoryCorrupt: 'InventoryCorrupt',
  KubeconfigExists: 'KubeconfigExists',
  KubeconfigNotFound: 'KubeconfigNotFound',
  MemberUnreachable: 'MemberUnreachable',
  MetadataInvalid: 'MetadataInvalid',
  MetadataMissing: 'MetadataMissing',
  MetadataSchema: 'MetadataSchema',
  MissingNamespace: 'MissingNamespace',
  MissingSourceTime: 'MissingSourceTime',
  NamespaceMissing: 'NamespaceMissing',
  NoKindMatch: 'NoKindMatch',
  NoReport: 'NoReport',
  NotACommit: 'NotACommit',
  NotARepository: 'NotARepository',
  NotFound: 'NotFound',
  NothingToRender: 'NothingToRender',
  NotRegularFile: 'NotRegularFile',
  NotRunning: 'NotRunning',
  ObjectNotFound: 'ObjectNotFound',
  OutputCollision: 'OutputCollision',
  OverrideChangesIdentity: 'OverrideChangesIdentity',
  OverrideFailed: 'OverrideFailed',
  OverridePathNotFound: 'OverridePathNotFound',
  PlaintextSecret: 'PlaintextSecret',
  PushFailed: 'PushFailed',
  PushRejected: 'PushRejected',
  RefConflict: 'RefConflict',
  RefLocked: 'RefLocked',
  RefNotFound: 'RefNotFound',
  RefUpdateFailed: 'RefUpdateFailed',
  RefUpdateIncomplete: 'RefUpdateIncomplete',
  RemoteUnreachable: 'RemoteUnreachable',
  RenderFailed: 'RenderFailed',
  RepoNotFound: 'RepoNotFound',
  SchedulingFailed: 'SchedulingFailed',
  Schema: 'Schema',
  SopsInvalid: 'SopsInvalid',
  SourceNotNewer: 'SourceNotNewer',
  StartFailed: 'StartFailed',
  StartTimeout: 'StartTimeout',
  StateInvalid: 'StateInvalid',
  StrictWarning: 'StrictWarning',
  SystemError: 'SystemError',
  TemplateKindMismatch: 'TemplateKindMismatch',
  TooDeep: 'TooDeep',
  TypeConfigExists: 'TypeConfigExists',
  TypeConfigNotFound: 'TypeConfigNotFound',
  TypeInUse: 'TypeInUse',
  UnknownCluster: 'UnknownCluster',
  UnknownCommand: 'UnknownCommand',
  UnknownFederatedType: 'UnknownFederatedType',
  UnknownField: 'UnknownField',
  UnknownFlag: 'UnknownFlag',
  UnknownRemote: 'UnknownRemote',
  UnknownType: 'UnknownType',
  Unreadable: 'Unreadable',
  UnsafeOutput: 'UnsafeOutput',
  UnsafePath: 'UnsafePath',
  UnsupportedField: 'UnsupportedField',
  UnsupportedKind: 'UnsupportedKind',
  UnsupportedLiveState: 'UnsupportedLiveState',
  UnsupportedRemote: 'UnsupportedRemote',
  UnsupportedScheduler: 'UnsupportedScheduler',
  UnsupportedVersion: 'UnsupportedVersion',
  YAMLKey: 'YAMLKey',
  YAMLMerge: 'YAMLMerge',
  YAMLSyntax: 'YAMLSyntax',
  YAMLValue: 'YAMLValue',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code a warning carries (render diagnostics, CLI notices); a warning never fails a command. */
export const WARNING_CODES = {
  ClusterStillNamed: 'ClusterStillNamed',
  FieldIgnored: 'FieldIgnored',
  InterpreterIgnored: 'InterpreterIgnored',
  NamespaceNotFederated: 'NamespaceNotFederated',
  NoClusterFit: 'NoClusterFit',
  NoPlacement: 'NoPlacement',
  NoSchema: 'NoSchema',
  NotPropagated: 'NotPropagated',
  OrphanOnFederatedObject: 'OrphanOnFederatedObject',
  PlaintextSecret: 'PlaintextSecret',
  ReplicasNotPlaced: 'ReplicasNotPlaced',
  RSPMinAboveMax: 'RSPMinAboveMax',
  RSPNoWeight: 'RSPNoWeight',
  RSPTargetNotFound: 'RSPTargetNotFound',
  TemplateNameIgnored: 'TemplateNameIgnored',
  UnknownCluster: 'UnknownCluster',
  ZeroReplicas: 'ZeroReplicas',
} as const;
export type WarningCode = keyof typeof WARNING_CODES;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);
export const isWarningCode = (code: string): code is WarningCode => Object.hasOwn(WARNING_CODES, code);

export interface ErrorContext {
  file?: string;
  line?: number;
  /** The object concerned: its identity, or (from older callers) a key or `Kind/namespace/name`. */
  object?: ObjectIdentity | string;
  cluster?: string;
  /** The fix, when it is known: a command to run, a flag to add. Printed on its own line, and a field in JSON. */
  hint?: string;
}

export class GitfedError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  /** The object in the form people read, `Kind/namespace/name`. */
  readonly object?: string;
  /** The object's identity, when the thrower had one. */
  readonly ref?: ObjectIdentity;
  readonly cluster?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, ctx: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.file = ctx.file;
    this.line = ctx.line;
    if (typeof ctx.object === 'object') {
      this.ref = ctx.object;
      this.object = formatRef(ctx.object);
    } else {
      // A string is kept as written: guessing its form would misread a name that holds '/'.
      this.object = ctx.object;
    }
    this.cluster = ctx.cluster;
    this.hint = ctx.hint;
  }

  /** `file:line: object (cluster X): message`, the one-line form the CLI prints. */
  format(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    const what = this.object ? `${this.object}` : '';
    const cl = this.cluster ? ` (cluster ${this.cluster})` : '';
    const head = what || cl ? `${(what + cl).trimStart()}: ` : '';
    return `${where}${head}${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, file: this.file, line: this.line, object: this.object, cluster: this.cluster, hint: this.hint };
  }
}

/** Invalid fleet repo content: YAML syntax, schema, impossible policy. */
export class RenderError extends GitfedError {}

/** Several render errors at once: render reports all it found, not just the first. */
export class RenderErrors extends GitfedError {
  readonly errors: readonly GitfedError[];
  constructor(errors: readonly GitfedError[]) {
    super('RenderFailed', `${errors.length} error(s):\n` + errors.map((e) => '  ' + e.format()).join('\n'));
    this.errors = errors;
  }
  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errors: this.errors.map((e) => e.toJSON()) };
  }
}

/** Git-level problems: missing ref, corrupt object, a branch moved under us. */
export class GitError extends GitfedError {}

/** Apply-side problems with one member; never fatal for the others. */
export class ApplyError extends GitfedError {}

/** Local control planes (gitfed dev): build, start, stop. */
export class DevError extends GitfedError {}
