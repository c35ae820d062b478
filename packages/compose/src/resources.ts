/**
 * Kubernetes quantities to Docker's spellings: `cpus` is a decimal number of cores, `memory` a byte
 * count with Docker's lowercase binary units (`k`, `m`, `g` are powers of 1024 in docker-py's and
 * go-units' parsers alike).
 */
import { parseQuantity, quantityBytes, quantityCores } from '@kiln/model';
import type { Resources } from '@kiln/model';
import type { Deploy, ResourceSpec } from './compose-file.js';

const UNITS: readonly (readonly [string, bigint])[] = [
  ['g', 1024n ** 3n],
  ['m', 1024n ** 2n],
  ['k', 1024n],
];

/** `1500m` → `'1.5'`, `2` → `'2'`. */
export function dockerCpus(quantity: string): string {
  return quantityCores(parsed(quantity));
}

/** `512Mi` → `'512m'`, `4Gi` → `'4g'`, `1536Mi` → `'1536m'`; `1G` (not a binary multiple) → `'1000000000'`. */
export function dockerMemory(quantity: string): string {
  const bytes = quantityBytes(parsed(quantity));
  if (bytes === 0n) return '0';
  const unit = UNITS.find(([, size]) => bytes % size === 0n);
  return unit ? `${bytes / unit[1]}${unit[0]}` : `${bytes}`;
}

/** `deploy.resources`: limits from the limits, reservations from the requests; absent when both are empty. */
export function deployResources(resources: Resources): Deploy['resources'] | undefined {
  const limits = resourceSpec(resources.limits);
  const reservations = resourceSpec(resources.requests);
  if (!limits && !reservations) return undefined;
  return { ...(limits && { limits }), ...(reservations && { reservations }) };
}

function resourceSpec(compute: Resources['limits']): ResourceSpec | undefined {
  const spec: ResourceSpec = {};
  if (compute.cpu !== undefined) spec.cpus = dockerCpus(compute.cpu);
  if (compute.memory !== undefined) spec.memory = dockerMemory(compute.memory);
  return Object.keys(spec).length > 0 ? spec : undefined;
}

function parsed(quantity: string) {
  const result = parseQuantity(quantity);
  // The model's rules reject malformed quantities before any emitter runs.
  if (!result) throw new Error(`compose: quantity '${quantity}' should have been checked by the model`);
  return result;
}
