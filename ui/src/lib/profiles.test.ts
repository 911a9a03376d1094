import { describe, expect, it } from 'vitest';
import sample from '../../tests/fixtures/profiles.sample.json';
import { translate, type Locale } from './i18n/messages';
import {
  builtinLabelKey,
  commandLine,
  formatMode,
  formatPosition,
  hasRedactedPassword,
  idProblem,
  isBuiltinId,
  isEditable,
  isTemplate,
  isUsable,
  FIX_PREFIX,
  fixEntryLabel,
  labelForId,
  messagePosition,
  offsetOf,
  otherSettings,
  profileLabel,
  valuesToSave,
} from './profiles';
import { FIX_KINDS, type Profile, type ProfileList } from './types';

const list = sample as ProfileList;
const byId = (id: string) => list.profiles.find((p) => p.id === id)!;
const t = (locale: Locale) => (key: Parameters<typeof translate>[1]) => translate(locale, key);

describe('labels', () => {
  it('translates the built-ins', () => {
    expect(profileLabel(byId('domestic'), t('en'))).toBe('Domestic mirror');
    expect(profileLabel(byId('domestic'), t('zh-CN'))).toBe('国内镜像 (goproxy.cn / 阿里云)');
    expect(profileLabel(byId('official'), t('zh-CN'))).toBe('官方源 (proxy.golang.org)');
    expect(profileLabel(byId('corporate'), t('zh-CN'))).toBe('企业内网（私有代理）');
    expect(profileLabel(byId('corporate'), t('en'))).toBe('Corporate');
  });

  it("prefers the user's label, then a built-in name (for an override), then the id", () => {
    expect(profileLabel(byId('acme'), t('zh-CN'))).toBe('ACME corp');
    expect(profileLabel({ id: 'corporate', label: null }, t('en'))).toBe('Corporate');
    expect(profileLabel({ id: 'corporate', label: '  ' }, t('en'))).toBe('Corporate');
    expect(profileLabel({ id: 'corporate', label: 'ACME VPN' }, t('en'))).toBe('ACME VPN');
    expect(profileLabel({ id: 'home', label: null }, t('en'))).toBe('home');
  });

  it('labels an id from the list (history entries)', () => {
    expect(labelForId('acme', list.profiles, t('en'))).toBe('ACME corp');
    expect(labelForId('domestic', undefined, t('zh-CN'))).toBe('国内镜像 (goproxy.cn / 阿里云)');
    expect(labelForId('deleted-one', list.profiles, t('en'))).toBe('deleted-one');
  });

  it('labels the journal entry of a doctor fix (`fix: <kind>`) by what it fixed', () => {
    expect(labelForId('fix: remove_vs_code_key', list.profiles, t('en'))).toBe('Fix: remove a VS Code setting');
    expect(labelForId('fix: comment_out_shadow', undefined, t('zh-CN'))).toBe('修复：注释掉 shell 启动文件中的一行');
    expect(labelForId('fix: restart_gopls', undefined, t('en'))).toBe('Doctor fix');
    expect(fixEntryLabel('acme', t('en'))).toBeNull();
    expect(fixEntryLabel('fixer', t('en'))).toBeNull();
    for (const kind of FIX_KINDS) expect(fixEntryLabel(`${FIX_PREFIX}${kind}`, t('en')), kind).not.toBe('Doctor fix');
  });

  it('knows the built-in ids', () => {
    expect(isBuiltinId('official')).toBe(true);
    expect(isBuiltinId('acme')).toBe(false);
    expect(builtinLabelKey('domestic')).toBe('profile.builtin.domestic');
    expect(builtinLabelKey('acme')).toBeNull();
  });
});

describe('kinds of profiles', () => {
  it('tells templates, editable and usable profiles', () => {
    expect(isTemplate(byId('corporate'))).toBe(true);
    expect(isTemplate(byId('domestic'))).toBe(false);
    expect(isEditable(byId('corporate'))).toBe(true);
    expect(isEditable(byId('domestic'))).toBe(false);
    expect(isEditable(byId('lab'))).toBe(true);
    expect(isUsable(byId('lab'))).toBe(false);
    expect(isUsable(byId('acme'))).toBe(true);
  });

  it('lists the other settings in the contract order', () => {
    expect(otherSettings(byId('acme'))).toEqual(['NO_PROXY']);
    expect(otherSettings(byId('domestic'))).toEqual([]);
    const p: Profile = { ...byId('acme'), values: { SSL_CERT_FILE: '/ca.pem', GOFLAGS: '-mod=mod', GOPROXY: 'direct', GOFUTURE: '1' } };
    expect(otherSettings(p)).toEqual(['GOFLAGS', 'SSL_CERT_FILE', 'GOFUTURE']);
  });
});

describe('idProblem', () => {
  it.each([
    ['', 'empty'],
    ['ACME', 'pattern'],
    ['team proxy', 'pattern'],
    ['proxy.lab', 'pattern'],
    ['实验室', 'pattern'],
    ['acme', 'taken'],
    ['lab', 'taken'],
    ['team-proxy_2', null],
    ['0', null],
    ['domestic', null],
    ['corporate', null],
  ] as const)('%j → %s', (id, problem) => {
    expect(idProblem(id, list.profiles)).toBe(problem);
  });
});

describe('values', () => {
  it('keeps only set settings, in order, unchanged', () => {
    expect(valuesToSave({ NO_PROXY: 'localhost', GOPROXY: ' https://x ', GOSUMDB: '', label: 'x' })).toEqual({
      GOPROXY: ' https://x ',
      NO_PROXY: 'localhost',
    });
  });

  it('spots a password the backend replaced by xxxxx', () => {
    expect(hasRedactedPassword('http://alice:xxxxx@proxy.acme.example:3128')).toBe(true);
    expect(hasRedactedPassword('socks5://:xxxxx@proxy')).toBe(true);
    expect(hasRedactedPassword('http://alice:s3cret@proxy')).toBe(false);
    expect(hasRedactedPassword('http://proxy.example/xxxxx@')).toBe(false);
    expect(hasRedactedPassword('https://goproxy.cn,direct')).toBe(false);
  });
});

describe('positions', () => {
  it('formats file:line:column', () => {
    expect(formatPosition(byId('lab').problems[0]!.position!)).toBe('/home/dev/.config/modroute/profiles.toml:11:11');
  });

  it.each([
    ['<import>:2:11: GOPROXY: invalid proxy URL scheme', { line: 2, column: 11 }],
    ['/home/u/.config/modroute/profiles.toml:14:3: unknown key', { line: 14, column: 3 }],
    ['TOML parse error at line 3, column 9', { line: 3, column: 9 }],
    ['invalid proxy URL scheme (must be https, http, file): ftp://x', null],
    ['http://proxy:3128 refused', null],
  ])('%j', (message, position) => {
    expect(messagePosition(message)).toEqual(position);
  });

  it('finds the offset of a line and column', () => {
    const text = '[profiles.home]\nGOPROXY = "ftp://x"\n';
    expect(offsetOf(text, { line: 1, column: 1 })).toBe(0);
    expect(offsetOf(text, { line: 2, column: 11 })).toBe(16 + 10);
    expect(offsetOf(text, { line: 2, column: 99 })).toBe(text.indexOf('\n', 16));
    expect(offsetOf(text, { line: 9, column: 1 })).toBe(text.length);
  });
});

describe('commandLine and modes', () => {
  it('shows argv the way a shell would need it', () => {
    expect(commandLine(['systemctl', '--user', 'set-environment', 'HTTPS_PROXY=http://p:3128'])).toBe(
      'systemctl --user set-environment HTTPS_PROXY=http://p:3128',
    );
    expect(commandLine(['launchctl', 'setenv', 'NO_PROXY', 'a b'])).toBe("launchctl setenv NO_PROXY 'a b'");
    expect(commandLine(['echo', "it's", '$HOME', ''])).toBe(`echo 'it'\\''s' '$HOME' ''`);
  });

  it('formats permission bits', () => {
    expect(formatMode(420)).toBe('0644');
    expect(formatMode(384)).toBe('0600');
    expect(formatMode(0o100755)).toBe('0755');
  });
});

