import { describe, expect, it } from 'vitest';
import { en } from './en';
import {
  detectLocale,
  dictionaries,
  format,
  isLocalePreference,
  LOCALES,
  placeholders,
  translate,
  translateDynamic,
} from './messages';
import { CONTEXT_GROUPS, contextGroupOf } from '../doctor';
import { CONTEXT_KINDS, FIX_KINDS, MATCH_VARS, OUTCOMES, SEVERITIES, STAGES } from '../types';
import { zhCN } from './zh-CN';

describe('dictionaries', () => {
  it('zh-CN has exactly the keys of en', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message uses the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('has no empty messages', () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(dictionaries[locale])) {
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('uses the glossary wording for sources', () => {
    expect(zhCN['source.env']).toBe('系统环境变量');
    expect(zhCN['source.goenv']).toBe('go env 配置文件');
    expect(zhCN['source.goroot']).toBe('GOROOT/go.env');
    expect(zhCN['source.default']).toBe('默认值');
    expect(zhCN['layer.overridden']).toBe('被覆盖');
    expect(zhCN['table.value']).toBe('实际生效值');
    expect(en['source.env']).toBe('OS environment');
    expect(en['source.goenv']).toBe('go env file');
  });

  it('uses the glossary wording for profiles, switching and history', () => {
    expect(zhCN['nav.profiles']).toBe('配置方案');
    expect(zhCN['nav.history']).toBe('历史记录');
    expect(zhCN['profiles.use']).toBe('一键切换');
    expect(zhCN['plan.title']).toBe('预览改动');
    expect(zhCN['history.undo']).toBe('撤销');
    expect(zhCN['toast.undo']).toBe('撤销');
    expect(zhCN['profile.builtin.domestic']).toBe('国内镜像 (goproxy.cn / 阿里云)');
    expect(zhCN['profile.builtin.official']).toBe('官方源 (proxy.golang.org)');
    expect(zhCN['profile.builtin.corporate']).toBe('企业内网（私有代理）');
    expect(zhCN['profiles.active']).toBe('当前');
    expect(en['profiles.active']).toBe('Active');
    expect(en['profile.builtin.domestic']).toBe('Domestic mirror');
  });

  it('uses the glossary wording for the health check', () => {
    expect(zhCN['nav.health']).toBe('健康检查');
    expect(zhCN['health.title']).toBe('健康检查');
    expect(zhCN['kind.sumdb']).toBe('校验和数据库');
    expect(zhCN['kind.http_proxy']).toBe('HTTP 代理');
    expect(zhCN['outcome.timeout']).toBe('超时');
    expect(zhCN['outcome.tls_untrusted']).toBe('证书不受信任');
    expect(zhCN['outcome.proxy_auth_required']).toBe('代理需要认证');
    expect(zhCN['outcome.dns']).toMatch(/DNS 解析/);
    expect(zhCN['outcome.detail.tls_untrusted']).toMatch(/疑似 TLS 中间人拦截（签发者：\{issuer\}）/);
    expect(zhCN['ranking.useFastest']).toMatch(/最快的镜像/);
    expect(zhCN['ranking.title']).toMatch(/镜像/);
    expect(['stage.dns', 'stage.connect', 'stage.proxy', 'stage.tls', 'stage.http'].map((k) => zhCN[k as keyof typeof zhCN])).toEqual([
      'DNS',
      '连接',
      '代理',
      'TLS',
      '首字节',
    ]);
    expect(en['ranking.useFastest']).toBe('Use the fastest healthy mirror first');
  });

  it('has a label and a detail template for every outcome, and a label for every kind and stage', () => {
    for (const outcome of OUTCOMES) {
      expect(Object.hasOwn(en, `outcome.${outcome}`), outcome).toBe(true);
      expect(Object.hasOwn(en, `outcome.detail.${outcome}`), outcome).toBe(true);
    }
    for (const kind of ['goproxy', 'sumdb', 'http_proxy']) {
      expect(Object.hasOwn(en, `kind.${kind}`), kind).toBe(true);
      expect(Object.hasOwn(en, `kindHint.${kind}`), kind).toBe(true);
    }
    for (const stage of STAGES) expect(Object.hasOwn(en, `stage.${stage}`), stage).toBe(true);
    expect(Object.hasOwn(en, 'target.profiles')).toBe(true);
  });

  it('uses the glossary wording for the doctor', () => {
    expect(zhCN['nav.doctor']).toBe('诊断');
    expect(zhCN['doctor.title']).toBe('诊断');
    expect(zhCN['finding.fix']).toBe('一键修复');
    expect(zhCN['doctor.count.mismatches']).toMatch(/不一致/);
    expect(zhCN['matrix.differs']).toMatch(/不一致/);
    expect(zhCN['doctor.findings']).toBe('问题');
    expect([zhCN['severity.error'], zhCN['severity.warning'], zhCN['severity.info']]).toEqual(['错误', '警告', '提示']);
    expect(zhCN['why.title']).toBe('为什么走这条路径');
    expect(zhCN['why.checksumVerified']).toMatch(/校验/);
    expect(zhCN['why.effect.GONOSUMDB']).toMatch(/校验和数据库/);
    expect(zhCN['why.source.proxy']).toBe('模块代理');
    expect(zhCN['plan.fixSubtitle']).toMatch(/^修复/);
    expect(en['why.edge.next_on_not_found']).toBe('on 404/410 →');
    expect(en['why.edge.next_on_any_error']).toBe('on any error →');
    expect(en['why.edge.stop']).toBe('stop');
  });

  it('has a message for every fix kind, context kind and group, severity, match and edge rule', () => {
    for (const kind of FIX_KINDS) expect(Object.hasOwn(en, `fix.${kind}`), kind).toBe(true);
    for (const group of [...CONTEXT_GROUPS, 'other']) expect(Object.hasOwn(en, `contextGroup.${group}`), group).toBe(true);
    // Every kind the backend sends has a column group of its own (none falls into `other`).
    for (const kind of CONTEXT_KINDS) expect(contextGroupOf(kind), kind).not.toBe('other');
    for (const status of ['ok', 'error', 'timeout', 'skipped']) expect(Object.hasOwn(en, `contextStatus.${status}`), status).toBe(true);
    for (const severity of SEVERITIES) {
      expect(Object.hasOwn(en, `severity.${severity}`), severity).toBe(true);
      expect(Object.hasOwn(en, `severityGroup.${severity}`), severity).toBe(true);
    }
    for (const name of MATCH_VARS) expect(Object.hasOwn(en, `why.effect.${name}`), name).toBe(true);
    for (const rule of ['next_on_not_found', 'next_on_any_error', 'stop', 'ignored', 'verify']) {
      expect(Object.hasOwn(en, `why.edge.${rule}`), rule).toBe(true);
    }
    for (const state of ['fetched', 'failed', 'passed', 'not_reached']) expect(Object.hasOwn(en, `why.state.${state}`), state).toBe(true);
    for (const source of ['proxy', 'direct', 'off']) expect(Object.hasOwn(en, `why.source.${source}`), source).toBe(true);
    expect(zhCN['target.vscode']).toBe('VS Code 设置');
    expect(zhCN['target.goland']).toBe('GoLand 项目设置');
    expect(en['target.vscode']).toBe('VS Code settings');
    expect(en['target.goland']).toBe('GoLand project settings');
  });

  it('has a message for every history status, target and error code the contract names', () => {
    for (const status of ['applied', 'undone', 'rolled_back', 'pending']) {
      expect(Object.hasOwn(en, `history.status.${status}`), status).toBe(true);
    }
    for (const target of ['go_env', 'shell_env', 'rc_file', 'session', 'profiles', 'vscode', 'goland']) {
      expect(Object.hasOwn(en, `target.${target}`), target).toBe(true);
    }
    for (const code of ['invalid_profile', 'refused', 'concurrent_edit', 'edited_since', 'nothing_to_undo', 'not_found', 'io', 'internal']) {
      expect(Object.hasOwn(en, `error.hint.${code}`), code).toBe(true);
    }
  });
});

describe('detectLocale', () => {
  it.each([
    [['zh-CN', 'en-US'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['zh-TW'], 'zh-CN'],
    [['ZH_cn'], 'zh-CN'],
    [['en-US', 'zh-CN'], 'en'],
    [['de-DE'], 'en'],
    [['zu'], 'en'],
    [['zha'], 'en'],
    [[], 'en'],
    [['', 'zh-CN'], 'zh-CN'],
  ] as const)('%j → %s', (languages, expected) => {
    expect(detectLocale(languages)).toBe(expected);
  });

  it('falls back to en without languages', () => {
    expect(detectLocale(undefined)).toBe('en');
    expect(detectLocale(null)).toBe('en');
  });
});

describe('format and translate', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(format('from {name}', { name: 'https_proxy' })).toBe('from https_proxy');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(format('no params')).toBe('no params');
  });

  it('translates per locale', () => {
    expect(translate('en', 'layer.overridden')).toBe('overridden');
    expect(translate('zh-CN', 'value.unset')).toBe('（未设置）');
    expect(translate('zh-CN', 'row.fromEnvName', { name: 'https_proxy' })).toBe('来自 https_proxy');
  });

  it('translates dynamic keys, null when unknown', () => {
    expect(translateDynamic('zh-CN', 'source.goenv')).toBe('go env 配置文件');
    expect(translateDynamic('en', 'source.somewhere')).toBeNull();
    expect(translateDynamic('en', 'toString')).toBeNull();
  });

  it('validates stored preferences', () => {
    expect(isLocalePreference('system')).toBe(true);
    expect(isLocalePreference('zh-CN')).toBe(true);
    expect(isLocalePreference('fr')).toBe(false);
    expect(isLocalePreference(null)).toBe(false);
  });
});
