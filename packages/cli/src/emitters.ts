import { composeEmitter } from '@kiln/compose';
import type { Emitter } from '@kiln/core';
import { grafanaEmitter } from '@kiln/grafana';
import { kubernetesEmitter } from '@kiln/kubernetes';
import { prometheusEmitter } from '@kiln/prometheus';
import { runbooksEmitter } from '@kiln/runbooks';

/** Every output kind, in the order their outputs are planned. */
export const emitters: readonly Emitter[] = [kubernetesEmitter, composeEmitter, prometheusEmitter, grafanaEmitter, runbooksEmitter];
