/**
 * Collects the KubeFed engine's diagnostics. Every finding points at a source document and, where
 * a field is to blame, at that field's line, so `file:line` in a message lands on the culprit.
 */
import type { ErrorCode, WarningCode } from '../../errors.js';
import { objectKey } from '../../object.js';
import type { Diagnostic, DiagnosticKind, ObjectKey, SourceObject } from '../types.js';

/** `<group>/<Kind>/<namespace>/<name>` of a source document (group "" for core, namespace "" when cluster-scoped). */
export function sourceKey(src: SourceObject): ObjectKey {
  return objectKey(src.obj);
}

export interface Where {
  readonly src: SourceObject;
  /** Field path inside the document, for the line; the document's own line when absent. */
  readonly field?: readonly (string | number)[];
  readonly cluster?: string;
}

export class Findings {
  readonly diagnostics: Diagnostic[] = [];

  error(code: ErrorCode, message: string, where: Where): void {
    this.add({ severity: 'error', code }, message, where);
  }

  warning(code: WarningCode, message: string, where: Where): void {
    this.add({ severity: 'warning', code }, message, where);
  }

  add(kind: DiagnosticKind, message: string, { src, field, cluster }: Where): void {
    this.diagnostics.push({
      ...kind,
      message,
      file: src.pos.file,
      line: field ? src.lineOf(field) : src.pos.line,
      object: sourceKey(src),
      ...(cluster !== undefined ? { cluster } : {}),
    });
  }
}
