import { describe, expect, it } from 'vitest';
import { PromqlCode } from './codes.js';
import { formatFixed, formatG } from './go-format.js';
import { checkTemplate, expandTemplate, humanize } from './template.js';

const labels = new Set(['job', 'instance']);

describe('checkTemplate', () => {
  it('accepts what Prometheus expands', () => {
    expect(checkTemplate('{{ $labels.job }} on {{ $labels.instance }} is at {{ $value | humanizePercentage }}', labels)).toEqual([]);
    expect(checkTemplate('{{ if gt $value 1.0 }}high{{ else }}low{{ end }}', labels)).toEqual([]);
    expect(checkTemplate('{{ with $labels }}{{ .job }}{{ end }}', labels)).toEqual([]);
    expect(checkTemplate('{{ if gt $value 1e9 }}big{{ end }}{{ if lt $value 0x10 }}small{{ end }}', labels)).toEqual([]);
  });

  it('refuses labels the expression removed, broken actions and unknown functions', () => {
    expect(checkTemplate('{{ $labels.pod }} is down', labels).map((p) => p.code)).toEqual([PromqlCode.UNKNOWN_LABEL]);
    expect(checkTemplate('{{ index $labels "pod" }}', labels).map((p) => p.code)).toEqual([PromqlCode.UNKNOWN_LABEL]);
    expect(checkTemplate('{{ $labels.job ', labels).map((p) => p.code)).toEqual([PromqlCode.TEMPLATE_INVALID]);
    expect(checkTemplate('{{ if $value }}x', labels).map((p) => p.code)).toEqual([PromqlCode.TEMPLATE_INVALID]);
    expect(checkTemplate('{{ humanise $value }}', labels).map((p) => p.code)).toEqual([PromqlCode.TEMPLATE_INVALID]);
    expect(checkTemplate('{{ $foo }}', labels).map((p) => p.code)).toEqual([PromqlCode.TEMPLATE_INVALID]);
  });
});

describe('expandTemplate', () => {
  it('expands labels and values as Prometheus prints them', () => {
    expect(expandTemplate('{{ $labels.job }}: {{ $value | humanizePercentage }}', { job: 'api' }, 0.0512)).toBe('api: 5.12%');
    expect(expandTemplate('{{ $value }} workers', {}, 2)).toBe('2 workers');
    expect(expandTemplate('{{ printf "%.2f" $value }}s', {}, 0.25)).toBe('0.25s');
    expect(expandTemplate('{{ $value }}', {}, undefined)).toBeUndefined();
    expect(expandTemplate('{{ range $labels }}{{ end }}', {}, 1)).toBeUndefined();
  });

  it("formats floats like Go's %v and humanize", () => {
    expect(formatG(1_000_000, undefined)).toBe('1e+06');
    expect(formatG(123456, undefined)).toBe('123456');
    expect(formatG(0.00001, undefined)).toBe('1e-05');
    expect(formatG(0.5, undefined)).toBe('0.5');
    expect(humanize(1_234_567)).toBe('1.235M');
    expect(humanize(0.25)).toBe('250m');
    expect(humanize(95000)).toBe('95k');
  });

  it("rounds exact halves to even, as Go does, where JavaScript rounds them up", () => {
    expect((0.25).toFixed(1)).toBe('0.3');
    expect(formatFixed(0.25, 1)).toBe('0.2');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.35, 1)).toBe('0.3'); // 0.35 is 0.34999… in binary
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(-0.001, 2)).toBe('0.00');
    expect(formatFixed(1234.5678, 2)).toBe('1234.57');
    expect(formatG(1234.5, 4)).toBe('1234');
    expect(formatG(1.0625, 4)).toBe('1.062');
    expect(formatG(9.9995, 4)).toBe('9.999'); // 9.99949… in binary
    expect(formatG(99999, 4)).toBe('1e+05');
    expect(formatG(0.00012345, 4)).toBe('0.0001234');
    expect(formatG(50, 4)).toBe('50');
    expect(humanize(1234.5)).toBe('1.234k');
  });
});
