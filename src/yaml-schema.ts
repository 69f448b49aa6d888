/**
 * How gitfed reads Kubernetes YAML, on both sides of the output branch: YAML 1.2 core types plus
 * merge keys, and no timestamps. Kubernetes (sigs.k8s.io/yaml) reads an unquoted date as a
 * string, so must gitfed, or it would be written or applied back as something else.
 */
import jsyaml from 'js-yaml';

export const KUBE_YAML_SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [(jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge] });
