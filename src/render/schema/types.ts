/**
 * The part of an OpenAPI v3 schema (as a CustomResourceDefinition or the Kubernetes API server's
 * /openapi/v3 writes it) that gitfed checks documents against. Key names are OpenAPI's own, so a
 * CRD's openAPIV3Schema from the fleet is used as it is.
 */
export interface Schema {
  readonly type?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  /** A reference into the definitions of the document set the schema came from (`#/components/schemas/<name>`). */
  readonly $ref?: string;
  readonly allOf?: readonly Schema[];
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
}

export type FieldPath = readonly (string | number)[];
