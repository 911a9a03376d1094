import { describe, expect, it } from 'vitest';
import privateFixture from '../../tests/fixtures/why.private.json';
import probedFixture from '../../tests/fixtures/why.probed.json';
import sampleFixture from '../../tests/fixtures/why.sample.json';
import type { EndpointResult, WhyAttempt, WhyReport } from './types';
import { edgeLabelKey, landingFromOutcome, sourceKind, walkProbes, whyFlow, type FlowNode } from './why';

const sample = sampleFixture as WhyReport;
const probed = probedFixture as WhyReport;
const privateReport = privateFixture as WhyReport;

const kinds = (nodes: FlowNode[]) => nodes.map((n) => n.kind);

function attempt(source: string, on_error: string, outcome: string | null = null): WhyAttempt {
  const probe = outcome === null ? null : ({ ...probed.attempts[0]!.probe, outcome } as EndpointResult);
  return { source, on_error, http_proxy: null, no_proxy: null, requests: [], reason: '', probe };
}

describe('whyFlow', () => {
  it('reads a public module: module, no private match, the attempts in order, stop, ignored, checksum', () => {
    const flow = whyFlow(sample);
    expect(kinds(flow.nodes)).toEqual(['module', 'decision', 'attempt', 'attempt', 'attempt', 'stop', 'ignored', 'checksum']);
    expect(flow.nodes[0]).toEqual({ kind: 'module', module: 'golang.org/x/text' });
    expect(flow.nodes[1]).toEqual({ kind: 'decision', var: null, pattern: null, derivedFrom: null });
    expect(flow.nodes.filter((n) => n.kind === 'attempt').map((n) => [n.attempt.source, n.source])).toEqual([
      ['https://goproxy.cn', 'proxy'],
      ['https://mirrors.aliyun.com/goproxy/', 'proxy'],
      ['direct', 'direct'],
    ]);
    expect(flow.nodes[6]).toEqual({ kind: 'ignored', entry: 'https://proxy.golang.org (after direct)' });
    expect(flow.nodes[7]).toMatchObject({ kind: 'checksum', checksum: { db: 'sum.golang.org', verified: true } });
    expect(flow.probed).toBe(false);
    expect(flow.landing).toBeNull();
  });

  it('labels each edge with the rule of the entry it leaves (`,` → 404/410, `|` → any error)', () => {
    const flow = whyFlow(sample);
    expect(flow.edges).toHaveLength(flow.nodes.length - 1);
    expect(flow.edges.map((e) => e.rule)).toEqual([
      'flow',
      'flow',
      'next_on_not_found',
      'next_on_any_error',
      'stop',
      'ignored',
      'verify',
    ]);
    expect(flow.edges.map((e) => e.from)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(flow.edges.map((e) => edgeLabelKey(e.rule))).toEqual([
      null,
      null,
      'why.edge.next_on_not_found',
      'why.edge.next_on_any_error',
      'why.edge.stop',
      'why.edge.ignored',
      'why.edge.verify',
    ]);
  });

  it('without probe results nothing is coloured or marked', () => {
    const attempts = whyFlow(sample).nodes.filter((n) => n.kind === 'attempt');
    expect(attempts.map((n) => [n.probeClass, n.state, n.landing])).toEqual([
      [null, null, false],
      [null, null, false],
      [null, null, false],
    ]);
    expect(whyFlow(sample).nodes.find((n) => n.kind === 'stop')).toEqual({ kind: 'stop', reached: null });
  });

  it('shows the patterns a private module matches, and where the value came from', () => {
    const flow = whyFlow(privateReport);
    expect(kinds(flow.nodes)).toEqual(['module', 'decision', 'decision', 'decision', 'attempt', 'stop', 'checksum']);
    expect(flow.nodes.slice(1, 4)).toEqual([
      { kind: 'decision', var: 'GOPRIVATE', pattern: 'git.corp.example', derivedFrom: null },
      { kind: 'decision', var: 'GONOPROXY', pattern: 'git.corp.example', derivedFrom: 'GOPRIVATE' },
      { kind: 'decision', var: 'GONOSUMDB', pattern: 'git.corp.example', derivedFrom: 'GOPRIVATE' },
    ]);
    expect(flow.nodes[4]).toMatchObject({ kind: 'attempt', source: 'direct', attempt: { no_proxy: '.corp.example' } });
    expect(flow.nodes.at(-1)).toMatchObject({ kind: 'checksum', checksum: { verified: false, skipped_by: 'GOPRIVATE' } });
    expect(flow.edges.map((e) => e.rule)).toEqual(['flow', 'flow', 'flow', 'flow', 'stop', 'verify']);
  });

  it('with probe results: colours by outcome, says what happened where, and marks where go ends up', () => {
    const flow = whyFlow(probed);
    expect(flow.probed).toBe(true);
    const attempts = flow.nodes.filter((n) => n.kind === 'attempt');
    expect(attempts.map((n) => [n.attempt.probe?.outcome, n.probeClass, n.state, n.landing])).toEqual([
      ['not_found', 'bad', 'passed', false],
      ['timeout', 'bad', 'passed', false],
      ['ok', 'ok', 'fetched', true],
    ]);
    expect(flow.landing).toBe(4);
    expect(flow.nodes[flow.landing!]).toMatchObject({ kind: 'attempt', source: 'direct' });
    expect(flow.nodes.find((n) => n.kind === 'stop')).toEqual({ kind: 'stop', reached: false });
  });

  it('an entry followed by `,` that times out stops the walk there', () => {
    const report: WhyReport = {
      ...probed,
      attempts: [attempt('https://a', 'next_on_not_found', 'timeout'), attempt('https://b', 'next_on_any_error', 'ok'), attempt('direct', 'stop', null)],
    };
    const flow = whyFlow(report);
    const attempts = flow.nodes.filter((n) => n.kind === 'attempt');
    expect(attempts.map((n) => n.state)).toEqual(['failed', 'not_reached', 'not_reached']);
    expect(attempts.map((n) => n.landing)).toEqual([true, false, false]);
    expect(flow.nodes.find((n) => n.kind === 'stop')).toEqual({ kind: 'stop', reached: true });
  });

  it('shows a module go refuses outright as the module and the error, without a checksum', () => {
    const report: WhyReport = {
      ...sample,
      module: 'foo',
      error: 'malformed module path "foo": missing dot in first path element',
      attempts: [],
      ignored: [],
    };
    expect(kinds(whyFlow(report).nodes)).toEqual(['module']);
    expect(whyFlow(report).edges).toEqual([]);
  });
});

describe('walkProbes', () => {
  it('follows cmd/go: healthy ends, `,` continues only on not_found, `|` on any error', () => {
    expect(walkProbes([attempt('https://a', 'next_on_not_found', 'not_found'), attempt('https://b', 'stop', 'slow')])).toEqual({
      states: ['passed', 'fetched'],
      landing: 1,
    });
    expect(walkProbes([attempt('https://a', 'next_on_not_found', 'http_error'), attempt('https://b', 'stop', 'ok')])).toEqual({
      states: ['failed', 'not_reached'],
      landing: 0,
    });
    expect(walkProbes([attempt('https://a', 'next_on_any_error', 'tls_untrusted'), attempt('https://b', 'stop', 'ok')])).toEqual({
      states: ['passed', 'fetched'],
      landing: 1,
    });
    // The last entry has nowhere to go, whatever its separator.
    expect(walkProbes([attempt('https://a', 'next_on_any_error', 'not_found')])).toEqual({ states: ['failed'], landing: 0 });
  });

  it('off fails at once; an attempt reached without a probe leaves the walk unknown', () => {
    expect(walkProbes([attempt('off', 'stop')])).toEqual({ states: ['failed'], landing: 0 });
    expect(walkProbes([attempt('https://a', 'next_on_not_found', 'not_found'), attempt('direct', 'stop', null)])).toBeNull();
    expect(walkProbes([])).toBeNull();
  });
});

describe('landingFromOutcome', () => {
  const attempts = [attempt('https://goproxy.cn', 'next_on_not_found'), attempt('https://goproxy.cn/extra', 'next_on_not_found'), attempt('direct', 'stop')];

  it('finds the source the sentence names (the longest match; direct as a word)', () => {
    expect(landingFromOutcome(attempts, 'would be fetched from https://goproxy.cn/extra')).toBe(1);
    expect(landingFromOutcome(attempts, 'would be fetched from https://goproxy.cn')).toBe(0);
    expect(landingFromOutcome(attempts, 'would be fetched direct from the origin')).toBe(2);
    expect(landingFromOutcome(attempts, 'would use a redirect')).toBeNull();
    expect(landingFromOutcome(attempts, null)).toBeNull();
  });

  it('is used when a probe is missing on the way', () => {
    const report: WhyReport = {
      ...probed,
      attempts: [attempt('https://a', 'next_on_not_found', 'not_found'), attempt('direct', 'stop', null)],
      outcome: 'would be fetched from direct',
    };
    const flow = whyFlow(report);
    expect(flow.landing).toBe(3);
    expect(flow.nodes.filter((n) => n.kind === 'attempt').map((n) => [n.state, n.landing])).toEqual([
      [null, false],
      [null, true],
    ]);
  });
});

describe('sourceKind', () => {
  it.each([
    ['direct', 'direct'],
    ['off', 'off'],
    ['https://goproxy.cn', 'proxy'],
    ['file:///srv/modcache', 'proxy'],
  ] as const)('%s → %s', (source, kind) => {
    expect(sourceKind(source)).toBe(kind);
  });
});
