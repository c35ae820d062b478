/**
 * `node floor.js E S OUTDIR`: the least any generator can do with the Kubernetes workload: the same
 * plain objects serialized by the `yaml` package with Kiln's settings (YAML 1.1, no folding, no
 * anchors) and written one file per object. No validation, no checks, no atomic write.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { allKubernetesObjects, scriptArguments } from './workload.js';

const { size, out } = scriptArguments();
const folders = new Set<string>();
for (const { environment, object } of allKubernetesObjects(size)) {
  const folder = join(out, environment);
  if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
  folders.add(folder);
  writeFileSync(join(folder, `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`), stringify(object, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }));
}
