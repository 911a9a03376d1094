import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS, type PreferenceStorage } from '../preferences';
import { I18n } from './index.svelte';

function memoryStorage(initial: Record<string, string> = {}): PreferenceStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

describe('I18n', () => {
  it('follows the system language by default', () => {
    expect(new I18n(memoryStorage(), ['zh-CN', 'en']).locale).toBe('zh-CN');
    expect(new I18n(memoryStorage(), ['en-GB']).locale).toBe('en');
    expect(new I18n(null, []).locale).toBe('en');
  });

  it('remembers an explicit choice', () => {
    const storage = memoryStorage();
    const i18n = new I18n(storage, ['en-US']);
    i18n.setPreference('zh-CN');
    expect(i18n.locale).toBe('zh-CN');
    expect(storage.data[STORAGE_KEYS.locale]).toBe('zh-CN');
    expect(new I18n(storage, ['en-US']).locale).toBe('zh-CN');
    expect(i18n.t('source.env')).toBe('系统环境变量');
  });

  it('ignores a corrupt stored value and a throwing storage', () => {
    expect(new I18n(memoryStorage({ [STORAGE_KEYS.locale]: 'klingon' }), ['en']).preference).toBe('system');
    const throwing: PreferenceStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const i18n = new I18n(throwing, ['zh']);
    expect(i18n.locale).toBe('zh-CN');
    i18n.setPreference('en');
    expect(i18n.locale).toBe('en');
  });

  it('splits a message around a placeholder', () => {
    const i18n = new I18n(memoryStorage(), ['en']);
    expect(i18n.parts('layer.setAt', 'place')).toEqual(['set at ', '']);
    i18n.setPreference('zh-CN');
    expect(i18n.parts('banner.unreadable', 'file')).toEqual(['无法读取 ', '']);
    expect(i18n.parts('layer.heading', 'none')).toEqual(['各层配置（优先级从高到低）', '']);
  });

  it('translates backend codes with a fallback', () => {
    const i18n = new I18n(memoryStorage(), ['en']);
    expect(i18n.tCode('source.goroot', 'x')).toBe('GOROOT/go.env');
    expect(i18n.tCode('source.cloud', 'cloud')).toBe('cloud');
    expect(i18n.tCode('note.duplicate', '', { key: 'GOPROXY' })).toBe('GOPROXY is set again on a later line, so this line has no effect.');
  });
});
