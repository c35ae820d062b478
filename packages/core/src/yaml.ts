/**
 * The one YAML serializer. YAML 1.1 because Kubernetes decodes 1.1: `on`, `yes`, `0755` and
 * `2024-01-01` must be quoted or they turn into booleans, octals and timestamps. No line folding
 * (long PromQL), no anchors for shared objects.
 */
import { Document, isScalar, visit } from 'yaml';

/**
 * Plain scalars that YAML 1.1 readers give a meaning of their own beyond what the `yaml` package
 * quotes: `=` (the value key) and `<<` (the merge key) make PyYAML, and so docker-compose 1.29, fail.
 */
const YAML_11_SPECIAL = /^(=|<<)$/;

export function toYaml(data: unknown): string {
  const document = new Document(data, { version: '1.1', aliasDuplicateObjects: false });
  visit(document, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === 'string' && YAML_11_SPECIAL.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true, singleQuote: false });
}
