/**
 * `node cdk8s.js E S OUTDIR`: the Kubernetes workload through cdk8s, as a cdk8s user writes raw
 * objects: one Chart per environment, an ApiObject per object, one file per resource.
 */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { allKubernetesObjects, scriptArguments } from './workload.js';

const { size, out } = scriptArguments();
const app = new App({ outdir: out, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
const charts = new Map<string, Chart>();
for (const { environment, object } of allKubernetesObjects(size)) {
  let chart = charts.get(environment);
  if (!chart) charts.set(environment, (chart = new Chart(app, environment, { namespace: environment })));
  new ApiObject(chart, `${object.kind}-${object.metadata.name}`, object);
}
app.synth();
