/**
 * Argo CD applies client-side unless told otherwise, and client-side apply copies the whole object,
 * as JSON, into its `kubectl.kubernetes.io/last-applied-configuration` annotation — capped, like
 * every object's annotations together, at 262,144 bytes. An object whose JSON passes 200 KiB (room
 * for the rest of its metadata) is marked for server-side apply, which keeps no such copy. One rule
 * for every object in a folder Argo CD syncs, whichever emitter made it.
 */
import type { Output } from './output.js';

export const SERVER_SIDE_APPLY_BYTES = 200 * 1024;

const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly annotations?: Readonly<Record<string, string>> };
}

function isObject(data: unknown): data is KubernetesObject {
  const object = data as Partial<KubernetesObject> | null;
  return typeof object === 'object' && object !== null && typeof object.apiVersion === 'string' && typeof object.kind === 'string' && typeof object.metadata === 'object';
}

/** The output, with `ServerSideApply=true` among its sync options when it is a large Kubernetes object. */
export function serverSideApplyIfLarge(output: Output, limit = SERVER_SIDE_APPLY_BYTES): Output {
  if (output.format !== 'yaml' || !isObject(output.data) || Buffer.byteLength(JSON.stringify(output.data)) <= limit) return output;
  const annotations = output.data.metadata.annotations ?? {};
  const options = (annotations[SYNC_OPTIONS] ?? '').split(',').filter((option) => option !== '');
  if (options.includes('ServerSideApply=true')) return output;
  const data = { ...output.data, metadata: { ...output.data.metadata, annotations: { ...annotations, [SYNC_OPTIONS]: [...options, 'ServerSideApply=true'].join(',') } } };
  return { ...output, data };
}
