/**
 * Node tuning: for each pool with `nodeSysctls: 'daemonset'`, a DaemonSet pinned to the pool whose
 * init container writes the pool profile's node-level sysctls through /proc/sys, reads each back and
 * fails the pod on a mismatch (`sysctl -w` may exit 0 on a read-only key); a pause container then keeps
 * the pod, so the DaemonSet is healthy and a rebooted node is tuned again when its pod restarts.
 *
 * Writing a global key takes a privileged container (runtimes mount /proc/sys read-only otherwise),
 * and node-level net.* keys exist or are writable only in the node's own network namespace
 * (hostNetwork). Pod Security's `baseline` and `restricted` refuse both, so the DaemonSets live in a
 * namespace of their own labelled `privileged`, and the workloads' namespace keeps its level. A
 * NetworkPolicy denies all traffic there: the pods need none (CNIs differ on whether it reaches
 * hostNetwork pods; the pods open no socket either way).
 */
import type { Environment, KubernetesTarget, NodeSysctlDaemonSet } from '@kiln/model';
import { NODE_TUNING_IMAGE, nodeTuningNamespace, PAUSE_IMAGE } from '@kiln/model';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { environmentLabels, metadata, SyncWave } from './labels.js';

export const NODE_TUNING_POLICY = 'node-tuning-deny-all';

const RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } };

/** The namespace, its deny-all policy and the DaemonSets; nothing when no pool asks for one. */
export function nodeTuning(env: Environment, target: KubernetesTarget): [INamespace, INetworkPolicy, ...IDaemonSet[]] | [] {
  const daemonSets = env.tuning.daemonSets;
  if (daemonSets.length === 0) return [];
  const namespace = nodeTuningNamespace(target);
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: metadata(namespace, undefined, { ...environmentLabels(env, namespace), 'pod-security.kubernetes.io/enforce': 'privileged' }, SyncWave.nodeTuningNamespace, {
        'kiln.dev/pod-security': `privileged: ${daemonSets.map((d) => d.name).join(', ')} write node-level sysctls from a privileged container${daemonSets.some((d) => d.hostNetwork) ? " in the node's network namespace" : ''}`,
      }),
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(NODE_TUNING_POLICY, namespace, environmentLabels(env, NODE_TUNING_POLICY), SyncWave.nodeTuning),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    ...daemonSets.map((daemonSet) => nodeSysctlDaemonSet(env, daemonSet)),
  ];
}

function nodeSysctlDaemonSet(env: Environment, daemonSet: NodeSysctlDaemonSet): IDaemonSet {
  const selector = { 'app.kubernetes.io/name': daemonSet.name, 'app.kubernetes.io/instance': env.name };
  const labels = { ...environmentLabels(env, daemonSet.name), 'app.kubernetes.io/component': 'node-tuning' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: metadata(daemonSet.name, daemonSet.namespace, labels, SyncWave.nodeTuning, { 'kiln.dev/host-profile': daemonSet.profile }),
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { ...daemonSet.nodeSelector },
          ...(daemonSet.hostNetwork && { hostNetwork: true }),
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 10,
          initContainers: [
            {
              name: 'apply',
              image: NODE_TUNING_IMAGE,
              command: ['/bin/sh', '-c', nodeSysctlScript(daemonSet.sysctls)],
              securityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false },
              resources: RESOURCES,
            },
          ],
          containers: [
            {
              name: 'pause',
              image: PAUSE_IMAGE,
              securityContext: { runAsNonRoot: true, runAsUser: 65535, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              resources: RESOURCES,
            },
          ],
        },
      },
    },
  };
}

/**
 * The init container's script: each key written, read back (the kernel separates a triple's values
 * with tabs, so both sides are compared word by word) and printed; any refusal or mismatch stops the
 * script with an error, and the pod with it.
 */
export function nodeSysctlScript(sysctls: readonly { readonly key: string; readonly value: string }[]): string {
  return [
    'set -euf',
    'apply() {',
    '  file=/proc/sys/$(echo "$1" | tr . /)',
    '  printf \'%s\\n\' "$2" > "$file"',
    '  now=$(echo $(cat "$file"))',
    '  if [ "$now" != "$2" ]; then echo "$1 is \'$now\' after writing \'$2\'" >&2; exit 1; fi',
    '  echo "$1 = $now"',
    '}',
    ...sysctls.map(({ key, value }) => `apply ${shellQuote(key)} ${shellQuote(value.trim().split(/\s+/).join(' '))}`),
    '',
  ].join('\n');
}

/** One shell word, whatever the text holds. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
