import { composeEmitter } from '@kiln/compose';
import { argoCdEmitter } from '@kiln/argocd';
import type { Emitter, RepositoryEmitter } from '@kiln/core';
import { grafanaEmitter } from '@kiln/grafana';
import { hostsEmitter } from '@kiln/hosts';
import { kubernetesEmitter } from '@kiln/kubernetes';
import { prometheusEmitter } from '@kiln/prometheus';
import { runbooksEmitter } from '@kiln/runbooks';

/** Every output kind, in the order their outputs are planned. */
export const emitters: readonly Emitter[] = [kubernetesEmitter, composeEmitter, hostsEmitter, prometheusEmitter, grafanaEmitter, runbooksEmitter];

/** Output kinds that see every environment at once. */
export const repositoryEmitters: readonly RepositoryEmitter[] = [argoCdEmitter];
