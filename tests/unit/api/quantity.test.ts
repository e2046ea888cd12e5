import { describe, expect, it } from 'vitest';
import { QuantityError, cpuMillisOrNaN, formatCpuMilli, formatMemory, formatMemoryMi, isQuantity, parseQuantity, quantityOrNaN, quantityProblem } from '../../../main/api/quantity';

describe('parseQuantity', () => {
  it.each([
    ['250m', 0.25],
    ['100m', 0.1],
    ['1', 1],
    ['2.5', 2.5],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.', 1],
    ['500u', 0.0005],
    ['123456789n', 0.123456789],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['1Mi', 1048576],
    ['1500Mi', 1500 * 1048576],
    ['1Gi', 1073741824],
    ['1.5Gi', 1.5 * 1073741824],
    ['1Ti', 2 ** 40],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['12e+2', 1200],
    ['-1', -1],
    ['+2', 2],
    ['-250m', -0.25],
    ['0', 0],
  ])('%s → %d', (q, want) => {
    expect(parseQuantity(q)).toBeCloseTo(want, 12);
  });

  it('passes numbers through', () => {
    expect(parseQuantity(3)).toBe(3);
    expect(parseQuantity(0.5)).toBe(0.5);
  });

  it.each(['', 'abc', '1.2.3', '1Kb', '1 Gi', ' 1', '1.1.M', '1+1.0M', 'aoeu', '0.1am'])('rejects %j', (q) => {
    expect(() => parseQuantity(q)).toThrow(QuantityError);
    expect(() => parseQuantity(q)).toThrow("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(isQuantity(q)).toBe(false);
  });

  // resource.ParseQuantity reads the shape first, then looks the suffix up: ErrSuffix for a suffix of suffix letters
  // (and exponent digits) that is none of Kubernetes'.
  it.each(['1kk', '1e', '1i', '1m3', '1K', '5mi', '1MM', '--1', '0.1mi', '.5i', '-3.01i', '-3.01e-'])('rejects %j with ErrSuffix', (q) => {
    expect(() => parseQuantity(q)).toThrow(new QuantityError("unable to parse quantity's suffix"));
    expect(isQuantity(q)).toBe(false);
  });

  // resource.ParseQuantity takes a number without digits as zero: a suffix alone, a lone point or sign.
  it.each(['Mi', 'Gi', '.', '-', '+', 'm', 'e3', '-Gi', '.Ki'])('reads %j as zero, as ParseQuantity does', (q) => {
    expect(parseQuantity(q)).toBe(0);
    expect(quantityProblem(q)).toBeUndefined();
  });

  it('rejects non-finite numbers and other types', () => {
    expect(() => parseQuantity(Number.NaN)).toThrow(QuantityError);
    expect(isQuantity({})).toBe(false);
    expect(isQuantity('1Gi')).toBe(true);
  });
});

describe('formatting', () => {
  it.each([[0.25, '250m'], [1, '1000m'], [0.0014, '1m'], [0, '0m'], [2.5, '2500m']])('cpu %d → %s', (cores, s) => {
    expect(formatCpuMilli(cores)).toBe(s);
  });
  it.each([
    [0, '0'], [1500, '1500'], [1024, '1Ki'], [1536, '1536'], [1048576, '1Mi'], [1500 * 1048576, '1500Mi'],
    [1073741824, '1Gi'], [3 * 1073741824, '3Gi'], [2 ** 40, '1Ti'], [1024 * 1025, '1025Ki'], [-1048576, '-1Mi'],
  ])('memory %d → %s', (bytes, s) => {
    expect(formatMemory(bytes)).toBe(s);
  });
  it('formats memory round-trips', () => {
    for (const q of ['1Gi', '1500Mi', '12Ki', '7']) expect(formatMemory(parseQuantity(q))).toBe(q);
  });
  it('formats whole MiB for kubectl top', () => {
    expect(formatMemoryMi(1500 * 1048576)).toBe('1500Mi');
    expect(formatMemoryMi(12.4 * 1048576)).toBe('12Mi');
  });
  it('reads quantities for display without throwing (metrics, node capacity)', () => {
    expect(cpuMillisOrNaN('123456789n')).toBeCloseTo(123.456789, 6);
    expect(cpuMillisOrNaN('250m')).toBe(250);
    expect(cpuMillisOrNaN('2')).toBe(2000);
    expect(quantityOrNaN('16384Ki')).toBe(16 * 2 ** 20);
    expect(quantityOrNaN(110)).toBe(110);
    expect(quantityOrNaN(undefined)).toBeNaN();
    expect(quantityOrNaN('1GB')).toBeNaN();
    expect(cpuMillisOrNaN('lots')).toBeNaN();
  });
});
