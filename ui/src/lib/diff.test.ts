import { describe, expect, it } from 'vitest';
import plan from '../../tests/fixtures/plan.domestic.json';
import { classifyDiffLine, diffStats, parseDiff } from './diff';

describe('classifyDiffLine', () => {
  it.each([
    ['+GOPROXY=https://goproxy.cn,direct', 'add'],
    ['-GOPROXY=https://proxy.golang.org,direct', 'del'],
    [' GOBIN=/home/dev/go/bin', 'context'],
    ['', 'context'],
    ['@@ -1,3 +1,3 @@', 'hunk'],
    ['@@ -0,0 +1 @@', 'hunk'],
    ['--- a/home/dev/.config/go/env', 'header'],
    ['+++ b/home/dev/.config/go/env', 'header'],
    ['\\ No newline at end of file', 'meta'],
  ] as const)('%j → %s', (line, kind) => {
    expect(classifyDiffLine(line)).toBe(kind);
  });
});

describe('parseDiff', () => {
  it('gives nothing for an unchanged file', () => {
    expect(parseDiff('')).toEqual([]);
  });

  it('numbers old and new lines from the hunk header', () => {
    const goenv = plan.files[0]!.diff;
    const lines = parseDiff(goenv);
    expect(lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ['header', null, null],
      ['header', null, null],
      ['hunk', null, null],
      ['context', 1, 1],
      ['del', 2, null],
      ['del', 3, null],
      ['add', null, 2],
      ['add', null, 3],
    ]);
    expect(lines.map((l) => l.text).join('\n') + '\n').toBe(goenv);
  });

  it('restarts numbering at each hunk', () => {
    const diff = '--- a/f\n+++ b/f\n@@ -10,2 +10,2 @@\n x\n-y\n+z\n@@ -40 +40,2 @@\n q\n+r\n';
    const lines = parseDiff(diff).filter((l) => l.kind !== 'header' && l.kind !== 'hunk');
    expect(lines.map((l) => [l.text, l.oldLine, l.newLine])).toEqual([
      [' x', 10, 10],
      ['-y', 11, null],
      ['+z', null, 11],
      [' q', 40, 40],
      ['+r', null, 41],
    ]);
  });

  it('reads ---/+++ inside a hunk as content, and keeps "no newline" notes', () => {
    const diff = '--- a/f\n+++ b/f\n@@ -1 +1 @@\n--- old dashes\n+++ new pluses\n\\ No newline at end of file\n';
    expect(parseDiff(diff).map((l) => l.kind)).toEqual(['header', 'header', 'hunk', 'del', 'add', 'meta']);
  });

  it('accepts a diff without a final newline', () => {
    expect(parseDiff('@@ -1 +1 @@\n-a\n+b').map((l) => l.kind)).toEqual(['hunk', 'del', 'add']);
  });
});

describe('diffStats', () => {
  it('counts added and removed lines', () => {
    expect(diffStats(plan.files[1]!.diff)).toEqual({ added: 2, removed: 5, created: false, deleted: false });
    expect(diffStats('')).toEqual({ added: 0, removed: 0, created: false, deleted: false });
  });

  it('tells a new file and a deleted one', () => {
    expect(diffStats('--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n').created).toBe(true);
    expect(diffStats('--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n').deleted).toBe(true);
  });
});
