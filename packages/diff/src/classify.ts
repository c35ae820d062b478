/** Where a generated file belongs: its environment (or group) and output kind, from its path alone. */
import { INDEX_GROUP } from './report.js';
import type { OutputKind } from './report.js';

const KIND_FOLDERS: Readonly<Record<string, OutputKind>> = {
  kubernetes: 'kubernetes',
  compose: 'compose',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  runbooks: 'runbooks',
  host: 'host',
};

/** The folder of Argo CD's objects, beside the environments. */
export const ARGOCD_GROUP = 'argocd';

export interface Place {
  readonly environment: string;
  readonly kind: OutputKind;
}

/** `shop-prod/kubernetes/deployment-api.yaml` → shop-prod, kubernetes; `argocd/…` → argocd, kubernetes; `README.md` → (index), other. */
export function classify(path: string): Place {
  const [first = '', second, ...rest] = path.split('/');
  if (second === undefined) return { environment: INDEX_GROUP, kind: 'other' };
  if (first === ARGOCD_GROUP) return { environment: ARGOCD_GROUP, kind: /\.ya?ml$/.test(path) ? 'kubernetes' : 'other' };
  return { environment: first, kind: rest.length > 0 ? (KIND_FOLDERS[second] ?? 'other') : 'other' };
}
