import type { Diagnostic } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { reporter } from './report.js';

function printed(diagnostics: readonly Diagnostic[]): string {
  let stderr = '';
  const io = { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: {}, cwd: '/' };
  reporter(io, false).diagnostics(diagnostics);
  return stderr;
}

const warning = (path: string, hint: string | undefined): Diagnostic => ({
  code: 'SYSCTL_UNSAFE_NOT_ALLOWED',
  severity: 'warning',
  file: 'environments/e.ts',
  path,
  message: 'a namespaced sysctl the kubelet does not allow',
  ...(hint === undefined ? {} : { hint }),
});

describe('warnings for people', () => {
  it('say a fix all warnings of a code share once', () => {
    const text = printed([warning('services[a]', 'allow it'), warning('services[b]', 'allow it')]);
    expect(text.match(/allow it/g)).toHaveLength(1);
    expect(text).toContain('  fix for SYSCTL_UNSAFE_NOT_ALLOWED: allow it\n');
  });

  it('keep the fix of each warning when their fixes differ', () => {
    const text = printed([
      warning('services[a]', '--allowed-unsafe-sysctls=net.core.somaxconn'),
      warning('services[b]', '--allowed-unsafe-sysctls=kernel.msgmax'),
      warning('services[c]', undefined),
    ]);
    expect(text).toBe(
      [
        'warning SYSCTL_UNSAFE_NOT_ALLOWED environments/e.ts: services[a]: a namespaced sysctl the kubelet does not allow',
        '  fix: --allowed-unsafe-sysctls=net.core.somaxconn',
        'warning SYSCTL_UNSAFE_NOT_ALLOWED environments/e.ts: services[b]: a namespaced sysctl the kubelet does not allow',
        '  fix: --allowed-unsafe-sysctls=kernel.msgmax',
        'warning SYSCTL_UNSAFE_NOT_ALLOWED environments/e.ts: services[c]: a namespaced sysctl the kubelet does not allow',
        '0 errors, 3 warnings',
        '',
      ].join('\n'),
    );
  });
});
