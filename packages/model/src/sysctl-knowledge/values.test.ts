import { describe, expect, it } from 'vitest';
import { ModelCode } from '../codes.js';
import { validateSysctlSet, validateSysctlValue } from './index.js';

const accepted: [string, string][] = [
  ['net.core.somaxconn', '65535'],
  ['net.core.somaxconn', '0'],
  ['net.ipv4.ip_local_port_range', '1024 65535'],
  ['net.ipv4.ip_local_port_range', '40000 40000'],
  ['net.ipv4.ip_local_port_range', '1024\t65535'],
  ['net.ipv4.ping_group_range', '0 2147483647'],
  ['net.ipv4.ping_group_range', '1 0'],
  ['net.ipv4.ip_local_reserved_ports', ''],
  ['net.ipv4.ip_local_reserved_ports', '8080,9000-9100,65535'],
  ['net.ipv4.tcp_rmem', '4096 131072 6291456'],
  ['net.ipv4.tcp_rmem', '4096 4096 4096'],
  ['net.ipv4.tcp_mem', '786432 1048576 1572864'],
  ['net.ipv4.tcp_syncookies', '2'],
  ['net.ipv4.tcp_tw_reuse', '2'],
  ['net.ipv4.tcp_slow_start_after_idle', '0'],
  ['net.ipv4.tcp_notsent_lowat', '4294967295'],
  ['net.ipv4.ip_forward', '1'],
  ['kernel.sem', '250 256000 100 1024'],
  ['kernel.shmmax', '18446744073709551615'],
  ['fs.file-max', '9223372036854775807'],
  ['fs.nr_open', '1048576'],
  ['vm.swappiness', '200'],
  ['vm.overcommit_memory', '1'],
];

const refused: [string, string, string][] = [
  ['net.core.somaxconn', '-1', 'malformed'],
  ['net.core.somaxconn', '2147483648', 'out-of-range'],
  ['net.core.somaxconn', '0x10', 'malformed'],
  ['net.core.somaxconn', ' 4096', 'malformed'],
  ['net.core.somaxconn', '04096', 'malformed'],
  ['net.core.somaxconn', '', 'malformed'],
  ['net.ipv4.ip_local_port_range', '60999 32768', 'unordered'],
  ['net.ipv4.ip_local_port_range', '0 1000', 'out-of-range'],
  ['net.ipv4.ip_local_port_range', '1024 65536', 'out-of-range'],
  ['net.ipv4.ip_local_port_range', '1024', 'malformed'],
  ['net.ipv4.ip_local_port_range', '1024 65535 ', 'malformed'],
  ['net.ipv4.ip_local_port_range', '1024-65535', 'malformed'],
  ['net.ipv4.ping_group_range', '5 3', 'unordered'],
  ['net.ipv4.ip_local_reserved_ports', '9100-9000', 'unordered'],
  ['net.ipv4.ip_local_reserved_ports', '65536', 'out-of-range'],
  ['net.ipv4.ip_local_reserved_ports', '8080,', 'malformed'],
  ['net.ipv4.ip_local_reserved_ports', '8080-', 'malformed'],
  ['net.ipv4.tcp_rmem', '8192 4096 100000', 'unordered'],
  ['net.ipv4.tcp_rmem', '4096 131072', 'malformed'],
  ['net.ipv4.tcp_rmem', '0 131072 6291456', 'out-of-range'],
  ['net.ipv4.tcp_wmem', '4096 16384 4194304 1', 'malformed'],
  ['net.ipv4.tcp_mem', '3 2 1', 'unordered'],
  ['net.ipv4.tcp_syncookies', '3', 'out-of-range'],
  ['net.ipv4.tcp_syncookies', 'on', 'malformed'],
  ['net.ipv4.tcp_slow_start_after_idle', '2', 'malformed'],
  ['net.ipv4.ip_forward', 'true', 'malformed'],
  ['net.ipv4.tcp_keepalive_probes', '256', 'out-of-range'],
  ['net.ipv4.tcp_keepalive_time', '0', 'out-of-range'],
  ['net.ipv4.tcp_notsent_lowat', '4294967296', 'out-of-range'],
  ['kernel.sem', '250 256000 100', 'malformed'],
  ['kernel.sem', '250 256000 100 32769', 'out-of-range'],
  ['kernel.shmmni', '32769', 'out-of-range'],
  ['kernel.shm_rmid_forced', '2', 'malformed'],
  ['fs.nr_open', '2147483647', 'out-of-range'],
  ['fs.mqueue.msgsize_max', '127', 'out-of-range'],
  ['vm.swappiness', '201', 'out-of-range'],
  ['vm.overcommit_memory', '3', 'out-of-range'],
  ['kernel.pid_max', '300', 'out-of-range'],
];

describe('sysctl values', () => {
  it.each(accepted)('%s = %j is accepted', (key, value) => {
    expect(validateSysctlValue(key, value)).toBeUndefined();
  });

  it.each(refused)('%s = %j is refused (%s)', (key, value, reason) => {
    expect(validateSysctlValue(key, value)).toMatchObject({ code: ModelCode.INVALID_VALUE, key, reason });
  });

  it('says what to write', () => {
    expect(validateSysctlValue('net.ipv4.ip_local_port_range', '60999 32768')?.hint).toContain('low ≤ high');
    expect(validateSysctlValue('net.ipv4.ping_group_range', '5 3')?.hint).toContain("'1 0'");
    expect(validateSysctlValue('net.ipv4.tcp_syncookies', '3')?.hint).toContain("'2' (always)");
    expect(validateSysctlValue('net.core.somaxconn', '2147483648')?.hint).toContain("'2147483647'");
  });

  it('refuses a key it does not know, with the way out', () => {
    expect(validateSysctlValue('net.core.somaxconnn', '1024')).toMatchObject({ code: ModelCode.INVALID_SYSCTL, reason: 'unknown', key: 'net.core.somaxconnn' });
    expect(validateSysctlValue('net.core.somaxconnn', '1024')?.hint).toContain('declare it with a reason');
  });
});

describe('sysctls set together', () => {
  it('accepts a port range above the unprivileged port start, in either write order', () => {
    expect(validateSysctlSet({ 'net.ipv4.ip_local_port_range': '1024 65535' })).toEqual([]);
    expect(validateSysctlSet({ 'net.ipv4.ip_local_port_range': '1024 65535', 'net.ipv4.ip_unprivileged_port_start': '80' })).toEqual([]);
    expect(validateSysctlSet({ 'net.ipv4.ip_unprivileged_port_start': '0' })).toEqual([]);
  });

  it('refuses a port range that starts below the unprivileged port start', () => {
    expect(validateSysctlSet({ 'net.ipv4.ip_local_port_range': '1000 2000' })).toMatchObject([{ reason: 'conflict', key: 'net.ipv4.ip_local_port_range' }]);
    expect(validateSysctlSet({ 'net.ipv4.ip_local_port_range': '2000 3000', 'net.ipv4.ip_unprivileged_port_start': '2001' })).toMatchObject([{ reason: 'conflict' }]);
  });

  it('refuses a pair the kernel accepts in one write order only', () => {
    // Range first fails (1 < 1024); start first, then range, works.
    expect(validateSysctlSet({ 'net.ipv4.ip_local_port_range': '1 1023', 'net.ipv4.ip_unprivileged_port_start': '0' })).toMatchObject([{ reason: 'order-dependent' }]);
    // Start first fails (40000 > 32768); range first, then start, works.
    expect(validateSysctlSet({ 'net.ipv4.ip_local_port_range': '50000 60000', 'net.ipv4.ip_unprivileged_port_start': '40000' })).toMatchObject([{ reason: 'order-dependent' }]);
  });

  it('leaves single-value problems to validateSysctlValue', () => {
    expect(validateSysctlSet({ 'net.ipv4.ip_local_port_range': '2000 1000' })).toEqual([]);
  });
});
