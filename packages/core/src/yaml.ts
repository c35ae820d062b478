/**
 * The one YAML serializer. YAML 1.1 because Kubernetes decodes 1.1: `on`, `yes`, `0755` and
 * `2024-01-01` must be quoted or they turn into booleans, octals and timestamps. No line folding
 * (long PromQL), no anchors for shared objects.
 */
import { stringify } from 'yaml';

export function toYaml(data: unknown): string {
  return stringify(data, {
    version: '1.1',
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
    indentSeq: true,
    singleQuote: false,
  });
}
