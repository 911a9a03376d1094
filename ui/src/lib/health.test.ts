import { describe, expect, it } from 'vitest';
import historyFixture from '../../tests/fixtures/check-history.sample.json';
import reportFixture from '../../tests/fixtures/check.sample.json';
import {
  applyCheckEvent,
  checkProgress,
  detailParams,
  endpointHost,
  endpointSeries,
  formatMs,
  healthLevel,
  historyEndpoints,
  humanDetail,
  intervalChoices,
  outcomeClass,
  outcomeLabel,
  rowsFromReport,
  rowTotal,
  runsForRoute,
  scaleTicks,
  seriesSummary,
  sortedRanking,
  sparkline,
  stageLabel,
  waterfallScale,
  waterfallSegments,
  type CheckRow,
  type HistoryPoint,
} from './health';
import { LOCALES } from './i18n/messages';
import { OUTCOMES, type CheckHistory, type CheckReport, type EndpointResult, type Outcome } from './types';

const report = reportFixture as CheckReport;
const runs = (historyFixture as CheckHistory).runs;

function result(index: number): EndpointResult {
  const found = report.results[index];
  if (!found) throw new Error(`no result ${index}`);
  return structuredClone(found);
}

const planned = {
  event: 'planned' as const,
  endpoints: report.results.map((r) => ({ index: r.index, endpoint: r.endpoint, kind: r.kind })),
};

describe('applyCheckEvent', () => {
  it('planned: one pending row per endpoint, in input order, without timings', () => {
    const rows = applyCheckEvent([], { ...planned, endpoints: [...planned.endpoints].reverse() });
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.every((r) => r.state === 'pending' && r.result === null)).toBe(true);
    expect(rows[5]).toMatchObject({ endpoint: 'sum.golang.org', kind: 'sumdb' });
    expect(rows[0]?.stages).toEqual({ dns_ms: null, connect_ms: null, proxy_ms: null, tls_ms: null, http_ms: null });
  });

  it('stage: fills one timing of a pending row; unknown stages and unknown rows change nothing', () => {
    let rows = applyCheckEvent([], planned);
    rows = applyCheckEvent(rows, { event: 'stage', index: 1, stage: 'dns', ms: 12 });
    rows = applyCheckEvent(rows, { event: 'stage', index: 1, stage: 'connect', ms: 28 });
    expect(rows[1]?.stages).toMatchObject({ dns_ms: 12, connect_ms: 28, tls_ms: null });
    expect(rows[1]?.state).toBe('pending');
    expect(rows[0]?.stages.dns_ms).toBeNull();

    const before = JSON.stringify(rows);
    expect(JSON.stringify(applyCheckEvent(rows, { event: 'stage', index: 1, stage: 'protocol', ms: 4 }))).toBe(before);
    expect(JSON.stringify(applyCheckEvent(rows, { event: 'stage', index: 9, stage: 'dns', ms: 4 }))).toBe(before);
  });

  it('result: completes the row with the result and its timings; a later stage does not change it', () => {
    let rows = applyCheckEvent([], planned);
    rows = applyCheckEvent(rows, { event: 'stage', index: 2, stage: 'dns', ms: 99 });
    rows = applyCheckEvent(rows, { event: 'result', result: result(2) });
    expect(rows[2]).toMatchObject({ state: 'done', result: { outcome: 'tls_untrusted' } });
    expect(rows[2]?.stages).toEqual(result(2).stages);
    const late = applyCheckEvent(rows, { event: 'stage', index: 2, stage: 'http', ms: 7 });
    expect(late[2]?.stages.http_ms).toBeNull();
    expect(checkProgress(rows)).toEqual({ done: 1, total: 6 });
  });

  it('a result before (or without) planned is kept, and planned keeps it', () => {
    let rows = applyCheckEvent([], { event: 'result', result: result(3) });
    expect(rows.map((r) => r.index)).toEqual([3]);
    rows = applyCheckEvent(rows, planned);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows[3]?.state).toBe('done');
    expect(checkProgress(rows)).toEqual({ done: 1, total: 6 });
  });

  it('does not change its input', () => {
    const rows = applyCheckEvent([], planned);
    const copy = structuredClone(rows);
    applyCheckEvent(rows, { event: 'stage', index: 0, stage: 'dns', ms: 5 });
    applyCheckEvent(rows, { event: 'result', result: result(0) });
    expect(rows).toEqual(copy);
  });

  it('rowsFromReport: every endpoint done, in input order', () => {
    const rows = rowsFromReport(report);
    expect(rows.map((r) => [r.index, r.state, r.result?.outcome])).toEqual([
      [0, 'done', 'slow'],
      [1, 'done', 'ok'],
      [2, 'done', 'tls_untrusted'],
      [3, 'done', 'proxy_auth_required'],
      [4, 'done', 'timeout'],
      [5, 'done', 'ok'],
    ]);
  });
});

describe('waterfall', () => {
  const done = (index: number): CheckRow => rowsFromReport(report)[index] as CheckRow;

  it('the scale is the longest total; a pending row counts its stages so far', () => {
    expect(waterfallScale(rowsFromReport(report))).toBe(5000);
    const pending = applyCheckEvent(applyCheckEvent([], planned), { event: 'stage', index: 0, stage: 'tls', ms: 340 });
    expect(rowTotal(pending[0] as CheckRow)).toBe(340);
    expect(waterfallScale(pending)).toBe(340);
    expect(waterfallScale([])).toBe(1);
    expect(waterfallScale(applyCheckEvent([], planned))).toBe(1);
  });

  it('stages follow each other, widths proportional to their time on the shared scale', () => {
    const segments = waterfallSegments(done(1), 1000);
    expect(segments.map((s) => s.kind)).toEqual(['dns', 'connect', 'tls', 'http', 'rest']);
    expect(segments.map((s) => s.ms)).toEqual([12, 28, 61, 85, 10]);
    expect(segments.map((s) => s.startMs)).toEqual([0, 12, 40, 101, 186]);
    const round = (n: number) => Math.round(n * 1e6) / 1e6;
    expect(segments.map((s) => round(s.width))).toEqual([1.2, 2.8, 6.1, 8.5, 1]);
    expect(segments.map((s) => round(s.left))).toEqual([0, 1.2, 4, 10.1, 18.6]);
    // Consecutive: each starts where the previous ended.
    for (let i = 1; i < segments.length; i++) {
      const prev = segments[i - 1]!;
      expect(segments[i]!.left).toBeCloseTo(prev.left + prev.width, 9);
    }
  });

  it('a failed probe ends in a failed cap that runs to its total (proxy stage included)', () => {
    const timeout = waterfallSegments(done(4), 5000);
    expect(timeout.map((s) => [s.kind, s.ms])).toEqual([
      ['dns', 6],
      ['failed', 4994],
    ]);
    expect(timeout.at(-1)).toMatchObject({ left: 0.12, width: 99.88 });

    const auth = waterfallSegments(done(3), 5000);
    expect(auth.map((s) => s.kind)).toEqual(['dns', 'connect', 'proxy', 'failed']);
    expect(auth.at(-1)?.ms).toBe(0);
  });

  it('a pending row shows the stages so far and no end cap', () => {
    let rows = applyCheckEvent([], planned);
    rows = applyCheckEvent(rows, { event: 'stage', index: 0, stage: 'dns', ms: 50 });
    rows = applyCheckEvent(rows, { event: 'stage', index: 0, stage: 'connect', ms: 150 });
    expect(waterfallSegments(rows[0]!, 400)).toEqual([
      { kind: 'dns', startMs: 0, ms: 50, left: 0, width: 12.5 },
      { kind: 'connect', startMs: 50, ms: 150, left: 12.5, width: 37.5 },
    ]);
    expect(waterfallSegments(rows[1]!, 400)).toEqual([]);
  });

  it('percentages stay within the bar', () => {
    const segments = waterfallSegments(done(0), 100);
    expect(segments.every((s) => s.left >= 0 && s.left <= 100 && s.width >= 0 && s.width <= 100)).toBe(true);
  });

  it('scale ticks are round numbers from 0 to the scale', () => {
    expect(scaleTicks(5000)).toEqual([0, 2000, 4000]);
    expect(scaleTicks(1480)).toEqual([0, 500, 1000]);
    expect(scaleTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(scaleTicks(1)).toEqual([0]);
  });
});

describe('outcomes', () => {
  it('ok is green, slow amber, everything else red', () => {
    expect(OUTCOMES.map((o) => [o, outcomeClass(o)])).toEqual([
      ['ok', 'ok'],
      ['slow', 'slow'],
      ['not_found', 'bad'],
      ['http_error', 'bad'],
      ['proxy_auth_required', 'bad'],
      ['auth_required', 'bad'],
      ['tls_untrusted', 'bad'],
      ['tls_hostname', 'bad'],
      ['timeout', 'bad'],
      ['refused', 'bad'],
      ['dns', 'bad'],
      ['protocol_error', 'bad'],
    ]);
    expect(outcomeClass('something_new')).toBe('bad');
  });

  it('labels and stages are translated; unknown codes shown as is', () => {
    expect(outcomeLabel('timeout', 'en')).toBe('Timeout');
    expect(outcomeLabel('timeout', 'zh-CN')).toBe('超时');
    expect(outcomeLabel('tls_untrusted', 'zh-CN')).toBe('证书不受信任');
    expect(outcomeLabel('proxy_auth_required', 'zh-CN')).toBe('代理需要认证');
    expect(outcomeLabel('auth_required', 'zh-CN')).toBe('需要认证');
    expect(outcomeLabel('auth_required', 'en')).toBe('Authentication required');
    expect(outcomeLabel('brand_new', 'zh-CN')).toBe('brand_new');
    expect(['dns', 'connect', 'proxy', 'tls', 'http'].map((s) => stageLabel(s, 'zh-CN'))).toEqual([
      'DNS',
      '连接',
      '代理',
      'TLS',
      '首字节',
    ]);
    expect(stageLabel('http', 'en')).toBe('First byte');
    expect(stageLabel('warp', 'en')).toBe('warp');
  });

  it('endpointHost strips scheme, credentials and path', () => {
    expect(endpointHost('https://goproxy.cn')).toBe('goproxy.cn');
    expect(endpointHost('https://mirrors.aliyun.com/goproxy/')).toBe('mirrors.aliyun.com');
    expect(endpointHost('http://alice:xxxxx@proxy.acme.example:3128')).toBe('proxy.acme.example:3128');
    expect(endpointHost('sum.golang.org')).toBe('sum.golang.org');
    expect(endpointHost('direct')).toBe('direct');
  });
});

describe('humanDetail', () => {
  /** A result of `outcome` with everything a template could need. */
  function full(outcome: Outcome): EndpointResult {
    return {
      ...result(2),
      endpoint: 'https://goproxy.example',
      outcome,
      failed_stage: 'tls',
      median_ms: 321,
      http_status: 500,
      params: {},
      proxy: { url: 'http://u:xxxxx@corp:3128', from: 'HTTPS_PROXY' },
      detail: 'the English detail',
    };
  }

  /** A result of `outcome` the backend said nothing about. */
  function bare(outcome: Outcome): EndpointResult {
    return {
      ...full(outcome),
      endpoint: '',
      failed_stage: null,
      median_ms: null,
      http_status: null,
      tls: null,
      proxy: null,
      params: {},
    };
  }

  const context = { module: 'golang.org/x/text', timeoutMs: 5000 };

  it.each(OUTCOMES.flatMap((o) => LOCALES.map((l) => [o, l] as const)))(
    '%s in %s: a translated sentence with every placeholder filled',
    (outcome, locale) => {
      const text = humanDetail(full(outcome), locale, context);
      expect(text).not.toMatch(/[{}]/);
      expect(text).not.toBe('the English detail');
      const other = humanDetail(full(outcome), locale === 'en' ? 'zh-CN' : 'en', context);
      expect(text).not.toBe(other);
      if (locale === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
    },
  );

  it.each(OUTCOMES.flatMap((o) => LOCALES.map((l) => [o, l] as const)))(
    '%s in %s: falls back to the English detail when values are missing',
    (outcome, locale) => {
      expect(humanDetail(bare(outcome), locale)).toBe('the English detail');
    },
  );

  it('fills in the fixture results exactly', () => {
    const ctx = { module: report.module, timeoutMs: report.timeout_ms };
    expect(humanDetail(result(1), 'en', ctx)).toBe(
      'mirrors.aliyun.com is reachable and answers correctly; median latency 190 ms.',
    );
    expect(humanDetail(result(0), 'zh-CN', ctx)).toBe('goproxy.cn 可达，但响应较慢：中位延迟 1420 ms。');
    expect(humanDetail(result(2), 'zh-CN', ctx)).toBe(
      'goproxy.corp.example 的证书不受信任：疑似 TLS 中间人拦截（签发者：CN=Acme Inspection CA, O=Acme Corp）。go 会报 “x509: certificate signed by unknown authority”；请把该 CA 证书加入 SSL_CERT_FILE。',
    );
    expect(humanDetail(result(3), 'en', ctx)).toBe(
      'The HTTP proxy http://alice:xxxxx@proxy.acme.example:3128 asks for a user name and password (HTTP 407): put them into the proxy URL, as in http://user:password@host:port.',
    );
    expect(humanDetail(result(4), 'en', ctx)).toBe(
      'No answer from athens.internal.example within 5000 ms: Connect did not finish.',
    );
    expect(humanDetail(result(4), 'zh-CN', ctx)).toBe('athens.internal.example 在 5000 ms 内没有响应（卡在：连接）。');
    // Without the report's timeout the timeout template cannot be filled.
    expect(humanDetail(result(4), 'zh-CN')).toBe(result(4).detail);
  });

  it('backend params win over what the result says; a stage param is translated', () => {
    const r = { ...result(2), params: { issuer: 'CN=Other CA', stage: 'connect', status: '418' } };
    const params = detailParams(r, 'zh-CN');
    expect(params).toMatchObject({ issuer: 'CN=Other CA', stage: '连接', status: '418', host: 'goproxy.corp.example' });
    expect(params).not.toHaveProperty('ms');
  });

  it('an unknown outcome shows the backend detail', () => {
    expect(humanDetail({ ...result(1), outcome: 'quantum' }, 'zh-CN')).toBe(result(1).detail);
  });
});

describe('history', () => {
  it('runsForRoute: a profile its own runs; the active settings also the active profile', () => {
    expect(runsForRoute(runs, null, null)).toHaveLength(5);
    expect(runsForRoute(runs, null, 'official')).toHaveLength(6);
    expect(runsForRoute(runs, 'official', 'official')).toHaveLength(1);
    expect(runsForRoute(runs, 'official', null).map((r) => r.checked_at)).toEqual([1795290202]);
    expect(runsForRoute(runs, 'domestic', null)).toEqual([]);
    const active = runsForRoute(runs, null, 'official').map((r) => r.checked_at);
    expect(active).toEqual([...active].sort((a, b) => b - a));
  });

  it('endpointSeries: oldest first, that endpoint and kind only', () => {
    const series = endpointSeries(runs, 'https://goproxy.cn', 'goproxy');
    expect(series.map((p) => p.ms)).toEqual([610, 720, null, 1210, 1350]);
    expect(series.map((p) => p.failed)).toEqual([false, false, true, false, false]);
    expect(series.map((p) => p.checkedAt)).toEqual([...series.map((p) => p.checkedAt)].sort((a, b) => a - b));

    expect(endpointSeries(runs, 'https://proxy.golang.org', 'goproxy')).toHaveLength(6);
    expect(endpointSeries(runs, 'sum.golang.org', 'goproxy')).toEqual([]);
    expect(endpointSeries(runs, 'https://goproxy.cn', 'goproxy', 2).map((p) => p.ms)).toEqual([1210, 1350]);
  });

  it('historyEndpoints: the endpoints of the newest run of that route', () => {
    expect(historyEndpoints(runsForRoute(runs, null, null)).map((e) => e.endpoint)).toEqual(
      report.results.map((r) => r.endpoint),
    );
    expect(historyEndpoints(runsForRoute(runs, 'official', null))).toEqual([
      { endpoint: 'https://proxy.golang.org', kind: 'goproxy' },
      { endpoint: 'sum.golang.org', kind: 'sumdb' },
    ]);
    expect(historyEndpoints([])).toEqual([]);
  });

  it('seriesSummary', () => {
    expect(seriesSummary(endpointSeries(runs, 'https://goproxy.cn', 'goproxy'))).toEqual({
      runs: 5,
      failed: 1,
      fastest: 610,
      slowest: 1350,
      latest: 1350,
    });
    expect(seriesSummary([])).toEqual({ runs: 0, failed: 0, fastest: null, slowest: null, latest: null });
  });
});

describe('sparkline', () => {
  const point = (ms: number | null, failed = false): HistoryPoint => ({ checkedAt: 0, ms, outcome: 'ok', failed });

  it('spaces points evenly and scales 0 ms (bottom) to the slowest (top)', () => {
    const g = sparkline([point(50), point(100), point(25)], 104, 24, 2);
    expect(g.maxMs).toBe(100);
    expect(g.points.map((p) => [p.x, p.y])).toEqual([
      [2, 12],
      [52, 2],
      [102, 17],
    ]);
    expect(g.path).toBe('M2 12 L52 2 L102 17');
    expect(g.failures).toEqual([]);
  });

  it('a failed run without a median breaks the line and is a red dot at the bottom', () => {
    const g = sparkline([point(40), point(null, true), point(80), point(60, true)], 64, 20, 2);
    expect(g.path).toBe('M2 10 M42 2 L62 6');
    expect(g.failures).toEqual([
      { x: 22, y: 18 },
      { x: 62, y: 6 },
    ]);
  });

  it('one point sits in the middle; no successful point means no line', () => {
    expect(sparkline([point(10)], 100, 20).points).toEqual([{ x: 50, y: 3, ms: 10, failed: false }]);
    const failed = sparkline([point(null, true), point(null, true)], 100, 20, 0);
    expect(failed.path).toBe('');
    expect(failed.maxMs).toBe(0);
    expect(failed.failures).toEqual([
      { x: 0, y: 20 },
      { x: 100, y: 20 },
    ]);
    expect(sparkline([], 100, 20)).toEqual({ path: '', points: [], failures: [], maxMs: 0 });
  });
});

describe('small helpers', () => {
  it('healthLevel', () => {
    expect(healthLevel(null)).toBe('unknown');
    expect(healthLevel(undefined)).toBe('unknown');
    expect(healthLevel({ profile: null, healthy: true, checked_at: 1, failing: [] })).toBe('ok');
    expect(healthLevel({ profile: 'x', healthy: false, checked_at: 1, failing: ['https://a'] })).toBe('bad');
  });

  it('intervalChoices adds an unusual current value in order', () => {
    expect(intervalChoices(10)).toEqual([0, 5, 10, 30, 60]);
    expect(intervalChoices(15)).toEqual([0, 5, 10, 15, 30, 60]);
    expect(intervalChoices(null)).toEqual([0, 5, 10, 30, 60]);
    expect(intervalChoices(-1)).toEqual([0, 5, 10, 30, 60]);
  });

  it('formatMs', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(812.4)).toBe('812 ms');
    expect(formatMs(1420)).toBe('1.4 s');
    expect(formatMs(5000)).toBe('5 s');
    expect(formatMs(12_345)).toBe('12 s');
  });

  it('sortedRanking: fastest first, stable', () => {
    const ranking = [
      { endpoint: 'b', median_ms: 300 },
      { endpoint: 'a', median_ms: 100 },
      { endpoint: 'c', median_ms: 300 },
    ];
    expect(sortedRanking(ranking).map((r) => r.endpoint)).toEqual(['a', 'b', 'c']);
    expect(ranking[0]?.endpoint).toBe('b');
  });
});

describe('scaleTicks on tiny scales', () => {
  it('never repeats a tick and keeps whole milliseconds', () => {
    for (let scale = 2; scale <= 40; scale++) {
      const ticks = scaleTicks(scale);
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(ticks.every((t) => Number.isInteger(t))).toBe(true);
      expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(scale);
    }
    expect(scaleTicks(2)).toEqual([0, 1, 2]);
  });
});
