/**
 * Linux kernel versions as the kubelet compares them: major and minor only ("4.15"), so a distribution
 * release string such as '6.18.44-fc-v669' or '4.15.0-213-generic' counts as its major.minor.
 */

/** A kernel version: `'major.minor'`, or any `uname -r` string that starts with one. */
export type KernelVersion = string;

/**
 * The kernel Kiln assumes for a node whose kernel is not declared: the oldest one kubeadm's
 * SystemVerification accepts from Kubernetes 1.32 on (the 4.19 LTS series; k8s.io/system-validators
 * `types_unix.go`). Every kubelet kernel gate on a safe sysctl (at most 4.15) is met by it, and a key
 * that became per-namespace later (`net.core.optmem_max`, 6.8) counts as node-level until the node
 * says otherwise.
 */
export const ASSUMED_NODE_KERNEL: KernelVersion = '4.19';

const VERSION = /^(\d+)\.(\d+)(?:[.\-+~_][0-9A-Za-z.\-+~_]*)?$/;

/** `[major, minor]`, or `undefined` when the text is not a kernel version. */
export function parseKernelVersion(text: string): readonly [number, number] | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2])];
}

/** Whether `kernel` is at least `minimum`, comparing major.minor. Throws on text that is no version: a bug in the caller. */
export function kernelAtLeast(kernel: KernelVersion, minimum: KernelVersion): boolean {
  const have = parseKernelVersion(kernel);
  const need = parseKernelVersion(minimum);
  if (!have || !need) throw new Error(`not a kernel version: '${have ? minimum : kernel}'`);
  return have[0] !== need[0] ? have[0] > need[0] : have[1] >= need[1];
}
